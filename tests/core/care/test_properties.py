"""Properties of the SLA clock and the compensation engine (docs/algorithms/sla-clock.md §5):

- the clock never counts time outside its calendar: checked against a brute-force count in quarter hours of
  the wall clock, over weekends, public holidays and both daylight-saving weekends;
- working time adds up over consecutive intervals, and ``add_working_time`` is its inverse;
- compensation is zero while the ticket is within its deadline, and no clause's amount ever decreases as
  the repair comes later.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from telbill.core.care.calendars import BusinessCalendar, add_working_time, calendar_in, is_working_day, working_time
from telbill.core.care.coverage import Coverage
from telbill.core.care.sla import read_clock
from telbill.core.care.tickets import Ticket, TicketEvent, TicketKind
from tests.core.care.builders import BRUSSELS, K, assessed, coverage, version

QUARTER = timedelta(minutes=15)
CALENDARS = [calendar_in(version(), code) for code in ("BE-WORKING-DAY", "BE-WORKING-DAY-EXTENDED", "ALWAYS")]
COVERAGES = [
    coverage("LINE-CLASSIC"),
    coverage("LINE-CLASSIC", "COMPLEMENT-PRIVILEGE-GARANTIE"),
    coverage("LINE-CLASSIC", "COMPLEMENT-BELGACOM-OFFICE"),
    coverage("LINE-ISDN30"),
    coverage("LINE-R2"),
]
# Days worth hitting: the daylight-saving weekends, Easter, 21 July, 11 November, Christmas and year end.
HOTSPOTS = [datetime(2026, m, d, tzinfo=UTC) for m, d in ((3, 27), (4, 2), (7, 20), (10, 23), (11, 10), (12, 24))]


@st.composite
def instants(draw: st.DrawFn) -> datetime:
    """Quarter-hour instants of 2026, one in two near a day where calendars are tricky."""
    if draw(st.booleans()):
        base = draw(st.sampled_from(HOTSPOTS))
        return base + QUARTER * draw(st.integers(0, 4 * 24 * 5))
    return datetime(2026, 1, 1, tzinfo=UTC) + QUARTER * draw(st.integers(0, 4 * 24 * 360))


def brute_force(calendar: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    """Open quarter hours of [start, end), one by one on the wall clock (start and end on quarter hours)."""
    counted = timedelta(0)
    moment = start
    while moment < end:
        local = moment.astimezone(BRUSSELS)
        if calendar.always_open:
            counted += QUARTER
        elif is_working_day(calendar, local.date()):
            assert calendar.opens is not None and calendar.closes is not None
            if calendar.opens <= local.time() < calendar.closes:
                counted += QUARTER
        moment += QUARTER
    return counted


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(CALENDARS), instants(), st.integers(0, 4 * 24 * 4))
def test_the_clock_never_counts_time_outside_its_calendar(
    calendar: BusinessCalendar, start: datetime, quarters: int
) -> None:
    end = start + QUARTER * quarters
    assert working_time(calendar, start, end) == brute_force(calendar, start, end)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(CALENDARS), instants(), st.integers(0, 4 * 24 * 10), st.integers(0, 4 * 24 * 10))
def test_working_time_adds_up_and_add_working_time_inverts_it(
    calendar: BusinessCalendar, start: datetime, first: int, second: int
) -> None:
    middle, end = start + QUARTER * first, start + QUARTER * (first + second)
    assert working_time(calendar, start, middle) + working_time(calendar, middle, end) == working_time(
        calendar, start, end
    )
    amount = working_time(calendar, start, end)
    reached = add_working_time(calendar, start, amount)
    assert reached <= end and working_time(calendar, start, reached) == amount


def _ticket(registered: datetime, pause: tuple[int, int] | None, repaired: datetime) -> Ticket:
    events = [TicketEvent(K.REGISTERED, registered)]
    if pause is not None:
        start = registered + QUARTER * pause[0]
        events += [TicketEvent(K.PAUSED, start), TicketEvent(K.RESUMED, start + QUARTER * pause[1])]
    events += [TicketEvent(K.REPAIRED, max(repaired, events[-1].at))]
    events += [TicketEvent(K.COMPENSATION_REQUESTED, events[-1].at)]
    return Ticket("T-1", TicketKind.REPAIR, "ACC-1", "SUB-1", tuple(events))


pauses = st.none() | st.tuples(st.integers(0, 4 * 24 * 2), st.integers(1, 4 * 24 * 3))


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(COVERAGES), instants(), pauses, st.floats(0, 1))
def test_compensation_is_zero_before_the_deadline(
    cover: Coverage, registered: datetime, pause: tuple[int, int] | None, share: float
) -> None:
    probe = _ticket(registered, pause, registered + timedelta(days=60)).facts()
    deadline = min(read_clock(terms, probe, registered + timedelta(days=60)).deadline for terms in cover.classes)
    repaired = registered + (deadline - registered) * share
    if pause is not None:  # a repair cannot happen inside the pause: keep the ones that fall after it
        repaired = max(repaired, probe.pauses[0].end)
        if repaired > deadline:
            return
    result = assessed(_ticket(registered, pause, repaired), cover, when=None)
    assert all(award.amount.is_zero() for award in result.awards)


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(COVERAGES), instants(), pauses, st.integers(0, 4 * 24 * 12), st.integers(0, 4 * 24 * 4))
def test_no_compensation_decreases_as_the_repair_comes_later(
    cover: Coverage, registered: datetime, pause: tuple[int, int] | None, first: int, more: int
) -> None:
    earlier = registered + QUARTER * first
    later = earlier + QUARTER * more
    before = assessed(_ticket(registered, pause, earlier), cover)
    after = assessed(_ticket(registered, pause, later), cover)
    for old, new in zip(before.awards, after.awards, strict=True):
        assert old.clause == new.clause and old.amount <= new.amount, (old.explanation, new.explanation)
    assert before.due <= after.due
