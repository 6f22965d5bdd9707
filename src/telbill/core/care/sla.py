"""The SLA clock over a ticket's event log: deadline, elapsed working time, time left, breach.

Pure functions of the ticket's facts and an instant ``at`` (docs/algorithms/sla-clock.md):

- the clock starts at the registration and stops at the resolution (or reads at ``at`` when unresolved);
- it counts the open time of the class calendar only, and not while the ticket is paused (the customer is
  the cause): what it counts is the *net* working time;
- the **allowance** is what the class grants: N working hours, or the working time from the registration to
  the end of the next working day (or of the N-th working day) after the registration's local day;
- the **deadline** is the instant at which the net working time reaches the allowance: a pause pushes it
  back by the working time it took out;
- **breached** when the clock stopped (or was read) after the deadline; repaired at the deadline exactly is
  on time ("within 8 hours").

``started_days`` counts calendar days of a delay on the wall clock, with paused time taken out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from telbill.core.care.calendars import (
    BusinessCalendar,
    add_working_time,
    calendar_in,
    end_of_working_day,
    nth_working_day_after,
    working_time,
)
from telbill.core.care.instants import Interval, add_local_days, local_day, overlap, require_aware
from telbill.core.care.tickets import TicketFacts
from telbill.core.catalog.assurance import Deadline, DeadlineKind
from telbill.core.catalog.schema import CatalogVersion
from telbill.core.errors import ErrorKind, TelbillError


@dataclass(frozen=True, slots=True)
class SlaTerms:
    """An SLA class resolved against its version: the calendar it counts on and the deadline it grants."""

    code: str
    label: str
    calendar: BusinessCalendar
    deadline: Deadline
    complementary: bool = False


def terms_of(version: CatalogVersion, code: str) -> SlaTerms:
    spec = next((c for c in version.sla_classes if c.code == code), None)
    if spec is None:
        known = ", ".join(c.code for c in version.sla_classes) or "none"
        raise TelbillError(
            "sla.unknown_class",
            f"no SLA class {code} in version {version.version} (known: {known})",
            ErrorKind.NOT_FOUND,
            code,
        )
    return SlaTerms(spec.code, spec.label, calendar_in(version, spec.calendar), spec.deadline, spec.complementary)


def always_open(zone: ZoneInfo) -> BusinessCalendar:
    """The 24/24 calendar: real elapsed time."""
    return BusinessCalendar("24/24", "24/24", zone, always_open=True)


@dataclass(frozen=True, slots=True)
class ClockReading:
    sla_class: str
    calendar: str
    registered: datetime
    at: datetime  # the instant read
    stopped: datetime  # where the clock stands: the resolution, or ``at`` when unresolved
    resolved: bool
    allowance: timedelta  # the working time the class grants
    deadline: datetime  # when the allowance runs out, pauses excluded
    elapsed: timedelta  # net working time from the registration to ``stopped``
    paused: timedelta  # working time the pauses took out
    left: timedelta  # allowance − elapsed, never below zero
    breached: bool


def allowance(calendar: BusinessCalendar, deadline: Deadline, registered: datetime) -> timedelta:
    """The working time a deadline grants a ticket registered at ``registered`` (pauses aside)."""
    if deadline.kind is DeadlineKind.WORKING_HOURS:
        if deadline.amount is None:
            raise TelbillError("sla.deadline", "a working-hours deadline needs its number of hours")
        return timedelta(hours=deadline.amount)
    days = 1 if deadline.kind is DeadlineKind.END_OF_NEXT_WORKING_DAY else deadline.amount
    if days is None:
        raise TelbillError("sla.deadline", "a working-days deadline needs its number of days")
    last = nth_working_day_after(calendar, local_day(registered, calendar.zone), days)
    return working_time(calendar, registered, end_of_working_day(calendar, last))


def read_clock(terms: SlaTerms, facts: TicketFacts, at: datetime) -> ClockReading:
    """The clock of one SLA class on a ticket, read at ``at`` (the resolution stops it earlier)."""
    at = require_aware(at)
    if at < facts.registered:
        raise TelbillError("sla.before_registration", f"the clock is read at {at.isoformat()}, before registration")
    stopped = min(at, facts.resolved) if facts.resolved is not None else at
    pauses = facts.pauses_until(stopped)
    calendar = terms.calendar
    granted = allowance(calendar, terms.deadline, facts.registered)
    deadline = add_working_time(calendar, facts.registered, granted, pauses)
    gross = working_time(calendar, facts.registered, stopped)
    elapsed = working_time(calendar, facts.registered, stopped, pauses)
    return ClockReading(
        terms.code, calendar.code, facts.registered, at, stopped, facts.resolved is not None and facts.resolved <= at,
        granted, deadline, elapsed, gross - elapsed, max(granted - elapsed, timedelta(0)), stopped > deadline,
    )  # fmt: skip


def net_elapsed(facts: TicketFacts, stopped: datetime, zone: ZoneInfo) -> timedelta:
    """Real time from the registration to ``stopped``, paused time taken out: the net repair delay."""
    return working_time(always_open(zone), facts.registered, stopped, facts.pauses_until(stopped))


def started_days(zone: ZoneInfo, start: datetime, end: datetime, pauses: tuple[Interval, ...] = ()) -> int:
    """Started calendar days from ``start`` to ``end`` on the wall clock of ``zone``, paused time taken out.

    The delay ends at ``end`` − the paused time within [start, end); the count is the smallest k ≥ 0 such
    that ``start`` + k local days reaches it: 1 minute late is 1 day, exactly 24 hours on a normal day is 1,
    and Saturday 12:00 to Sunday 12:30 across the spring change (23.5 hours) is 2."""
    start, end = require_aware(start, "start"), require_aware(end, "end")
    net_end = end - overlap(pauses, start, end)
    if net_end <= start:
        return 0
    count = max((local_day(net_end, zone) - local_day(start, zone)).days - 1, 0)
    while add_local_days(start, count, zone) < net_end:
        count += 1
    return count
