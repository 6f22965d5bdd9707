"""Usage: importing records (``telbill usage import``) and billing them (the bill run's ``UsageCharges``).

Import — idempotent by record id, one transaction per batch, nothing dropped silently:
1. each row is checked on its own (``core.rating.intake.parse_usage``): fields, time zone, numbers;
2. its subscription is the one holding the number and active on the record's local start date (a number
   nobody holds: unknown subscriber; held but not active then: outside any billing period); its billing
   period is that of the local start date; a period whose usage was already invoiced is closed (outside any
   billing period: a late record is never slipped onto a later invoice with a fresh allowance);
3. its subscription's catalog must be able to rate it (usage tariffs, a known country);
4. a known id with the same content is the same record again (counted, not added); with other content it is
   a conflict. Every row is either imported or quarantined with its reason: read = imported + quarantined.

Billing — ``UsageCharges`` is the bill run's ``ChargeSource`` for usage: the records of billing periods that
have ended by the issue date are rated (``core.rating``, the reference semantics) per subscription and
period with the catalog version in effect on the period's first day, and become one line per tariff
(``core.rating.lines``). When the document is issued, each record's rating is stored with its number: the
per-record detail of ``telbill usage detail`` and of the portal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import cast

from telbill.app.store import QuarantinedRow, StoredUsage, UnitOfWork, UsageStore
from telbill.core.accounts import Account
from telbill.core.billing.charges import ChargeKind, ChargeLine
from telbill.core.billing.cycles import period_containing
from telbill.core.catalog.schema import Catalog, CatalogVersion
from telbill.core.catalog.versions import version_at
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.rating.batch import rate_placed
from telbill.core.rating.intake import (
    Quarantine,
    QuarantineReason,
    RawUsage,
    content_fingerprint,
    parse_usage,
    row_fingerprint,
)
from telbill.core.rating.lines import parse_source_id, usage_lines
from telbill.core.rating.records import Placed, RatedRecord, RejectedRecord, UsageRecord
from telbill.core.rating.tables import RatingTables, rating_tables
from telbill.core.rating.tariff import classify
from telbill.core.rating.zoning import normalise_number
from telbill.core.subscriptions import Subscription

CatalogLookup = Callable[[str], Catalog]
ImportProgress = Callable[[int], None]  # rows read so far


def usage_store(uow: UnitOfWork) -> UsageStore:
    """The usage store of a unit of work (``UsageUnitOfWork``), or a coded error when it has none."""
    store = getattr(uow, "usage", None)
    if store is None:
        raise TelbillError("usage.no_store", f"{type(uow).__name__} has no usage store", ErrorKind.CONFLICT)
    return cast(UsageStore, store)


@dataclass(frozen=True, slots=True)
class UsageDeps:
    unit_of_work: Callable[[], UnitOfWork]
    catalog: CatalogLookup


@dataclass(slots=True)
class ImportReport:
    source: str
    read: int = 0
    new: int = 0  # imported by this run
    known: int = 0  # imported before (same id, same content)
    quarantined: dict[QuarantineReason, int] = field(default_factory=dict)

    @property
    def imported(self) -> int:
        return self.new + self.known

    @property
    def quarantined_total(self) -> int:
        return sum(self.quarantined.values())


@dataclass(frozen=True, slots=True)
class _Holder:
    subscription: Subscription
    account: Account


class _Subscribers:
    """Who holds which number, and the rating tables of each catalog version, for one import."""

    def __init__(self, uow: UnitOfWork, catalogs: CatalogLookup) -> None:
        accounts = {a.id: a for a in uow.accounts.many(uow.accounts.ids())}
        self.holders: dict[str, list[_Holder]] = {}
        for account_id, subscriptions in uow.subscriptions.for_accounts(sorted(accounts)).items():
            for subscription in subscriptions:
                for number in subscription.numbers:
                    holder = _Holder(subscription, accounts[account_id])
                    self.holders.setdefault(normalise_number(number), []).append(holder)
        self.catalogs = catalogs
        self.tables: dict[tuple[str, str], RatingTables | None] = {}

    def tables_at(self, catalog_id: str, day: date) -> RatingTables | None:
        catalog = self.catalogs(catalog_id)
        version = version_at(catalog, day)
        key = (catalog_id, version.version)
        if key not in self.tables:
            self.tables[key] = rating_tables(catalog, version) if version.usage is not None else None
        return self.tables[key]

    def place(self, record: UsageRecord) -> StoredUsage | Quarantine:
        holders = self.holders.get(record.subscriber)
        if not holders:
            return Quarantine(QuarantineReason.UNKNOWN_SUBSCRIBER, f"no subscription holds {record.subscriber}")
        zone_tables = self.tables_at(holders[0].account.catalog_id, record.start.date())
        if zone_tables is None:
            return _not_rated(holders[0].account)
        local_day = record.start.astimezone(zone_tables.timezone).date()
        holder = _holder_on(holders, record.subscriber, local_day)
        if isinstance(holder, Quarantine):
            return holder
        period = period_containing(local_day, holder.account.billing_day)
        tables = self.tables_at(holder.account.catalog_id, period.start)
        if tables is None:
            return _not_rated(holder.account)
        outcome = classify(tables, Placed(record, holder.subscription.id, period.start))
        if isinstance(outcome, RejectedRecord):
            where = f"used in {record.country}, to {record.destination or '-'}"
            return Quarantine(QuarantineReason.NOT_RATED, f"{outcome.reason.value} ({where})")
        return StoredUsage(record, content_fingerprint(record), holder.account.id, holder.subscription.id, period)


def _not_rated(account: Account) -> Quarantine:
    return Quarantine(QuarantineReason.NOT_RATED, f"catalog {account.catalog_id} has no usage tariffs")


def _holder_on(holders: Sequence[_Holder], number: str, day: date) -> _Holder | Quarantine:
    active = [h for h in holders if _active(h.subscription, day)]
    if not active:
        return Quarantine(QuarantineReason.OUTSIDE_BILLING_PERIOD, f"no subscription holding {number} active on {day}")
    if len(active) > 1:
        names = ", ".join(h.subscription.id for h in active)
        return Quarantine(QuarantineReason.UNKNOWN_SUBSCRIBER, f"{number} is held by {names} on {day}")
    return active[0]


def _active(subscription: Subscription, day: date) -> bool:
    timeline = subscription.timeline(day)
    started = timeline.activated is not None and timeline.activated <= day
    return started and (timeline.terminated is None or day < timeline.terminated)


def import_usage(
    deps: UsageDeps,
    rows: Iterable[RawUsage],
    source: str,
    batch_size: int = 5000,
    progress: ImportProgress | None = None,
) -> ImportReport:
    report = ImportReport(source)
    with deps.unit_of_work() as uow:
        subscribers = _Subscribers(uow, deps.catalog)
    seen: dict[str, str] = {}  # record id → fingerprint, within this file
    for batch in _batches(rows, batch_size):
        with deps.unit_of_work() as uow:
            _import_batch(usage_store(uow), subscribers, batch, report, seen)
            uow.commit()
        if progress is not None:
            progress(report.read)
    if report.read != report.imported + report.quarantined_total:  # the contract of the report
        raise TelbillError("usage.report", f"{report.read} read ≠ {report.imported} + {report.quarantined_total}")
    return report


def _batches(rows: Iterable[RawUsage], size: int) -> Iterator[list[RawUsage]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _import_batch(
    store: UsageStore, subscribers: _Subscribers, batch: Sequence[RawUsage], report: ImportReport, seen: dict[str, str]
) -> None:
    outcomes: list[tuple[RawUsage, StoredUsage | Quarantine]] = []
    for raw in batch:
        parsed = parse_usage(raw)
        outcomes.append((raw, parsed if isinstance(parsed, Quarantine) else subscribers.place(parsed)))
    placed = [o for _, o in outcomes if isinstance(o, StoredUsage)]
    closed = store.billed_periods(sorted({p.subscription_id for p in placed}))
    known = store.fingerprints([p.record.record_id for p in placed])
    new: list[StoredUsage] = []
    quarantine: list[QuarantinedRow] = []
    for raw, placed_or_not in outcomes:
        report.read += 1
        outcome = (
            _check_against_store(placed_or_not, closed, known, seen)
            if isinstance(placed_or_not, StoredUsage)
            else placed_or_not
        )
        if isinstance(outcome, Quarantine):
            key = row_fingerprint(raw, outcome.reason)
            row = QuarantinedRow(
                key, report.source, raw.row, raw.record_id, outcome.reason, outcome.message, raw.fields()
            )
            quarantine.append(row)
            report.quarantined[outcome.reason] = report.quarantined.get(outcome.reason, 0) + 1
        elif outcome is None:
            report.known += 1
        else:
            new.append(outcome)
            seen[outcome.record.record_id] = outcome.fingerprint
            report.new += 1
    store.add(new)
    store.quarantine(quarantine)


def _check_against_store(
    stored: StoredUsage, closed: dict[tuple[str, date], str], known: dict[str, str], seen: dict[str, str]
) -> StoredUsage | Quarantine | None:
    """None when the record is imported already (same id, same content)."""
    record_id = stored.record.record_id
    before = known.get(record_id) or seen.get(record_id)
    if before is not None:
        if before == stored.fingerprint:
            return None
        return Quarantine(QuarantineReason.CONFLICTING_DUPLICATE, f"record {record_id} is known with other content")
    document = closed.get((stored.subscription_id, stored.period.start))
    if document is not None:
        return Quarantine(
            QuarantineReason.OUTSIDE_BILLING_PERIOD,
            f"the usage of {stored.period} of {stored.subscription_id} is billed already ({document})",
        )
    return stored


class UsageCharges:
    """The bill run's ``ChargeSource`` of rated usage."""

    kind = ChargeKind.USAGE

    def __init__(self, catalogs: CatalogLookup) -> None:
        self.catalogs = catalogs
        # per catalog version, for every batch of a run; the version is kept and compared by identity
        self._tables: dict[int, tuple[CatalogVersion, RatingTables]] = {}

    def pending(self, uow: UnitOfWork, accounts: Sequence[Account], through: date) -> dict[str, list[ChargeLine]]:
        by_id = {a.id: a for a in accounts}  # as the caller read them: their catalogs rate the records
        lines: dict[str, list[ChargeLine]] = {}
        for account_id, records in usage_store(uow).unbilled(list(by_id), through).items():
            account = by_id[account_id]
            for (subscription_id, period_start), group in _by_period(records).items():
                tables = self._tables_at(account.catalog_id, period_start)
                rated = _rated(tables, group)
                lines.setdefault(account_id, []).extend(usage_lines(tables, subscription_id, group[0].period, rated))
        return lines

    def mark_billed(self, uow: UnitOfWork, source_ids: Sequence[str], document_number: str) -> None:
        store = usage_store(uow)
        tariffs: dict[tuple[str, date], set[str]] = {}
        for text in source_ids:
            subscription_id, period_text, tariff = parse_source_id(text)
            tariffs.setdefault((subscription_id, date.fromisoformat(period_text)), set()).add(tariff)
        for (subscription_id, period_start), codes in sorted(tariffs.items()):
            group = store.unbilled_of(subscription_id, period_start)
            if not group:
                continue
            account = uow.accounts.get(group[0].account_id)
            rated = _rated(self._tables_at(account.catalog_id, period_start), group)
            store.mark_billed([r for r in rated if r.tariff in codes], document_number)

    def _tables_at(self, catalog_id: str, period_start: date) -> RatingTables:
        catalog = self.catalogs(catalog_id)
        version = version_at(catalog, period_start)
        entry = self._tables.get(id(version))
        if entry is None or entry[0] is not version:
            entry = self._tables[id(version)] = (version, rating_tables(catalog, version))
        return entry[1]


def _by_period(records: Sequence[StoredUsage]) -> dict[tuple[str, date], list[StoredUsage]]:
    groups: dict[tuple[str, date], list[StoredUsage]] = {}
    for stored in sorted(records, key=lambda s: (s.subscription_id, s.period.start, s.record.order_key)):
        groups.setdefault((stored.subscription_id, stored.period.start), []).append(stored)
    return groups


def _rated(tables: RatingTables, group: Sequence[StoredUsage]) -> list[RatedRecord]:
    results = rate_placed(tables, [Placed(s.record, s.subscription_id, s.period.start) for s in group])
    rejected = [r for r in results if isinstance(r, RejectedRecord)]
    if rejected:
        raise TelbillError(
            "usage.unratable",
            f"{len(rejected)} stored records cannot be rated with {tables.catalog_id} {tables.version} "
            f"(first: {rejected[0].record_id}, {rejected[0].reason.value})",
            ErrorKind.CONFLICT,
        )
    return [r for r in results if isinstance(r, RatedRecord)]


def billed_usage(uow: UnitOfWork, document_number: str) -> list[tuple[StoredUsage, RatedRecord]]:
    """The records a document billed, with their rating: the per-record detail of its usage lines."""
    with uow:
        uow.documents.get(document_number)  # NOT_FOUND for an unknown number
        return usage_store(uow).billed(document_number)
