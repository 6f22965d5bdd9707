"""Rating a file of usage records with an engine: ``telbill rate INPUT --out OUTPUT [--engine …]``.

Contract:
- A ``RatingEngine`` reads the rating input (Parquet or CSV, columns in docs/usage.md), rates every row with
  the lookup tables of ``telbill.core.rating.tables`` and writes one output row per input row — rated, or
  rejected with its reason; nothing is dropped. Engines: ``reference`` (pure Python, the oracle), ``duckdb``
  (the embedded default, out of core), ``spark`` (optional extra ``telbill[spark]``). Same input, same
  tables: the same amounts to the cent (tests/adapters/test_rating_parity.py).
- ``rating_job`` gathers what the engines need from the store and the catalog: the subscribers (every number
  of the subscriptions active on ``day`` whose account buys from the catalog) and the tables of the catalog
  version in effect on ``day``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol

from telbill.app.store import UnitOfWork
from telbill.core.catalog.schema import Catalog
from telbill.core.catalog.versions import version_at
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.money import Money
from telbill.core.rating.records import RejectReason, Subscriber
from telbill.core.rating.tables import RatingTables, rating_tables
from telbill.core.rating.zoning import normalise_number

Progress = Callable[[float], None]  # the share of the work done, 0 to 1


@dataclass(frozen=True, slots=True)
class RatingJob:
    source: Path  # Parquet or CSV (by suffix)
    output: Path  # Parquet: a file (reference, duckdb) or a folder of part files (spark)
    tables: RatingTables
    subscribers: tuple[Subscriber, ...]

    def __post_init__(self) -> None:
        numbers = [s.number for s in self.subscribers]
        if len(set(numbers)) != len(numbers):
            twice = sorted({n for n in numbers if numbers.count(n) > 1})
            raise TelbillError("rating.ambiguous_number", f"numbers held by two subscriptions: {', '.join(twice)}")


@dataclass(frozen=True, slots=True)
class RatingSummary:
    engine: str
    output: Path
    rows: int
    rated: int
    amount: Money  # the sum of the rated records' amounts
    rejected: Mapping[RejectReason, int] = field(default_factory=dict)

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())


class RatingEngine(Protocol):
    @property
    def name(self) -> str: ...

    def rate_file(self, job: RatingJob, progress: Progress | None = None) -> RatingSummary: ...


def subscribers_of(uow: UnitOfWork, catalog_id: str, day: date) -> tuple[Subscriber, ...]:
    """Every number of the subscriptions active on ``day`` of the accounts that buy from ``catalog_id``."""
    with uow:
        accounts = {a.id: a for a in uow.accounts.many(uow.accounts.ids()) if a.catalog_id == catalog_id}
        by_account = uow.subscriptions.for_accounts(sorted(accounts))
    found: list[Subscriber] = []
    for account_id, subscriptions in sorted(by_account.items()):
        for subscription in subscriptions:
            timeline = subscription.timeline(day)
            active = timeline.activated is not None and timeline.activated <= day
            if not active or (timeline.terminated is not None and timeline.terminated <= day):
                continue
            found += [
                Subscriber(normalise_number(number), subscription.id, accounts[account_id].billing_day)
                for number in subscription.numbers
            ]
    return tuple(found)


def rating_job(
    uow: UnitOfWork, catalog: Catalog, day: date, source: Path, output: Path, subscribers: tuple[Subscriber, ...] = ()
) -> RatingJob:
    """The job for ``telbill rate``: the given subscribers, else those of the store."""
    tables = rating_tables(catalog, version_at(catalog, day))
    return RatingJob(source, output, tables, subscribers or subscribers_of(uow, catalog.id, day))


def choose_catalog(uow: UnitOfWork, catalogs: Callable[[str], Catalog], day: date) -> Catalog:
    """The one catalog with usage tariffs that the store's accounts buy from, when ``--catalog`` is not given."""
    with uow:
        ids = sorted({a.catalog_id for a in uow.accounts.many(uow.accounts.ids())})
    rated = [catalogs(i) for i in ids if version_at(catalogs(i), day).usage is not None]
    if len(rated) != 1:
        names = ", ".join(c.id for c in rated) or "none"
        raise TelbillError(
            "rating.which_catalog",
            f"name the catalog to rate with (--catalog): the accounts' catalogs with usage tariffs are {names}",
            ErrorKind.NEEDS_INPUT,
        )
    return rated[0]
