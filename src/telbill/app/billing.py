"""The bill run use case: one invoice (or credit note) per account and period, exactly once.

Gather → decide → apply, one transaction per batch of accounts:
1. lock the batch (concurrent runs skip each other's accounts) and drop those already processed;
2. gather accounts, subscriptions, unbilled charges, what was billed before; add the contract fees the
   timelines call for (idempotent ids);
3. decide each account's documents with the pure core (``telbill.core.billing.run``);
4. number them from gap-free series, store them, mark their charges billed and the accounts processed;
   commit. A crash loses the open batch only, numbers included; a rerun bills what is left.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from telbill.app.store import ChargeSource, StoredDocument, UnitOfWork
from telbill.core.accounts import Account
from telbill.core.billing.charges import ChargeKind, ChargeLine
from telbill.core.billing.cycles import parse_period
from telbill.core.billing.draft import Draft, issue
from telbill.core.billing.invoice import DocumentType
from telbill.core.billing.numbering import CREDIT_NOTE_SERIES, INVOICE_SERIES, Series
from telbill.core.billing.parties import Seller
from telbill.core.billing.run import AccountFacts, BillingPeriod, bill_account, contract_charges, seller_of
from telbill.core.catalog.schema import Catalog
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.money import Money

UnitOfWorkFactory = Callable[[], UnitOfWork]
CatalogLookup = Callable[[str], Catalog]
Progress = Callable[[int, int], None]  # (accounts done, accounts in all)


@dataclass(frozen=True, slots=True)
class BillRunRequest:
    period: str  # YYYY-MM
    issue_date: date
    batch_size: int = 500
    shard: tuple[int, int] = (0, 1)  # (this worker, workers): worker k takes batches k, k + n, k + 2n…


@dataclass(slots=True)
class BillRunReport:
    period: str
    accounts: int = 0
    already_processed: int = 0
    billed: int = 0
    invoices: int = 0
    credit_notes: int = 0
    documents: list[str] = field(default_factory=list)
    total_signed_gross: Money = field(default_factory=Money.zero)


@dataclass(frozen=True, slots=True)
class BillingDeps:
    unit_of_work: UnitOfWorkFactory
    catalog: CatalogLookup
    seller: Seller | None = None  # the installation's own identity, for catalogs that do not name their operator
    sources: tuple[ChargeSource, ...] = ()  # other domains' amounts: rated usage, compensation credits


def run_bill_run(deps: BillingDeps, request: BillRunRequest, progress: Progress | None = None) -> BillRunReport:
    if request.batch_size < 1:
        raise TelbillError("billrun.batch_size", "the batch size must be at least 1", field="batch_size")
    with deps.unit_of_work() as uow:
        account_ids = uow.accounts.ids()
    report = BillRunReport(request.period, accounts=len(account_ids))
    worker, workers = request.shard
    if not 0 <= worker < workers:
        raise TelbillError("billrun.shard", f"worker {worker} of {workers} does not exist", field="shard")
    done = 0
    for number, batch in enumerate(_chunks(account_ids, request.batch_size)):
        if number % workers != worker:
            continue
        _bill_batch(deps, request, batch, report)
        done += len(batch)
        if progress is not None:
            progress(done, len(account_ids))
    return report


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _bill_batch(deps: BillingDeps, request: BillRunRequest, batch: Sequence[str], report: BillRunReport) -> None:
    with deps.unit_of_work() as uow:
        locked = uow.lock_accounts(batch)
        processed = uow.bill_runs.processed(request.period, locked)
        report.already_processed += len(batch) - len(locked) + len(processed)
        todo = [account_id for account_id in locked if account_id not in processed]
        if not todo:
            return
        drafts = _decide(deps, uow, request, uow.accounts.many(todo))
        _apply(deps, uow, request, drafts, report)
        uow.bill_runs.mark_processed(request.period, todo)
        uow.commit()
    report.billed += len(todo)


def _decide(
    deps: BillingDeps, uow: UnitOfWork, request: BillRunRequest, accounts: list[Account]
) -> list[tuple[Account, Draft]]:
    ids = [a.id for a in accounts]
    subscriptions = uow.subscriptions.for_accounts(ids)
    for account in accounts:
        catalog = deps.catalog(account.catalog_id)
        for charge in contract_charges(catalog, account, tuple(subscriptions.get(account.id, ())), request.issue_date):
            uow.charges.add(account.id, charge)
    unbilled = uow.charges.unbilled(ids, request.issue_date)
    billed = uow.documents.billed_recurring(ids)
    latest = uow.documents.latest_invoices(ids)
    extra: dict[str, list[ChargeLine]] = {}
    for source in deps.sources:
        for account_id, lines in source.pending(uow, accounts, request.issue_date).items():
            extra.setdefault(account_id, []).extend(lines)
    decided: list[tuple[Account, Draft]] = []
    for account in accounts:
        facts = AccountFacts(
            account,
            tuple(subscriptions.get(account.id, ())),
            tuple(unbilled.get(account.id, ())),
            tuple(billed.get(account.id, ())),
            latest.get(account.id),
            tuple(extra.get(account.id, ())),
        )
        account_period = BillingPeriod(
            request.period, parse_period(request.period, account.billing_day), request.issue_date
        )
        decided += [(account, draft) for draft in bill_account(deps.catalog(account.catalog_id), facts, account_period)]
    return decided


def _apply(
    deps: BillingDeps,
    uow: UnitOfWork,
    request: BillRunRequest,
    drafts: list[tuple[Account, Draft]],
    report: BillRunReport,
) -> None:
    year = request.issue_date.year
    next_number = {
        kind: _reserve(uow, series, year, sum(1 for _, d in drafts if d.type is kind))
        for kind, series in ((DocumentType.INVOICE, INVOICE_SERIES), (DocumentType.CREDIT_NOTE, CREDIT_NOTE_SERIES))
    }
    series_of = {DocumentType.INVOICE: INVOICE_SERIES, DocumentType.CREDIT_NOTE: CREDIT_NOTE_SERIES}
    sellers: dict[str, Seller] = {}
    for account, draft in drafts:
        sequence = next_number[draft.type]
        next_number[draft.type] += 1
        number = series_of[draft.type].format(year, sequence)
        if account.catalog_id not in sellers:
            sellers[account.catalog_id] = seller_of(deps.catalog(account.catalog_id), deps.seller)
        document = issue(draft, sellers[account.catalog_id], account, number, year * 1_000_000 + sequence)
        uow.documents.add(StoredDocument(account.id, draft.period, draft.out_of_scope, document, draft.meta))
        _mark_billed(deps, uow, draft, number)
        report.documents.append(number)
        report.total_signed_gross += document.signed_gross
        if draft.type is DocumentType.INVOICE:
            report.invoices += 1
        else:
            report.credit_notes += 1


def _mark_billed(deps: BillingDeps, uow: UnitOfWork, draft: Draft, number: str) -> None:
    """Each billed line's origin learns which document billed it: pending charges, and the other sources."""
    by_kind: dict[ChargeKind, list[str]] = {}
    for meta in draft.meta:
        if meta.source_id is not None:
            by_kind.setdefault(meta.kind, []).append(meta.source_id)
    for kind, source_ids in by_kind.items():
        if kind is ChargeKind.ONE_TIME:
            uow.charges.mark_billed(source_ids, number)
        for source in deps.sources:
            if source.kind is kind:
                source.mark_billed(uow, source_ids, number)


def _reserve(uow: UnitOfWork, series: Series, year: int, count: int) -> int:
    if count == 0:
        return 1
    first = uow.numbers.allocate(f"{series.prefix}{year}", count)
    if first + count - 1 >= 10**series.width:
        raise TelbillError("billrun.series_full", f"series {series.prefix}{year} is full", ErrorKind.CONFLICT)
    return first
