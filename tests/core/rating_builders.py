"""Builders for rating tests: the Telenet tables, a subscriber, rows of usage."""

from __future__ import annotations

from datetime import datetime
from functools import cache

from telbill.core.rating.batch import rate_rows
from telbill.core.rating.records import CdrRow, RatedRecord, Rating, Subscriber
from telbill.core.rating.tables import RatingTables, rating_tables
from tests.catalogs.conftest import seed_catalog

DUPONT = Subscriber("+32470123456", "SUB-1", 1)


@cache
def telenet() -> RatingTables:
    catalog = seed_catalog("telenet-clic-bureau")
    return rating_tables(catalog, catalog.versions[-1])


def row(
    record_id: str,
    service: str,
    quantity: int | None,
    destination: str | None = None,
    country: str | None = "BE",
    start: str = "2026-03-05T10:00:00+01:00",
    subscriber: str | None = DUPONT.number,
) -> CdrRow:
    return CdrRow(record_id, subscriber, datetime.fromisoformat(start), service, country, destination, quantity)


def rate(*rows: CdrRow, subscribers: tuple[Subscriber, ...] = (DUPONT,)) -> list[Rating]:
    return rate_rows(telenet(), {s.number: s for s in subscribers}, rows)


def rate_one(record: CdrRow) -> RatedRecord:
    (result,) = rate(record)
    assert isinstance(result, RatedRecord), result
    return result
