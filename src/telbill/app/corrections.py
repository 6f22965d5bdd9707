"""Corrections of issued invoices: a credit note that refers to the invoice, never an edit.

A manual credit note is a commercial correction: its lines do not count as "already billed" recurring fees
(their kind becomes one-time), so the next bill run does not charge the credited amounts again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from telbill.app.billing import BillingDeps
from telbill.app.store import StoredDocument
from telbill.core.billing.charges import ChargeKind
from telbill.core.billing.invoice import DocumentType, make_credit_note
from telbill.core.billing.numbering import CREDIT_NOTE_SERIES
from telbill.core.errors import ErrorKind, TelbillError


def issue_credit_note(
    deps: BillingDeps,
    invoice_number: str,
    issue_date: date,
    lines: Sequence[int] | None = None,
    note: str | None = None,
) -> StoredDocument:
    with deps.unit_of_work() as uow:
        original = uow.documents.get(invoice_number)
        if original.document.type is not DocumentType.INVOICE:
            raise TelbillError("credit.not_invoice", f"{invoice_number} is not an invoice", ErrorKind.CONFLICT)
        year = issue_date.year
        sequence = uow.numbers.allocate(f"{CREDIT_NOTE_SERIES.prefix}{year}", 1)
        number = CREDIT_NOTE_SERIES.format(year, sequence)
        document = make_credit_note(original.document, number, issue_date, lines, note)
        kept = {line.number for line in document.lines}
        meta = tuple(
            replace(m, kind=ChargeKind.ONE_TIME, source_id=None, signed_net=-m.signed_net)
            for line, m in zip(original.document.lines, original.meta, strict=True)
            if line.number in kept
        )
        stored = StoredDocument(original.account_id, original.period, original.out_of_scope, document, meta)
        uow.documents.add(stored)
        uow.commit()
    return stored
