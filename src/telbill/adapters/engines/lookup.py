"""The lookup tables of a rating job as Arrow tables, and the schemas of the rating input and output.

Contract: the vectorised engines join their input on exactly these rows, built from ``RatingTables`` (the
catalog), the job's subscribers and the billing periods:
- ``prefixes`` (key, zone): ``RatingTables.expanded_prefixes`` — longest-prefix matching resolved ahead;
- ``countries`` (country, region); ``rules`` (service, region, zone, tariff, allowance), zone '' for data;
- ``tariffs`` (code, unit_size, minimum, increment, units_per, rate_micro, per_record_micro): the arithmetic
  in integers, rates in micro-euros (the catalog allows six decimals, so this is exact);
- ``allowances`` (code, quantity) in charging units; ``subscribers`` (subscriber, subscription_id,
  billing_day);
- ``periods`` (billing_day, utc_day, before_start, boundary_us, after_start): for each billing day and each
  UTC day the input touches, the billing period of an instant of that day. A UTC day holds at most one local
  midnight (at 22:00 or 23:00 UTC in Brussels): instants before ``boundary_us`` belong to the period of
  ``before_start``, the others to that of ``after_start``. Built with the catalog's time zone, so the engines
  need no time-zone arithmetic of their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import pyarrow as pa

from telbill.core.catalog.usage import Region, Service
from telbill.core.errors import TelbillError
from telbill.core.rating.records import EPOCH, Subscriber, epoch_us
from telbill.core.rating.tables import RatingTables
from telbill.core.rating.tariff import period_start

DAY_US = 86_400_000_000

INPUT_SCHEMA = pa.schema(
    [
        ("record_id", pa.string()),
        ("subscriber", pa.string()),
        ("start", pa.timestamp("us", tz="UTC")),
        ("service", pa.string()),
        ("country", pa.string()),
        ("destination", pa.string()),
        ("quantity", pa.int64()),
    ]
)

OUTPUT_SCHEMA = pa.schema(
    [
        ("record_id", pa.string()),
        ("subscription_id", pa.string()),
        ("period_start", pa.date32()),
        ("zone", pa.string()),
        ("tariff", pa.string()),
        ("allowance", pa.string()),
        ("rated_units", pa.int64()),
        ("included_units", pa.int64()),
        ("charged_units", pa.int64()),
        ("amount", pa.decimal128(18, 2)),
        ("status", pa.string()),
        ("reason", pa.string()),
    ]
)


SERVICE_IDS = {Service.VOICE: 1, Service.SMS: 2, Service.DATA: 3}
REGION_IDS = {Region.HOME: 1, Region.EU: 2, Region.WORLD: 3}


def rate_key(service_id: int, region_id: int, zone_id: int) -> int:
    """The key of ``rates``: service, region and zone in one integer (zone 0 for data, zones 1 to 999)."""
    return service_id * 10_000 + region_id * 1_000 + zone_id


def zone_ids(tables: RatingTables) -> dict[str, int]:
    codes = list(dict.fromkeys(zone for _, zone in tables.prefixes))
    return {code: number for number, code in enumerate(codes, start=1)}


@lru_cache(maxsize=4)
def static_tables(tables: RatingTables) -> dict[str, pa.Table]:
    """The tables that depend on the catalog only (kept for the next job on the same tables)."""
    zones = zone_ids(tables)
    prefixes = list(tables.expanded_prefixes().items())
    allowance_ids = {code: number for number, (code, _, _) in enumerate(tables.allowances, start=1)}
    return {
        "prefixes": pa.table(
            {
                "key": [k for k, _ in prefixes],
                "zone_id": pa.array([zones[z] for _, z in prefixes], pa.int32()),
                "zone": [z for _, z in prefixes],
            }
        ),
        "countries": pa.table(
            {
                "country": [c for c, _ in tables.countries],
                "region_id": pa.array([REGION_IDS[r] for _, r in tables.countries], pa.int32()),
            }
        ),
        "rates": _rates(tables, zones, allowance_ids),
        "allowances": _allowance_bounds(tables, allowance_ids),
    }


def _rates(tables: RatingTables, zones: dict[str, int], allowance_ids: dict[str, int]) -> pa.Table:
    """One row per rule: its key, its tariff's arithmetic and its allowance."""
    rules = tables.rules
    tariffs = [tables.tariff(rule.tariff) for rule in rules]
    keys = [rate_key(SERVICE_IDS[r.service], REGION_IDS[r.region], zones[r.zone] if r.zone else 0) for r in rules]
    numbers = {
        "unit_size": [t.unit_size for t in tariffs],
        "minimum": [t.minimum for t in tariffs],
        "increment": [t.increment for t in tariffs],
        "units_per": [t.units_per for t in tariffs],
        "rate_micro": [t.rate_micro for t in tariffs],
        "per_record_micro": [t.per_record_micro for t in tariffs],
    }
    return pa.table(
        {
            "rate_key": pa.array(keys, pa.int64()),
            "tariff": [t.code for t in tariffs],
            "allowance": pa.array([r.allowance for r in rules], pa.string()),
            "allowance_id": pa.array([allowance_ids.get(r.allowance or "") for r in rules], pa.int64()),
            **_integers(numbers),
        }
    )


def _integers(columns: dict[str, list[int]]) -> dict[str, pa.Array]:
    return {name: pa.array(values, pa.int64()) for name, values in columns.items()}


def _allowance_bounds(tables: RatingTables, allowance_ids: dict[str, int]) -> pa.Table:
    """Per allowance, an upper bound of the charging units any record of its service can take from it:
    ``max(⌈quantity ÷ unit size⌉, minimum) + slack``, with the largest minimum and increment of the tariffs its
    rules use (a tariff's units never exceed max(units, minimum) + increment − 1)."""
    rows = []
    for code, _, quantity in tables.allowances:
        tariffs = [tables.tariff(rule.tariff) for rule in tables.rules if rule.allowance == code]
        service = tariffs[0].service
        minimum = max(t.minimum for t in tariffs)
        slack = max(t.increment for t in tariffs) - 1
        rows.append((allowance_ids[code], SERVICE_IDS[service], tariffs[0].unit_size, minimum, slack, quantity))
    names = ("allowance_id", "service_id", "unit_size", "minimum", "slack", "quantity")
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(names)
    return pa.table({name: pa.array(list(values), pa.int64()) for name, values in zip(names, columns, strict=True)})


def subscriber_table(subscribers: Iterable[Subscriber]) -> pa.Table:
    rows = list(subscribers)
    return pa.table(
        {
            "subscriber": pa.array([s.number for s in rows], pa.string()),
            "subscription_id": pa.array([s.subscription_id for s in rows], pa.string()),
            "billing_day": pa.array([s.billing_day for s in rows], pa.int32()),
        }
    )


def period_table(tables: RatingTables, billing_days: Iterable[int], first_us: int, last_us: int) -> pa.Table:
    """The periods of every UTC day from the one of ``first_us`` to that of ``last_us`` (epoch microseconds)."""
    zone = tables.timezone
    columns: dict[str, list[object]] = {k: [] for k in ("billing_day", "utc_day", "before", "boundary", "after")}
    for day_number in range(first_us // DAY_US, last_us // DAY_US + 1):
        day_start = EPOCH + timedelta(days=day_number)
        first_local = day_start.astimezone(zone).date()
        last_local = (day_start + timedelta(days=1, microseconds=-1)).astimezone(zone).date()
        boundary = None if first_local == last_local else _local_midnight(last_local, zone, day_start)
        for billing_day in sorted(set(billing_days)):
            before, after = period_start(first_local, billing_day), period_start(last_local, billing_day)
            columns["billing_day"].append(billing_day)
            columns["utc_day"].append(day_number)
            columns["before"].append(before)
            columns["boundary"].append(boundary if before != after else None)
            columns["after"].append(after)
    return pa.table(
        {
            "billing_day": pa.array(columns["billing_day"], pa.int32()),
            "utc_day": pa.array(columns["utc_day"], pa.int64()),
            "before_start": pa.array(columns["before"], pa.date32()),
            "boundary_us": pa.array(columns["boundary"], pa.int64()),
            "after_start": pa.array(columns["after"], pa.date32()),
        }
    )


def _local_midnight(day: date, zone: object, utc_day_start: datetime) -> int:
    midnight = datetime.combine(day, time(0), tzinfo=zone)  # type: ignore[arg-type]
    boundary = epoch_us(midnight.astimezone(UTC))
    before = EPOCH + timedelta(microseconds=boundary - 1)
    inside = utc_day_start <= midnight < utc_day_start + timedelta(days=1)
    if not inside or before.astimezone(zone).date() == day:  # type: ignore[arg-type]
        raise TelbillError("rating.timezone", f"the local date changes twice on {utc_day_start.date()} (UTC)")
    return boundary
