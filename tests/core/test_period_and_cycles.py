"""Date ranges, billing periods and proration, worked out by hand (docs/algorithms/proration.md).

Every expected date and amount is worked out in the comment next to it. The properties compare ``prorate``
with an oracle written with ``fractions.Fraction`` and integers, never with the code's own Decimal expression.
"""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from telbill.core.billing.cycles import (
    check_billing_day,
    parse_period,
    period_containing,
    period_of,
    periods_between,
    prorate,
    proration_factor,
)
from telbill.core.errors import TelbillError
from telbill.core.money import Money, total
from telbill.core.period import DateRange


def d(text: str) -> date:
    return date.fromisoformat(text)


def r(start: str, end: str) -> DateRange:
    return DateRange(d(start), d(end))


def m(text: str) -> Money:
    return Money.of(text)


def raises_code(code: str) -> pytest.RaisesExc[TelbillError]:
    return pytest.raises(TelbillError, match=rf"^{code}:")


# --- DateRange: half-open [start, end) ------------------------------------------------------------------


def test_a_range_is_half_open() -> None:
    march = r("2026-03-01", "2026-04-01")
    assert march.contains(d("2026-03-01"))  # the start is inside
    assert march.contains(d("2026-03-31"))
    assert not march.contains(d("2026-04-01"))  # the end is not
    assert not march.contains(d("2026-02-28"))
    assert march.days == 31  # 1..31 March
    assert march.last_day == d("2026-03-31")
    assert str(march) == "2026-03-01..2026-03-31"


def test_days_count_leap_februaries_and_year_ends() -> None:
    assert r("2026-02-01", "2026-03-01").days == 28
    assert r("2028-02-01", "2028-03-01").days == 29  # 2028 is a leap year
    assert r("2026-12-15", "2027-01-15").days == 31  # 15..31 Dec = 17, 1..14 Jan = 14
    assert r("2028-02-15", "2028-03-15").last_day == d("2028-03-14")


def test_an_empty_range_is_allowed_and_a_reversed_one_refused() -> None:
    empty = r("2026-03-10", "2026-03-10")
    assert empty.is_empty() and empty.days == 0
    assert not empty.contains(d("2026-03-10"))
    assert not r("2026-03-10", "2026-03-11").is_empty()
    with raises_code("period.order") as caught:
        r("2026-03-10", "2026-03-09")
    assert "2026-03-09" in caught.value.message and "2026-03-10" in caught.value.message


def test_clip_is_the_overlap_or_none() -> None:
    march = r("2026-03-01", "2026-04-01")
    # a span from 10 March to 15 April overlaps March on 10..31 March
    assert march.clip(r("2026-03-10", "2026-04-15")) == r("2026-03-10", "2026-04-01")
    assert r("2026-03-10", "2026-04-15").clip(march) == r("2026-03-10", "2026-04-01")  # symmetric
    assert march.clip(r("2026-02-01", "2026-05-01")) == march  # inside a longer range
    assert march.clip(r("2026-03-05", "2026-03-06")) == r("2026-03-05", "2026-03-06")  # one day
    # ranges that touch share no day: [1 Mar, 1 Apr) and [1 Apr, 1 May)
    assert march.clip(r("2026-04-01", "2026-05-01")) is None
    assert march.clip(r("2026-02-01", "2026-03-01")) is None
    assert march.clip(r("2026-03-10", "2026-03-10")) is None  # an empty range overlaps nothing


# --- Billing periods anchored on the billing day ---------------------------------------------------------


def test_periods_with_billing_day_1_are_calendar_months() -> None:
    assert period_of(2026, 3) == r("2026-03-01", "2026-04-01")
    assert period_of(2026, 12) == r("2026-12-01", "2027-01-01")  # across the year end
    assert period_of(2026, 2).days == 28
    assert period_of(2028, 2).days == 29


def test_periods_with_billing_day_15_run_from_the_15th_to_the_15th() -> None:
    february = period_of(2026, 2, 15)
    assert february == r("2026-02-15", "2026-03-15")
    assert february.days == 28  # 15..28 Feb = 14, 1..14 Mar = 14
    assert february.last_day == d("2026-03-14")
    assert period_of(2026, 1, 15).days == 31  # 15..31 Jan = 17, 1..14 Feb = 14
    assert period_of(2026, 12, 15) == r("2026-12-15", "2027-01-15")
    assert period_of(2028, 2, 15).days == 29  # 15..29 Feb 2028 = 15, 1..14 Mar = 14


@pytest.mark.parametrize("billing_day", [0, 29, 31, -1])
def test_billing_days_outside_1_to_28_are_refused(billing_day: int) -> None:
    with raises_code("account.billing_day") as caught:
        period_of(2026, 3, billing_day)
    assert caught.value.field == "billing_day"
    with raises_code("account.billing_day"):
        check_billing_day(billing_day)


@pytest.mark.parametrize(
    ("day", "billing_day", "expected"),
    [
        ("2026-03-01", 1, ("2026-03-01", "2026-04-01")),
        ("2026-03-31", 1, ("2026-03-01", "2026-04-01")),
        ("2026-03-15", 15, ("2026-03-15", "2026-04-15")),  # the billing day opens a period
        ("2026-03-14", 15, ("2026-02-15", "2026-03-15")),  # the day before closes the previous one
        ("2026-01-10", 15, ("2025-12-15", "2026-01-15")),  # before the billing day of January: December
        ("2026-12-31", 28, ("2026-12-28", "2027-01-28")),
    ],
)
def test_period_containing_a_day(day: str, billing_day: int, expected: tuple[str, str]) -> None:
    period = period_containing(d(day), billing_day)
    assert period == r(*expected)
    assert period.contains(d(day))


def test_periods_between_cross_the_year_end() -> None:
    first, last = period_of(2025, 11, 15), period_of(2026, 2, 15)
    assert periods_between(first, last, 15) == [
        r("2025-11-15", "2025-12-15"),
        r("2025-12-15", "2026-01-15"),
        r("2026-01-15", "2026-02-15"),
        r("2026-02-15", "2026-03-15"),
    ]
    # consecutive: each period starts where the previous ended, so no day is billed twice or missed
    assert periods_between(period_of(2026, 5), period_of(2026, 5)) == [period_of(2026, 5)]


@pytest.mark.parametrize(
    ("text", "billing_day", "expected"),
    [
        ("2026-02", 1, ("2026-02-01", "2026-03-01")),
        ("2026-02", 15, ("2026-02-15", "2026-03-15")),
        ("2026-12", 1, ("2026-12-01", "2027-01-01")),
    ],
)
def test_parse_period(text: str, billing_day: int, expected: tuple[str, str]) -> None:
    assert parse_period(text, billing_day) == r(*expected)


@pytest.mark.parametrize("text", ["", "2026", "2026-13", "2026-00", "2026-02-01", "février 2026", "2026/02", "26-x"])
def test_parse_period_refuses_what_is_not_yyyy_mm(text: str) -> None:
    with raises_code("period.syntax") as caught:
        parse_period(text)
    assert caught.value.field == "period"


def test_parse_period_reports_a_bad_billing_day_as_such() -> None:
    with raises_code("account.billing_day"):
        parse_period("2026-02", 29)


# --- Proration ------------------------------------------------------------------------------------------


def test_a_whole_period_gives_the_fee_exactly() -> None:
    for period in (period_of(2026, 2), period_of(2026, 3), period_of(2028, 2), period_of(2026, 2, 15)):
        assert prorate(m("69.64"), period.days, period) == m("69.64")
        assert prorate(m("0.01"), period.days, period) == m("0.01")
    assert prorate(m("69.64"), 0, period_of(2026, 3)) == m("0.00")


def test_prorate_clic_bureau_activated_on_10_march() -> None:
    # in service 10..31 March = 22 of 31 days: 69.64 × 22 = 1532.08; / 31 = 49.4219… → 49.42
    assert prorate(m("69.64"), 22, period_of(2026, 3)) == m("49.42")
    # Safespot PRO over the same days: 8.00 × 22 = 176.00; / 31 = 5.6774… → 5.68
    assert prorate(m("8.00"), 22, period_of(2026, 3)) == m("5.68")


def test_prorate_by_the_days_of_the_period_itself_leap_february() -> None:
    # 10 days of February: 69.64 × 10 = 696.40
    assert prorate(m("69.64"), 10, period_of(2026, 2)) == m("24.87")  # / 28 = 24.8714… → 24.87
    assert prorate(m("69.64"), 10, period_of(2028, 2)) == m("24.01")  # / 29 = 24.0137… → 24.01
    # billing day 15: the 2028 period [15 Feb, 15 Mar) has 29 days too
    assert prorate(m("69.64"), 10, period_of(2028, 2, 15)) == m("24.01")


def test_prorate_rounds_half_up_once() -> None:
    # one week of February 2026: 28.50 × 7 = 199.50; / 28 = 7.125 exactly → 7.13 (half even would give 7.12)
    assert prorate(m("28.50"), 7, period_of(2026, 2)) == m("7.13")


def test_proration_factor_is_the_exact_share_of_days() -> None:
    march = period_of(2026, 3)
    assert proration_factor(r("2026-03-10", "2026-06-01"), march) == Decimal(22) / Decimal(31)
    assert proration_factor(r("2026-01-01", "2026-12-31"), march) == Decimal(1)
    assert proration_factor(r("2026-04-01", "2026-05-01"), march) == Decimal(0)


# --- The bound on the cents that proration of consecutive parts can gain or lose --------------------------
#
# Each part is rounded once, half up: its rounding error (rounded − exact, in cents) lies in (−½, +½]. The
# exact shares of k consecutive parts add up to the fee, so Σ parts − fee is the sum of k errors: a whole
# number of cents in (−k/2, +k/2]. Hence, in cents:   −⌊(k − 1)/2⌋ ≤ Σ parts − fee ≤ ⌊k/2⌋.
# Both ends are reached (the tests below), so this is the exact bound: |Σ parts − fee| ≤ ⌊k/2⌋ cents, tighter
# than k − 1 from three parts on. Two parts (a plan change, an activation and a termination in one period)
# never lose a cent and gain at most one.


def consecutive_parts(period: DateRange, cuts: list[int]) -> list[DateRange]:
    bounds = [period.start, *(date.fromordinal(period.start.toordinal() + c) for c in sorted(set(cuts))), period.end]
    return [DateRange(a, b) for a, b in itertools.pairwise(bounds)]


def half_up_cents(fee_cents: int, days: int, period_days: int) -> int:
    """Oracle: fee × days / period days in cents, rounded half up with integers only."""
    exact = Fraction(fee_cents * days, period_days)
    whole = int(exact)  # floor, the value is not negative
    return whole + 1 if exact - whole >= Fraction(1, 2) else whole


@given(
    year=st.integers(1990, 2100),
    month=st.integers(1, 12),
    billing_day=st.integers(1, 28),
    fee_cents=st.integers(0, 10_000_000),
    data=st.data(),
)
def test_prorated_parts_stay_within_the_bound_and_each_is_the_half_up_share(
    year: int, month: int, billing_day: int, fee_cents: int, data: st.DataObject
) -> None:
    period = period_of(year, month, billing_day)
    cuts = data.draw(st.lists(st.integers(1, period.days - 1), max_size=period.days))
    parts = consecutive_parts(period, cuts)
    assert sum(p.days for p in parts) == period.days
    fee = Money(Decimal(fee_cents) / 100)
    prorated = [prorate(fee, p.days, period) for p in parts]
    for part, amount in zip(parts, prorated, strict=True):
        assert amount.amount * 100 == half_up_cents(fee_cents, part.days, period.days)
    k = len(parts)
    gained_cents = int((total(prorated) - fee).amount * 100)
    assert -((k - 1) // 2) <= gained_cents <= k // 2


@pytest.mark.parametrize("k", range(1, 29))
def test_the_upper_bound_is_reached_for_every_number_of_parts(k: int) -> None:
    # 0.14 over February 2026 (28 days) is half a cent a day. Split into k − 1 single days and one last part of
    # 29 − k days: each single day is 0.005 → 0.01 (+½ cent); the last part is (29 − k) half cents, which
    # gains ½ cent when 29 − k is odd (k even). Gained: (k − 1)/2 cents for k odd, k/2 for k even: ⌊k/2⌋.
    february = period_of(2026, 2)
    parts = consecutive_parts(february, list(range(1, k)))
    assert len(parts) == k and parts[-1].days == 29 - k
    prorated = total(prorate(m("0.14"), p.days, february) for p in parts)
    assert prorated == m("0.14") + Money(Decimal(k // 2) / 100)


def test_four_weeks_of_the_belgacom_line_gain_two_cents() -> None:
    # 28.50 over February 2026 in four weeks: 28.50 × 7 / 28 = 7.125 → 7.13 each; 4 × 7.13 = 28.52 = fee + 2 cents
    february = period_of(2026, 2)
    weeks = consecutive_parts(february, [7, 14, 21])
    assert [prorate(m("28.50"), w.days, february) for w in weeks] == [m("7.13")] * 4
    assert total(prorate(m("28.50"), w.days, february) for w in weeks) == m("28.52")


def test_two_parts_can_gain_a_cent() -> None:
    # 9.99 over February 2026 split on 15 February: 9.99 × 14 / 28 = 4.995 → 5.00 twice; 10.00 = fee + 1 cent
    february = period_of(2026, 2)
    halves = consecutive_parts(february, [14])
    assert total(prorate(m("9.99"), h.days, february) for h in halves) == m("10.00")


def test_the_lower_bound_is_reached_with_three_parts() -> None:
    # 12.12 over April 2026 (30 days) split 1 + 1 + 28 days: 12.12 / 30 = 0.404 → 0.40 (twice);
    # 12.12 × 28 = 339.36; / 30 = 11.312 → 11.31. Sum 0.40 + 0.40 + 11.31 = 12.11 = fee − 1 cent = −⌊(3 − 1)/2⌋
    april = period_of(2026, 4)
    parts = consecutive_parts(april, [1, 2])
    prorated = [prorate(m("12.12"), p.days, april) for p in parts]
    assert prorated == [m("0.40"), m("0.40"), m("11.31")]
    assert total(prorated) == m("12.11")
