"""Business calendars, worked by hand on real dates (docs/algorithms/sla-clock.md §1).

2026: Easter Monday 6 April, Labour Day Friday 1 May, Ascension Thursday 14 May, National Day Tuesday
21 July, Armistice Wednesday 11 November, Christmas Friday 25 December; New Year 2027 is a Friday. Summer
time starts Sunday 29 March 2026 (02:00 CET → 03:00 CEST) and ends Sunday 25 October 2026 (03:00 CEST →
02:00 CET).
"""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from telbill.core.care.calendars import (
    BusinessCalendar,
    add_working_time,
    calendar_in,
    is_working_day,
    next_working_day,
    nth_working_day_after,
    public_holidays,
    working_days_after,
    working_time,
)
from telbill.core.care.instants import add_local_days, local_instant
from telbill.core.errors import TelbillError
from tests.core.care.builders import BRUSSELS, at, local, version

WORKING = calendar_in(version(), "BE-WORKING-DAY")  # Mon–Fri 08:00–16:30, Belgian holidays
EXTENDED = calendar_in(version(), "BE-WORKING-DAY-EXTENDED")  # Mon–Fri 08:00–18:00
ALWAYS = calendar_in(version(), "ALWAYS")


def test_belgian_public_holidays_of_2026_come_from_the_holidays_package() -> None:
    found = public_holidays("BE", 2026)
    for day in ("2026-04-06", "2026-05-01", "2026-05-14", "2026-05-25", "2026-07-21", "2026-11-11", "2026-12-25"):
        assert date.fromisoformat(day) in found
    assert date(2026, 4, 3) not in found  # Good Friday is a working day in Belgium


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-03-13", True),  # a Friday
        ("2026-03-14", False),  # Saturday
        ("2026-04-06", False),  # Easter Monday
        ("2026-07-21", False),  # National Day, a Tuesday
        ("2026-11-11", False),  # Armistice, a Wednesday
        ("2026-11-12", True),
    ],
)
def test_working_days(day: str, working: bool) -> None:
    assert is_working_day(WORKING, date.fromisoformat(day)) is working
    assert is_working_day(ALWAYS, date.fromisoformat(day))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-03-13", "2026-03-16"),  # Friday → Monday
        ("2026-04-03", "2026-04-07"),  # Good Friday → Tuesday: Easter Monday is a holiday
        ("2026-07-20", "2026-07-22"),  # Monday → Wednesday: 21 July
        ("2026-11-10", "2026-11-12"),  # Tuesday → Thursday: 11 November
        ("2026-12-24", "2026-12-28"),  # Thursday → Monday: Christmas on Friday, then the weekend
        ("2026-12-31", "2027-01-04"),  # year end → Monday: New Year on Friday, then the weekend
    ],
)
def test_next_working_day(day: str, expected: str) -> None:
    assert next_working_day(WORKING, date.fromisoformat(day)) == date.fromisoformat(expected)


def test_the_fifth_working_day_after_a_request() -> None:
    # Monday 9 March: Tue 10, Wed 11, Thu 12, Fri 13, Mon 16
    assert nth_working_day_after(WORKING, date(2026, 3, 9), 5) == date(2026, 3, 16)
    # Wednesday 1 April: Thu 2, Fri 3, (Easter Monday 6), Tue 7, Wed 8, Thu 9
    assert nth_working_day_after(WORKING, date(2026, 4, 1), 5) == date(2026, 4, 9)


def test_working_days_after_skip_the_armistice() -> None:
    # after Monday 9 November up to Friday 20: 10, (11), 12, 13, 16, 17, 18, 19, 20 → 8
    assert working_days_after(WORKING, date(2026, 11, 9), date(2026, 11, 20)) == 8
    assert working_days_after(WORKING, date(2026, 11, 9), date(2026, 11, 9)) == 0


def test_working_time_counts_only_opening_hours() -> None:
    # Monday 10:00 → Tuesday 20:00: Monday 10:00–16:30 (6.5 h) + Tuesday 08:00–16:30 (8.5 h) = 15 h
    assert working_time(WORKING, at("2026-03-09 10:00"), at("2026-03-10 20:00")) == timedelta(hours=15)
    # Friday 17:00 → Monday 07:59: nothing
    assert working_time(WORKING, at("2026-03-13 17:00"), at("2026-03-16 07:59")) == timedelta(0)
    # the whole of Easter Monday: nothing
    assert working_time(WORKING, at("2026-04-06 00:00"), at("2026-04-07 00:00")) == timedelta(0)


def test_working_hours_are_wall_clock_hours_across_the_spring_change() -> None:
    # Friday 27 March 14:00 CET → Monday 30 March 12:00 CEST: 4 h on Friday + 4 h on Monday = 8 working hours,
    # though 69 real hours pass (13:00 UTC → 10:00 UTC three days later)
    start, end = at("2026-03-27 14:00"), at("2026-03-30 12:00")
    assert working_time(EXTENDED, start, end) == timedelta(hours=8)
    assert end - start == timedelta(hours=69)
    assert local(add_working_time(EXTENDED, start, timedelta(hours=8))) == "2026-03-30 12:00"


def test_a_round_the_clock_calendar_counts_real_hours_across_both_changes() -> None:
    # spring: Saturday 28 March 23:00 CET (22:00 UTC) + 6 h = 04:00 UTC = Sunday 06:00 CEST, not 05:00
    assert local(add_working_time(ALWAYS, at("2026-03-28 23:00"), timedelta(hours=6))) == "2026-03-29 06:00"
    # autumn: Saturday 24 October 22:00 CEST (20:00 UTC) + 8 h = 04:00 UTC = Sunday 05:00 CET, not 06:00
    assert local(add_working_time(ALWAYS, at("2026-10-24 22:00"), timedelta(hours=8))) == "2026-10-25 05:00"
    # the whole of Sunday 25 October is 25 hours long, Sunday 29 March 23 hours
    assert working_time(ALWAYS, at("2026-10-25 00:00"), at("2026-10-26 00:00")) == timedelta(hours=25)
    assert working_time(ALWAYS, at("2026-03-29 00:00"), at("2026-03-30 00:00")) == timedelta(hours=23)


def test_an_amount_used_up_at_closing_time_ends_at_closing_time() -> None:
    # Monday 10:00 + 6.5 working hours = Monday 16:30, not Tuesday 08:00
    assert local(add_working_time(WORKING, at("2026-03-09 10:00"), timedelta(hours=6.5))) == "2026-03-09 16:30"
    # and one minute more opens Tuesday: 08:01
    later = add_working_time(WORKING, at("2026-03-09 10:00"), timedelta(hours=6.5, minutes=1))
    assert local(later) == "2026-03-10 08:01"


def test_calendar_days_move_on_the_wall_clock() -> None:
    # Saturday 28 March 12:00 + 1 day = Sunday 12:00, 23 real hours later
    start = at("2026-03-28 12:00")
    assert local(add_local_days(start, 1, BRUSSELS)) == "2026-03-29 12:00"
    assert add_local_days(start, 1, BRUSSELS) - start == timedelta(hours=23)


def test_wall_clock_times_the_clocks_skip_or_repeat_are_refused() -> None:
    with pytest.raises(TelbillError) as skipped:
        local_instant(date(2026, 3, 29), time(2, 30), BRUSSELS)
    assert skipped.value.code == "time.nonexistent"
    with pytest.raises(TelbillError) as twice:
        local_instant(date(2026, 10, 25), time(2, 30), BRUSSELS)
    assert twice.value.code == "time.ambiguous"


def test_a_calendar_without_working_days_or_hours_is_refused() -> None:
    with pytest.raises(TelbillError) as no_days:
        BusinessCalendar("X", "x", BRUSSELS, weekdays=frozenset(), opens=time(8), closes=time(9))
    assert no_days.value.code == "calendar.weekdays"
    with pytest.raises(TelbillError) as backwards:
        BusinessCalendar("X", "x", BRUSSELS, weekdays=frozenset({0}), opens=time(9), closes=time(8))
    assert backwards.value.code == "calendar.hours"


def test_an_unknown_calendar_is_a_coded_error() -> None:
    with pytest.raises(TelbillError) as error:
        calendar_in(version(), "BE-NIGHTS")
    assert error.value.code == "sla.unknown_calendar"
