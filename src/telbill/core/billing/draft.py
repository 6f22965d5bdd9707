"""Invoice drafts: an account's charge lines for a period → the documents to issue.

Decisions (docs/algorithms/vat.md, docs/adr/0001):
- Lines outside the scope of VAT (category O: indemnities, compensations) never share a document with
  other lines (EN 16931 BR-O-11): the draft splits them into a document of their own.
- A document whose lines add up to a negative amount is issued as a credit note, with every line's sign
  turned (credit notes carry positive amounts), referring to the account's latest invoice.
- Numbers and structured communications are given when the draft is issued (``issue``), inside the same
  transaction that stores it, so numbering stays gap-free.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from telbill.core.accounts import Account
from telbill.core.billing.charges import ChargeKind, ChargeLine
from telbill.core.billing.invoice import (
    DocumentReference,
    DocumentType,
    InvoiceDocument,
    InvoiceLine,
    InvoicePeriod,
    UnitCode,
)
from telbill.core.billing.numbering import StructuredCommunication
from telbill.core.billing.parties import Seller
from telbill.core.money import Money, total
from telbill.core.period import DateRange
from telbill.core.tax.compute import compute_totals
from telbill.core.tax.treatment import VatCategory


@dataclass(frozen=True, slots=True)
class LineMeta:
    """What the ledger of billed charges needs beside the legal line."""

    kind: ChargeKind
    subscription_id: str | None
    source_id: str | None
    period_start: date | None
    signed_net: Money  # the line's effect on the account, + charge / − credit, whatever the document type


@dataclass(frozen=True, slots=True)
class Draft:
    account_id: str
    period: str  # YYYY-MM
    type: DocumentType
    out_of_scope: bool
    lines: tuple[InvoiceLine, ...]
    meta: tuple[LineMeta, ...]
    billing_period: InvoicePeriod
    issue_date: date
    due_date: date | None
    preceding: DocumentReference | None


@dataclass(frozen=True, slots=True)
class DraftRequest:
    account: Account
    period_label: str
    period: DateRange
    issue_date: date
    charges: tuple[ChargeLine, ...]
    latest_invoice: DocumentReference | None = None


def draft_documents(request: DraftRequest) -> list[Draft]:
    in_scope = [c for c in request.charges if c.treatment.category is not VatCategory.OUTSIDE_SCOPE]
    outside = [c for c in request.charges if c.treatment.category is VatCategory.OUTSIDE_SCOPE]
    return [d for d in (_draft(request, in_scope, False), _draft(request, outside, True)) if d is not None]


def _draft(request: DraftRequest, charges: Sequence[ChargeLine], out_of_scope: bool) -> Draft | None:
    if not charges:
        return None
    # lines that are none of them negative cannot add up to a negative gross (their VAT is not negative
    # either): only a draft with a credit line needs its totals to choose between invoice and credit note
    credit = any(c.net.is_negative() for c in charges) and compute_totals(charges).gross.is_negative()
    if credit and request.latest_invoice is None:
        return None  # nothing to credit yet: the amounts stay due to the customer until there is
    lines = tuple(_line(number, charge, credit) for number, charge in enumerate(charges, start=1))
    meta = tuple(LineMeta(c.kind, c.subscription_id, c.source_id, c.period_start, c.net) for c in charges)
    terms = timedelta(days=request.account.payment_terms_days)
    return Draft(
        request.account.id,
        request.period_label,
        DocumentType.CREDIT_NOTE if credit else DocumentType.INVOICE,
        out_of_scope,
        lines,
        meta,
        _covering(request.period, lines),
        request.issue_date,
        None if credit else request.issue_date + terms,
        request.latest_invoice if credit else None,
    )


def _covering(period: DateRange, lines: Sequence[InvoiceLine]) -> InvoicePeriod:
    """The invoice period (BG-14): the billed period, widened to every line's service period, since a
    line's period must lie within the invoice's (PEPPOL-EN16931-R110/R111): a correction of last month
    on this month's invoice widens it."""
    starts = [period.start, *(line.period.start for line in lines if line.period)]
    ends = [period.last_day, *(line.period.end for line in lines if line.period)]
    return InvoicePeriod(min(starts), max(ends))


def _line(number: int, charge: ChargeLine, credit: bool) -> InvoiceLine:
    quantity = -charge.billed_quantity if credit else charge.billed_quantity
    period = None
    if charge.service_period is not None and not charge.service_period.is_empty():
        period = InvoicePeriod(charge.service_period.start, charge.service_period.last_day)
    return InvoiceLine(
        number,
        charge.item_code,
        charge.label,
        quantity,
        UnitCode(charge.unit_code),
        charge.unit_price.amount,
        -charge.net if credit else charge.net,
        charge.treatment,
        charge.provenance,
        period,
    )


def issue(draft: Draft, seller: Seller, account: Account, number: str, communication_base: int) -> InvoiceDocument:
    """The legal document of a draft, with its number and (for an invoice) its structured communication."""
    communication = None
    if draft.type is DocumentType.INVOICE:
        communication = StructuredCommunication.from_base(communication_base)
    return InvoiceDocument(
        draft.type,
        number,
        draft.issue_date,
        seller,
        account.party,
        draft.lines,
        account.id,
        draft.due_date,
        draft.billing_period,
        communication,
        draft.preceding,
    )


def draft_total(draft: Draft) -> Money:
    return total(m.signed_net for m in draft.meta)


__all__ = ["Draft", "DraftRequest", "LineMeta", "draft_documents", "issue"]
