"""Allowances consumed in time order per subscription and period; the crossing record split; periods by local
start date. Every figure worked out by hand (docs/algorithms/rating.md)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from telbill.core.rating.allowances import consume
from telbill.core.rating.records import RatedRecord, Subscriber
from tests.core.rating_builders import DUPONT, rate, row

HOUR = 3600
GB = 1_000_000_000


def rated(*rows: object, subscribers: tuple[Subscriber, ...] = (DUPONT,)) -> dict[str, RatedRecord]:
    results = rate(*rows, subscribers=subscribers)  # type: ignore[arg-type]
    assert all(isinstance(r, RatedRecord) for r in results)
    return {r.record_id: r for r in results if isinstance(r, RatedRecord)}


def test_consume_gives_each_need_in_turn_what_is_left() -> None:
    assert consume(10, [4, 4, 4, 4]) == [4, 4, 2, 0]
    assert consume(10, [10, 1]) == [10, 0]
    assert consume(10, []) == []


@given(st.integers(0, 1000), st.lists(st.integers(0, 300), max_size=20))
def test_consume_never_grants_more_than_the_quantity_nor_than_a_need(quantity: int, needs: list[int]) -> None:
    granted = consume(quantity, needs)
    assert sum(granted) == min(quantity, sum(needs))
    assert all(0 <= g <= n for g, n in zip(granted, needs, strict=True))


def test_the_call_that_crosses_the_fair_use_cap_is_split() -> None:
    # VOICE-INCLUDED: 1000 min = 60 000 s. Seventeen one-hour calls on 2–18 March: 16 × 3 600 = 57 600 s
    # included; the 17th needs 3 600 with 2 400 left: 2 400 included, 1 200 charged at CALL-BE 0.10 per minute
    # = 0.10 × 1 200 / 60 = 2.00. An 18th call (5 s → 60 s minimum) is charged in full: 0.10.
    calls = [row(f"C{day:02}", "voice", HOUR, "+32470999999", start=f"2026-03-{day:02}T09:00:00+01:00")
             for day in range(2, 19)]  # fmt: skip
    last = row("C19", "voice", 5, "+3225551234", start="2026-03-19T09:00:00+01:00")
    result = rated(*calls, last)
    assert all(result[f"C{day:02}"].included_units == HOUR for day in range(2, 18))
    crossing = result["C18"]
    assert (crossing.included_units, crossing.charged_units, str(crossing.amount)) == (2400, 1200, "2.00")
    assert (result["C19"].rated_units, result["C19"].included_units, str(result["C19"].amount)) == (60, 0, "0.10")


def test_the_data_session_that_crosses_the_allowance_is_split() -> None:
    # DATA-INCLUDED 10 GB = 10 000 000 kB. 9.9 GB on 10 March (9 900 000 kB included), then 300 MB on 12 March:
    # 100 000 kB left, 200 000 kB charged at DATA-BE 0.02 per MB = 0.02 × 200 000 / 1 000 = 4.00
    result = rated(
        row("D2", "data", 300_000_000, start="2026-03-12T08:00:00+01:00"),
        row("D1", "data", 9_900_000_000, start="2026-03-10T08:00:00+01:00"),
    )
    assert (result["D1"].included_units, str(result["D1"].amount)) == (9_900_000, "0.00")
    assert (result["D2"].included_units, result["D2"].charged_units, str(result["D2"].amount)) == (
        100_000,
        200_000,
        "4.00",
    )


def test_allowances_are_consumed_in_time_order_whatever_the_input_order() -> None:
    early = row("Z-EARLY", "data", 6 * GB, start="2026-03-03T08:00:00+01:00")
    late = row("A-LATE", "data", 6 * GB, start="2026-03-20T08:00:00+01:00")
    for order in ((early, late), (late, early)):
        result = rated(*order)
        # 10 GB: the early session 6 GB included; the late one 4 GB included, 2 GB = 2 000 000 kB charged:
        # 0.02 × 2 000 000 / 1 000 = 40.00
        assert result["Z-EARLY"].included_units == 6_000_000
        assert (result["A-LATE"].included_units, str(result["A-LATE"].amount)) == (4_000_000, "40.00")


def test_records_that_start_at_the_same_instant_take_the_allowance_in_record_id_order() -> None:
    first = row("B", "data", 6 * GB, start="2026-03-03T08:00:00+01:00")
    second = row("A", "data", 6 * GB, start="2026-03-03T08:00:00+01:00")
    result = rated(first, second)
    assert (result["A"].included_units, result["B"].included_units) == (6_000_000, 4_000_000)


def test_out_of_bundle_usage_does_not_draw_on_the_allowance() -> None:
    # a 0900 call and a call to the USA come first in time; the data session still gets its 10 GB
    result = rated(
        row("C1", "voice", 600, "+3290012345", start="2026-03-02T08:00:00+01:00"),
        row("C2", "voice", 600, "+12125550100", start="2026-03-02T09:00:00+01:00"),
        row("C3", "voice", 600, "+32470999999", start="2026-03-02T10:00:00+01:00"),
    )
    assert (result["C1"].allowance, result["C2"].allowance) == (None, None)
    assert result["C3"].included_units == 600


def test_each_subscription_has_its_own_allowance() -> None:
    other = Subscriber("+32470654321", "SUB-2", 1)
    result = rated(
        row("D1", "data", 10 * GB, start="2026-03-03T08:00:00+01:00"),
        row("D2", "data", 1 * GB, subscriber=other.number, start="2026-03-04T08:00:00+01:00"),
        subscribers=(DUPONT, other),
    )
    assert (result["D1"].included_units, result["D2"].included_units) == (10_000_000, 1_000_000)


def test_numbers_of_one_subscription_share_its_allowance() -> None:
    mobile_2 = Subscriber("+32470000002", DUPONT.subscription_id, 1)
    result = rated(
        row("D1", "data", 8 * GB, start="2026-03-03T08:00:00+01:00"),
        row("D2", "data", 8 * GB, subscriber=mobile_2.number, start="2026-03-04T08:00:00+01:00"),
        subscribers=(DUPONT, mobile_2),
    )
    assert (result["D1"].included_units, result["D2"].included_units) == (8_000_000, 2_000_000)


def test_each_billing_period_starts_with_a_full_allowance() -> None:
    result = rated(
        row("D1", "data", 10 * GB, start="2026-03-31T10:00:00+02:00"),
        row("D2", "data", 10 * GB, start="2026-04-01T10:00:00+02:00"),
    )
    assert (result["D1"].period_start, result["D1"].charged_units) == (date(2026, 3, 1), 0)
    assert (result["D2"].period_start, result["D2"].charged_units) == (date(2026, 4, 1), 0)


def test_a_call_that_starts_on_the_last_evening_of_a_period_belongs_to_that_period() -> None:
    # 31 March 23:50 in Brussels (summer time since 29 March, UTC+2), 1 200 s: it ends on 1 April at 00:10 but
    # belongs wholly to the period of its start, 2026-03, and is never split between periods.
    result = rated(row("C1", "voice", 1200, "+32470999999", start="2026-03-31T23:50:00+02:00"))["C1"]
    assert (result.period_start, result.rated_units, result.included_units) == (date(2026, 3, 1), 1200, 1200)


def test_the_period_follows_the_local_date_not_the_utc_date() -> None:
    # 31 March 22:30 UTC is 1 April 00:30 in Brussels: period 2026-04. 31 January 23:30 UTC is 1 February 00:30
    # in Brussels (winter time, UTC+1): period 2026-02.
    result = rated(
        row("C1", "voice", 60, "+32470999999", start="2026-03-31T22:30:00+00:00"),
        row("C2", "voice", 60, "+32470999999", start="2026-01-31T23:30:00+00:00"),
        row("C3", "voice", 60, "+32470999999", start="2026-01-31T22:59:59+00:00"),
    )
    assert result["C1"].period_start == date(2026, 4, 1)
    assert result["C2"].period_start == date(2026, 2, 1)
    assert result["C3"].period_start == date(2026, 1, 1)  # 23:59:59 on 31 January in Brussels


def test_periods_follow_the_accounts_billing_day() -> None:
    day_15 = Subscriber(DUPONT.number, "SUB-1", 15)
    result = rated(
        row("C1", "voice", 60, "+32470999999", start="2026-03-14T23:59:00+01:00"),
        row("C2", "voice", 60, "+32470999999", start="2026-03-15T00:00:00+01:00"),
        subscribers=(day_15,),
    )
    assert (result["C1"].period_start, result["C2"].period_start) == (date(2026, 2, 15), date(2026, 3, 15))
