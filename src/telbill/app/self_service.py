"""What a customer sees of their own account: the consumption of the current period and how to pay.

Contract (reads only, one transaction each, ``today`` an input):
- ``consumption``: the billing period containing ``today`` (from the account's billing day), what accrues in
  it so far — each running recurring item at its prorated amount (the same reconciliation as the bill run,
  ``core/billing/charges.py``, without what was billed in advance: the period's own amount), the one-off
  charges waiting for the next bill, the usage of the period rated as the bill run would rate it — the usage
  per service and day for a chart, and the totals of the latest invoices.
- ``how_to_pay``: every open item with the seller's IBAN and BIC, the amount left, the structured
  communication and the due date; an account paying by direct debit is told that it needs to do nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from telbill.app.access_store import AccessUnitOfWork, DocumentFilter, PageRequest
from telbill.app.billing import CatalogLookup
from telbill.app.bills import ledger_view
from telbill.app.store import UnitOfWork
from telbill.app.usage import UsageCharges, usage_store
from telbill.core.accounts import Account, Mandate, PaymentMethod
from telbill.core.billing.charges import RecurringRequest, recurring_charges
from telbill.core.billing.cycles import period_containing
from telbill.core.billing.invoice import DocumentType
from telbill.core.billing.numbering import StructuredCommunication
from telbill.core.billing.run import pricing_for
from telbill.core.catalog.pricing import price_order
from telbill.core.money import Money, total
from telbill.core.period import DateRange
from telbill.core.receivables.ledger import EntryKind

ReaderFactory = Callable[[], AccessUnitOfWork]


@dataclass(frozen=True, slots=True)
class AccruedLine:
    kind: str  # recurring, one_time, usage
    item_code: str
    label: str
    net: Money


@dataclass(frozen=True, slots=True)
class DailyUsage:
    day: date
    service: str  # voice (seconds), sms (messages), data (bytes)
    quantity: int


@dataclass(frozen=True, slots=True)
class Consumption:
    account: Account
    period: DateRange
    lines: tuple[AccruedLine, ...]
    usage: tuple[DailyUsage, ...]
    history: tuple[tuple[str, Money], ...]  # (period, invoiced gross), oldest first

    @property
    def net(self) -> Money:
        return total(line.net for line in self.lines)

    def usage_total(self, service: str) -> int:
        return sum(u.quantity for u in self.usage if u.service == service)


def consumption(reader: ReaderFactory, catalogs: CatalogLookup, account_id: str, today: date) -> Consumption:
    with reader() as uow:
        account = uow.accounts.get(account_id)
        period = period_containing(today, account.billing_day)
        lines = _recurring(uow, catalogs, account, period) + _one_off(uow, catalogs, account, period)
        lines += _usage_lines(uow, catalogs, account, period)
        usage = _daily_usage(uow, account, period)
        invoices = uow.listings.documents(PageRequest(0, 12), DocumentFilter(account_id, DocumentType.INVOICE))
    history = tuple((s.period, Money.of(s.gross)) for s in reversed(invoices.items))
    return Consumption(account, period, tuple(lines), usage, history)


def _recurring(uow: UnitOfWork, catalogs: CatalogLookup, account: Account, period: DateRange) -> list[AccruedLine]:
    pricing = pricing_for(catalogs(account.catalog_id), account)
    found = []
    for subscription in uow.subscriptions.for_accounts([account.id]).get(account.id, []):
        request = RecurringRequest(subscription.id, subscription.timeline(), account.billing_day, period)
        for line in recurring_charges(pricing, request):
            if line.period_start == period.start:
                found.append(AccruedLine("recurring", line.item_code, line.label, line.net))
    return found


def _one_off(uow: UnitOfWork, catalogs: CatalogLookup, account: Account, period: DateRange) -> list[AccruedLine]:
    pricing = pricing_for(catalogs(account.catalog_id), account)
    found = []
    for charge in uow.charges.unbilled([account.id], period.last_day).get(account.id, []):
        line = price_order(pricing(charge.day), charge.order)
        found.append(AccruedLine("one_time", line.code, charge.reason or line.label, line.net))
    return found


def _usage_lines(uow: UnitOfWork, catalogs: CatalogLookup, account: Account, period: DateRange) -> list[AccruedLine]:
    if not hasattr(uow, "usage"):
        return []
    lines = UsageCharges(catalogs).pending(uow, [account], period.end).get(account.id, [])
    return [
        AccruedLine("usage", line.item_code, line.label, line.net)
        for line in lines
        if line.period_start in (None, period.start)
    ]


def _daily_usage(uow: UnitOfWork, account: Account, period: DateRange) -> tuple[DailyUsage, ...]:
    if not hasattr(uow, "usage"):
        return ()
    store = usage_store(uow)
    totals: dict[tuple[date, str], int] = {}
    for subscription in uow.subscriptions.for_accounts([account.id]).get(account.id, []):
        for stored in store.unbilled_of(subscription.id, period.start):
            key = (stored.record.start.date(), stored.record.service.value)
            totals[key] = totals.get(key, 0) + stored.record.quantity
    return tuple(DailyUsage(day, service, quantity) for (day, service), quantity in sorted(totals.items()))


@dataclass(frozen=True, slots=True)
class PaymentInstruction:
    number: str  # the document, or the ledger entry
    beneficiary: str
    iban: str
    bic: str
    amount: Money  # what is left to pay
    communication: StructuredCommunication | None
    due: date | None
    overdue: bool


@dataclass(frozen=True, slots=True)
class HowToPay:
    account: Account
    balance: Money  # + owed by the customer, − owed to the customer
    mandate: Mandate | None  # paying by direct debit: nothing to do
    open: tuple[PaymentInstruction, ...]


def how_to_pay(reader: ReaderFactory, account_id: str, today: date) -> HowToPay:
    with reader() as uow:
        account = uow.accounts.get(account_id)
        ledger = ledger_view(uow, account_id)
        instructions = []
        for item in ledger.open_items():
            entry = item.entry
            if entry.kind not in (EntryKind.INVOICE, EntryKind.FEE):  # a refund or a returned debit: no document
                continue
            seller = uow.documents.get(entry.id).document.seller
            communication = StructuredCommunication(entry.communication) if entry.communication else None
            due = entry.due
            instructions.append(
                PaymentInstruction(
                    entry.id,
                    seller.party.name,
                    seller.iban,
                    seller.bic,
                    item.remaining,
                    communication,
                    due,
                    due is not None and due < today,
                )
            )
    mandate = account.mandate if account.payment_method is PaymentMethod.DIRECT_DEBIT else None
    return HowToPay(account, ledger.balance(), mandate, tuple(instructions))
