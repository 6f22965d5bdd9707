"""The SLA clock, worked by hand (docs/algorithms/sla-clock.md §3): deadlines over weekends, Belgian public
holidays, month and year ends and the daylight-saving weekends; pauses; readings before and after the
deadline. Every instant is on the Brussels wall clock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from telbill.core.care.sla import read_clock, started_days
from telbill.core.care.tickets import TicketEvent
from telbill.core.errors import TelbillError
from tests.core.care.builders import BRUSSELS, K, at, event, local, repair, repaired, sla

HOUR = timedelta(hours=1)


@pytest.mark.parametrize(
    ("registered", "deadline", "allowance"),
    [
        # registered Monday 10:00: Monday 6.5 h + Tuesday 8.5 h; the deadline is Tuesday's closing time
        ("2026-03-09 10:00", "2026-03-10 16:30", 15),
        # Friday 10:00: the next working day is Monday: 6.5 h + 8.5 h
        ("2026-03-13 10:00", "2026-03-16 16:30", 15),
        # Saturday: the day after registration that is a working day is Monday: Monday's 8.5 h
        ("2026-03-14 11:00", "2026-03-16 16:30", 8.5),
        # Monday 20:00, after hours: Tuesday's 8.5 h
        ("2026-03-09 20:00", "2026-03-10 16:30", 8.5),
        # Thursday 2 April 15:00: Good Friday is a working day: 1.5 h + 8.5 h
        ("2026-04-02 15:00", "2026-04-03 16:30", 10),
        # Good Friday 3 April 09:00: Easter Monday is a holiday, Tuesday 7 April: 7.5 h + 8.5 h
        ("2026-04-03 09:00", "2026-04-07 16:30", 16),
        # Monday 20 July 12:00: 21 July is a holiday, Wednesday 22: 4.5 h + 8.5 h
        ("2026-07-20 12:00", "2026-07-22 16:30", 13),
        # Tuesday 10 November 16:00: 11 November is a holiday, Thursday 12: 0.5 h + 8.5 h
        ("2026-11-10 16:00", "2026-11-12 16:30", 9),
        # Wednesday 13 May 09:00: Ascension Thursday 14 is a holiday, Friday 15: 7.5 h + 8.5 h
        ("2026-05-13 09:00", "2026-05-15 16:30", 16),
        # Thursday 24 December 12:00: Christmas Friday, weekend, Monday 28: 4.5 h + 8.5 h
        ("2026-12-24 12:00", "2026-12-28 16:30", 13),
        # Thursday 31 December 10:00: New Year on Friday, weekend, Monday 4 January 2027: 6.5 h + 8.5 h
        ("2026-12-31 10:00", "2027-01-04 16:30", 15),
        # Friday 31 July 14:00, a month end: Monday 3 August: 2.5 h + 8.5 h
        ("2026-07-31 14:00", "2026-08-03 16:30", 11),
    ],
)
def test_base_line_deadline_is_the_end_of_the_next_working_day(
    registered: str, deadline: str, allowance: float
) -> None:
    reading = read_clock(sla("BASE-LINE"), repair(registered).facts(), at(registered))
    assert local(reading.deadline) == deadline
    assert reading.allowance == timedelta(hours=allowance)


@pytest.mark.parametrize(
    ("code", "registered", "deadline"),
    [
        # Privilege Garantie: 8 working hours, 08:00–18:00. Monday 10:00 → Monday 18:00
        ("PRIVILEGE-GARANTIE", "2026-03-09 10:00", "2026-03-09 18:00"),
        # Friday 15:00: 3 h on Friday, 5 h on Monday → Monday 13:00
        ("PRIVILEGE-GARANTIE", "2026-03-13 15:00", "2026-03-16 13:00"),
        # Friday 27 March 14:00 CET: 4 h, then Monday 30 March (CEST) 08:00 + 4 h → 12:00 wall clock
        ("PRIVILEGE-GARANTIE", "2026-03-27 14:00", "2026-03-30 12:00"),
        # Belgacom Office: 6 hours, 24/24. Saturday 28 March 23:00 CET + 6 real hours = Sunday 06:00 CEST
        ("BELGACOM-OFFICE", "2026-03-28 23:00", "2026-03-29 06:00"),
        # ISDN-30: 8 hours, 24/24. Saturday 24 October 22:00 CEST + 8 real hours = Sunday 05:00 CET
        ("ISDN30", "2026-10-24 22:00", "2026-10-25 05:00"),
        # R2: end of the next working day, as the base lines. Friday 30 October 2026 → Monday 2 November
        # (1 November, All Saints, is a Sunday)
        ("R2", "2026-10-30 11:00", "2026-11-02 16:30"),
    ],
)
def test_deadlines_of_the_other_classes(code: str, registered: str, deadline: str) -> None:
    assert local(read_clock(sla(code), repair(registered).facts(), at(registered)).deadline) == deadline


def test_a_pause_in_working_hours_pushes_the_deadline_back() -> None:
    # registered Monday 10:00, allowance 15 h; paused Monday 14:00–16:00 (2 working hours).
    # Counted: Monday 10–14 (4 h) + 16–16:30 (0.5 h) + Tuesday 8.5 h = 13 h; 2 h more: Wednesday 08:00–10:00
    ticket = repair("2026-03-09 10:00", event(K.PAUSED, "2026-03-09 14:00"), event(K.RESUMED, "2026-03-09 16:00"))
    reading = read_clock(sla("BASE-LINE"), ticket.facts(), at("2026-03-11 09:00"))
    assert local(reading.deadline) == "2026-03-11 10:00"
    assert reading.paused == 2 * HOUR
    assert reading.elapsed == 14 * HOUR  # 13 h + Wednesday 08:00–09:00
    assert reading.left == HOUR
    assert not reading.breached


def test_a_pause_outside_working_hours_changes_nothing() -> None:
    # paused Monday 18:00 → Tuesday 08:00: no working time taken out, the deadline stays Tuesday 16:30
    ticket = repair("2026-03-09 10:00", event(K.PAUSED, "2026-03-09 18:00"), event(K.RESUMED, "2026-03-10 08:00"))
    reading = read_clock(sla("BASE-LINE"), ticket.facts(), at("2026-03-10 12:00"))
    assert local(reading.deadline) == "2026-03-10 16:30"
    assert reading.paused == timedelta(0)


def test_an_open_pause_runs_until_the_reading() -> None:
    # paused Tuesday 10:00, still paused at 12:00: 2 working hours out so far; deadline Wednesday 10:00
    ticket = repair("2026-03-09 10:00", event(K.PAUSED, "2026-03-10 10:00"))
    reading = read_clock(sla("BASE-LINE"), ticket.facts(), at("2026-03-10 12:00"))
    assert reading.paused == 2 * HOUR
    assert local(reading.deadline) == "2026-03-11 10:00"


def test_readings_before_and_after_the_deadline() -> None:
    ticket = repair("2026-03-09 10:00")
    # Tuesday 12:00: 6.5 h + 4 h = 10.5 h counted, 4.5 h left
    noon = read_clock(sla("BASE-LINE"), ticket.facts(), at("2026-03-10 12:00"))
    assert (noon.elapsed, noon.left, noon.breached) == (timedelta(hours=10.5), timedelta(hours=4.5), False)
    # Tuesday 20:00: the clock counted the whole 15 h at 16:30; past the deadline instant: breached
    evening = read_clock(sla("BASE-LINE"), ticket.facts(), at("2026-03-10 20:00"))
    assert (evening.elapsed, evening.left, evening.breached) == (15 * HOUR, timedelta(0), True)


@pytest.mark.parametrize(("done", "breached"), [("2026-03-10 16:30", False), ("2026-03-10 16:31", True)])
def test_repaired_at_the_deadline_is_on_time(done: str, breached: bool) -> None:
    ticket = repaired("2026-03-09 10:00", done)
    reading = read_clock(sla("BASE-LINE"), ticket.facts(), at("2026-03-31 00:00"))
    assert reading.breached is breached
    assert reading.resolved and local(reading.stopped) == done


def test_the_repair_stops_the_clock() -> None:
    # ISDN-30: registered Monday 10:00, repaired Tuesday 16:00: 30 hours, read a week later
    ticket = repaired("2026-03-09 10:00", "2026-03-10 16:00")
    reading = read_clock(sla("ISDN30"), ticket.facts(), at("2026-03-17 10:00"))
    assert reading.elapsed == 30 * HOUR and reading.breached


def test_round_the_clock_elapsed_time_across_the_autumn_change_is_25_hours() -> None:
    # Saturday 24 October 20:00 CEST (18:00 UTC) → Sunday 25 October 20:00 CET (19:00 UTC): 25 hours
    ticket = repaired("2026-10-24 20:00", "2026-10-25 20:00")
    assert read_clock(sla("ISDN30"), ticket.facts(), at("2026-10-26 00:00")).elapsed == 25 * HOUR


def test_started_days_are_wall_clock_days_with_pauses_taken_out() -> None:
    # deadline Friday 27 March 16:30 CET; repaired Monday 30 March 17:00 CEST: 71.5 real hours, but the wall
    # clock passes Monday 16:30 (3 days) by 30 minutes: 4 started days
    assert started_days(BRUSSELS, at("2026-03-27 16:30"), at("2026-03-30 17:00")) == 4
    # exactly one calendar day is 1; one minute more is 2
    assert started_days(BRUSSELS, at("2026-03-10 16:30"), at("2026-03-11 16:30")) == 1
    assert started_days(BRUSSELS, at("2026-03-10 16:30"), at("2026-03-11 16:31")) == 2
    # a 3-hour pause inside takes 3 hours out: Wednesday 18:00 − 3 h = 15:00 < 16:30 → 1
    pause = repair("2026-03-10 16:30", event(K.PAUSED, "2026-03-11 09:00"), event(K.RESUMED, "2026-03-11 12:00"))
    pauses = pause.facts().pauses_until(at("2026-03-11 18:00"))
    assert started_days(BRUSSELS, at("2026-03-10 16:30"), at("2026-03-11 18:00"), pauses) == 1
    assert started_days(BRUSSELS, at("2026-03-10 16:30"), at("2026-03-10 16:30")) == 0


def test_a_reading_before_the_registration_is_refused() -> None:
    with pytest.raises(TelbillError) as error:
        read_clock(sla("BASE-LINE"), repair("2026-03-09 10:00").facts(), at("2026-03-09 09:00"))
    assert error.value.code == "sla.before_registration"


def test_an_unknown_sla_class_is_a_coded_error() -> None:
    with pytest.raises(TelbillError) as error:
        sla("GOLD-PLUS")
    assert (error.value.code, error.value.kind.value) == ("sla.unknown_class", "not_found")
    assert "BASE-LINE" in error.value.message


def test_the_clock_refuses_naive_times() -> None:
    with pytest.raises(TelbillError) as error:
        TicketEvent(K.REPAIRED, at("2026-03-09 10:00").replace(tzinfo=None))
    assert error.value.code == "time.naive"
