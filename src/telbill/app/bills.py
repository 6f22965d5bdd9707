"""Customer bills as the API and the portal show them: pages of documents, one document with its state, its
files, the explanation of each line, the usage it billed; credit notes.

Contract: reads only, one transaction each, except ``credit`` (``app/corrections.py``). A bill's state comes
from the account's ledger (``core/receivables``) as it would be once every issued document is posted —
computed in memory, nothing is written by reading: *settled* when nothing remains to pay, *partially paid*
when part of it was settled, *sent* otherwise (a credit note: *settled* once it is used).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import cast

from telbill.app.access_store import (
    AccessUnitOfWork,
    DocumentFilter,
    DocumentSummary,
    Page,
    PageRequest,
    UsageSummary,
)
from telbill.app.billing import BillingDeps
from telbill.app.corrections import issue_credit_note
from telbill.app.documents import LineExplanation, explain, render_files
from telbill.app.ports import DocumentRenderer
from telbill.app.store import ReceivablesUnitOfWork, StoredDocument, StoredUsage, UnitOfWork
from telbill.app.usage import usage_store
from telbill.core.billing.invoice import DocumentType
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.money import Money
from telbill.core.rating.records import RatedRecord
from telbill.core.receivables.ledger import Ledger
from telbill.core.receivables.postings import entry_of, post

ReaderFactory = Callable[[], AccessUnitOfWork]


class BillState(Enum):
    SENT = "sent"
    PARTIALLY_PAID = "partiallyPaid"
    SETTLED = "settled"


@dataclass(frozen=True, slots=True)
class BillStanding:
    state: BillState
    remaining: Money  # to pay (an invoice) or to use (a credit note)


def ledger_view(uow: UnitOfWork, account_id: str, stamp: tuple[int, int, int] | None = None) -> Ledger:
    """The account's ledger with every issued document posted, in memory only (see the module doc).

    ``stamp`` (``Listings.ledger_stamp``, read in this transaction): when it counts no ledger entry and no
    allocation — an account that never paid, the usual case — the stored ledger is empty and is not read."""
    if not hasattr(uow, "ledgers"):
        return Ledger(account_id)
    store = cast(ReceivablesUnitOfWork, uow)
    ledger = Ledger(account_id)
    if stamp is None or stamp[1] > 0 or stamp[2] > 0:
        ledger = store.ledgers.for_accounts([account_id]).get(account_id, ledger)
    if hasattr(uow, "listings"):  # the same facts, read without the parties' snapshots
        unposted = cast(AccessUnitOfWork, uow).listings.unposted_facts(account_id)
    else:
        unposted = [facts for _, facts in store.ledgers.unposted([account_id])]
    for facts in unposted:
        entry = entry_of(facts)
        if entry is not None and not ledger.has(entry.id):
            ledger = ledger.with_posting(post(ledger, entry))
    return ledger


class LedgerViews:
    """Ledger views of the accounts read lately, kept while their stamp holds (``Listings.ledger_stamp``: the
    counts of documents, entries and allocations, all append-only), so a list of bills costs one count instead
    of rebuilding the ledger. Per process, bounded; a stale view is impossible, only a recomputed one."""

    def __init__(self, size: int = 20_000) -> None:
        self.size = size
        self._views: dict[str, tuple[tuple[int, int, int], Ledger]] = {}

    def view(self, uow: AccessUnitOfWork, account_id: str, stamp: tuple[int, int, int] | None = None) -> Ledger:
        """The view of ``account_id``; ``stamp`` when the caller read it already (a listing by account does)."""
        stamp = stamp or uow.listings.ledger_stamp(account_id)
        known = self._views.get(account_id)
        if known is not None and known[0] == stamp:
            return known[1]
        ledger = ledger_view(uow, account_id, stamp)
        if len(self._views) >= self.size:
            self._views.clear()
        self._views[account_id] = (stamp, ledger)
        return ledger


def standing_of(ledger: Ledger, number: str, gross: Money) -> BillStanding:
    if not ledger.has(number):  # a document of zero total moves nothing
        return BillStanding(BillState.SETTLED, Money.zero())
    remaining = ledger.remaining(number)
    if remaining.is_zero():
        return BillStanding(BillState.SETTLED, remaining)
    return BillStanding(BillState.SENT if remaining == gross else BillState.PARTIALLY_PAID, remaining)


@dataclass(frozen=True, slots=True)
class BillSummary:
    summary: DocumentSummary
    standing: BillStanding


def list_bills(
    reader: ReaderFactory, page: PageRequest, where: DocumentFilter, views: LedgerViews | None = None
) -> Page[BillSummary]:
    with reader() as uow:
        found = uow.listings.documents(page, where)
        ledgers: dict[str, Ledger] = {}
        items = []
        for summary in found.items:
            if summary.account_id not in ledgers:
                account = summary.account_id
                known = summary.ledger_stamp
                ledgers[account] = views.view(uow, account, known) if views else ledger_view(uow, account)
            standing = standing_of(ledgers[summary.account_id], summary.number, Money.of(summary.gross))
            items.append(BillSummary(summary, standing))
    return Page(tuple(items), found.total, found.offset, found.limit)


@dataclass(frozen=True, slots=True)
class Bill:
    stored: StoredDocument
    standing: BillStanding
    wants_einvoice: bool  # a professional customer: a UBL e-invoice is issued with the PDF

    @property
    def number(self) -> str:
        return self.stored.document.number


def find_bill(reader: ReaderFactory, number: str) -> Bill:
    with reader() as uow:
        stored = uow.documents.get(number)
        account = uow.accounts.get(stored.account_id)
        standing = standing_of(ledger_view(uow, stored.account_id), number, stored.document.totals.gross)
    return Bill(stored, standing, account.wants_einvoice)


def explain_bill(bill: Bill) -> list[LineExplanation]:
    return explain(bill.stored)


def bill_pdf(renderer: DocumentRenderer, bill: Bill) -> bytes:
    return render_files(renderer, bill.stored, bill.wants_einvoice)[f"{bill.number}.pdf"]


def bill_ubl(renderer: DocumentRenderer, bill: Bill) -> bytes:
    """The Peppol UBL of a document; asked of a residential customer's document too, it is built on demand."""
    return renderer.ubl(bill.stored.document)


def billed_usage_of(reader: ReaderFactory, number: str) -> list[UsageSummary]:
    """The usage records a document billed, in time order, each with its rating."""
    with reader() as uow:
        uow.documents.get(number)
        billed = usage_store(uow).billed(number)
    return [usage_summary(stored, (rated, number)) for stored, rated in billed]


def usage_summary(stored: StoredUsage, billed: tuple[RatedRecord, str] | None) -> UsageSummary:
    """A stored record as listed, with its rating and the document that billed it (``billed``), if any. The one
    mapping: the in-memory ``Listings`` of the tests list with it too, so the two cannot tell records apart."""
    r = stored.record
    rated, number = billed if billed is not None else (None, None)
    return UsageSummary(
        r.record_id,
        stored.account_id,
        stored.subscription_id,
        r.subscriber,
        r.start,
        r.service.value,
        r.country,
        r.destination,
        r.quantity,
        stored.period.start,
        stored.period.end,
        number,
        rated.tariff if rated else None,
        str(rated.amount) if rated else None,
        rated.charged_units if rated else None,
        rated.included_units if rated else None,
    )


@dataclass(frozen=True, slots=True)
class CreditRequest:
    invoice_number: str
    issue_date: date
    lines: tuple[int, ...] | None = None  # None: every line
    note: str | None = None


def credit(deps: BillingDeps, request: CreditRequest) -> StoredDocument:
    if request.lines is not None and not request.lines:
        raise TelbillError("credit.lines", "name the lines to credit, or none for all", ErrorKind.NEEDS_INPUT, "lines")
    return issue_credit_note(deps, request.invoice_number, request.issue_date, request.lines, request.note)


def is_invoice(summary: DocumentSummary) -> bool:
    return summary.type is DocumentType.INVOICE
