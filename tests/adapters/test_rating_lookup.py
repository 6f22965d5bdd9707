"""The engines' lookup tables say what the core says: periods by local date through DST changes, zones by
longest prefix, the allowance bound above every tariff's units."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from telbill.adapters.engines.lookup import DAY_US, period_table, static_tables
from telbill.core.rating.records import epoch_us
from telbill.core.rating.tariff import period_start, rated_units
from tests.core.rating_builders import telenet

FIRST = datetime(2025, 1, 1, tzinfo=UTC)
LAST = datetime(2027, 1, 1, tzinfo=UTC)
TABLE = period_table(telenet(), range(1, 29), epoch_us(FIRST), epoch_us(LAST)).to_pylist()
BY_DAY = {(row["billing_day"], row["utc_day"]): row for row in TABLE}


def period_by_table(instant: datetime, billing_day: int) -> object:
    us = epoch_us(instant)
    row = BY_DAY[(billing_day, us // DAY_US)]
    after = row["boundary_us"] is not None and us >= row["boundary_us"]
    return row["after_start"] if after else row["before_start"]


@settings(max_examples=500)
@given(st.integers(0, int((LAST - FIRST).total_seconds()) - 1), st.integers(1, 28))
def test_the_period_table_agrees_with_the_local_date(seconds: int, billing_day: int) -> None:
    instant = FIRST + timedelta(seconds=seconds)
    local = instant.astimezone(telenet().timezone).date()
    assert period_by_table(instant, billing_day) == period_start(local, billing_day)


def test_the_period_table_around_midnight_and_the_clock_changes() -> None:
    # 29 March 2026: summer time from 01:00 UTC; local midnight of 1 April is 31 March 22:00 UTC
    cases = [
        ("2026-03-31T21:59:59.999999+00:00", 1, "2026-03-01"),
        ("2026-03-31T22:00:00+00:00", 1, "2026-04-01"),
        ("2026-10-31T22:59:59+00:00", 1, "2026-10-01"),  # winter time again since 25 October: 23:59:59
        ("2026-10-31T23:00:00+00:00", 1, "2026-11-01"),
        ("2026-03-14T22:59:59+00:00", 15, "2026-02-15"),
        ("2026-03-14T23:00:00+00:00", 15, "2026-03-15"),
    ]
    for text, billing_day, expected in cases:
        assert str(period_by_table(datetime.fromisoformat(text), billing_day)) == expected, text


def test_the_allowance_bound_is_never_below_a_tariffs_units() -> None:
    tables = telenet()
    bounds = {row["allowance_id"]: row for row in static_tables(tables)["allowances"].to_pylist()}
    rates = static_tables(tables)["rates"].to_pylist()
    for rate in (r for r in rates if r["allowance_id"] is not None):
        bound = bounds[rate["allowance_id"]]
        tariff = tables.tariff(rate["tariff"])
        for quantity in (1, 59, 60, 61, 999, 1000, 1001, 123_456_789):
            units = -(-quantity // bound["unit_size"])
            assert max(units, bound["minimum"]) + bound["slack"] >= rated_units(quantity, tariff)
