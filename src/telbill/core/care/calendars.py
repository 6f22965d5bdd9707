"""Business calendars: when an SLA clock runs (catalog ``calendars``), as pure functions of instants.

Contract:
- a calendar is either open 24/24 or open on its weekdays from ``opens`` to ``closes`` on the wall clock of
  its zone, except on public holidays (Belgian ones from the ``holidays`` package);
- working hours are wall-clock hours: 08:00–16:30 in Brussels is 8.5 hours on every working day, in winter
  (UTC+1) and in summer (UTC+2); a 24/24 calendar counts real elapsed time, so the night the clocks go
  forward has 23 hours and the night they go back 25;
- ``working_time`` counts the open time in [start, end) outside the ``excluded`` intervals (the pauses of a
  ticket); ``add_working_time`` is its inverse: the first instant at which that much open time has passed.
  An amount used up exactly at closing time ends at closing time, not at the next opening.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays as holiday_tables

from telbill.core.care.instants import Interval, local_day, local_instant, require_aware, zone_of
from telbill.core.catalog.assurance import Calendar, Weekday
from telbill.core.catalog.schema import CatalogVersion
from telbill.core.errors import ErrorKind, TelbillError

_WEEKDAYS = {day: index for index, day in enumerate(Weekday)}  # MON = 0, as date.weekday()
HORIZON_DAYS = 3660  # no SLA counts further ahead than ten years: a calendar without working time is refused


@dataclass(frozen=True, slots=True)
class BusinessCalendar:
    code: str
    label: str
    zone: ZoneInfo
    always_open: bool = False
    weekdays: frozenset[int] = frozenset()
    opens: time | None = None
    closes: time | None = None
    holidays: str | None = None  # a country code of the ``holidays`` package: "BE"

    def __post_init__(self) -> None:
        if self.always_open:
            return
        if not self.weekdays:
            raise TelbillError("calendar.weekdays", f"calendar {self.code} has no working day", field=self.code)
        if self.opens is None or self.closes is None or self.closes <= self.opens:
            raise TelbillError("calendar.hours", f"calendar {self.code} needs opens < closes", field=self.code)


def calendar_of(spec: Calendar) -> BusinessCalendar:
    """The catalog's calendar as a value the clock computes with."""
    return BusinessCalendar(
        spec.code,
        spec.label,
        zone_of(spec.timezone),
        spec.always_open,
        frozenset(_WEEKDAYS[day] for day in spec.weekdays),
        spec.opens,
        spec.closes,
        spec.public_holidays,
    )


def calendar_in(version: CatalogVersion, code: str) -> BusinessCalendar:
    spec = next((c for c in version.calendars if c.code == code), None)
    if spec is None:
        known = ", ".join(c.code for c in version.calendars) or "none"
        raise TelbillError(
            "sla.unknown_calendar", f"no calendar {code} in version {version.version} (known: {known})",
            ErrorKind.NOT_FOUND, code,
        )  # fmt: skip
    return calendar_of(spec)


@lru_cache(maxsize=64)
def public_holidays(country: str, year: int) -> frozenset[date]:
    """The public holidays of ``country`` in ``year`` (a pure table: the package computes them, no I/O)."""
    return frozenset(holiday_tables.country_holidays(country, years=year))


def is_working_day(calendar: BusinessCalendar, day: date) -> bool:
    if calendar.always_open:
        return True
    if day.weekday() not in calendar.weekdays:
        return False
    return calendar.holidays is None or day not in public_holidays(calendar.holidays, day.year)


def day_hours(calendar: BusinessCalendar, day: date) -> Interval | None:
    """The open interval of one local day: opening to closing, the whole day when 24/24, None when closed."""
    if calendar.always_open:
        start = local_instant(day, time(0), calendar.zone)
        return Interval(start, local_instant(day + timedelta(days=1), time(0), calendar.zone))
    if not is_working_day(calendar, day):
        return None
    assert calendar.opens is not None and calendar.closes is not None  # checked when built
    return Interval(
        local_instant(day, calendar.opens, calendar.zone), local_instant(day, calendar.closes, calendar.zone)
    )


def _days_from(calendar: BusinessCalendar, start: datetime) -> Iterator[date]:
    first = local_day(start, calendar.zone)
    for offset in range(HORIZON_DAYS + 1):
        yield first + timedelta(days=offset)
    raise TelbillError(
        "calendar.no_working_time", f"calendar {calendar.code} has no working time within {HORIZON_DAYS} days"
    )


def _outside(interval: Interval, excluded: tuple[Interval, ...]) -> list[Interval]:
    """The parts of ``interval`` that no excluded interval covers, in order."""
    parts = [interval]
    for cut in excluded:
        kept: list[Interval] = []
        for part in parts:
            if cut.end <= part.start or cut.start >= part.end:
                kept.append(part)
                continue
            if part.start < cut.start:
                kept.append(Interval(part.start, cut.start))
            if cut.end < part.end:
                kept.append(Interval(cut.end, part.end))
        parts = kept
    return parts


def open_intervals(
    calendar: BusinessCalendar, start: datetime, end: datetime, excluded: tuple[Interval, ...] = ()
) -> Iterator[Interval]:
    """The open time of [start, end) outside ``excluded``, in order."""
    start, end = require_aware(start, "start"), require_aware(end, "end")
    if end <= start:
        return
    for day in _days_from(calendar, start):
        hours = day_hours(calendar, day)
        if hours is not None:
            if hours.start >= end:
                return
            clipped = hours.clip(start, end)
            if clipped is not None:
                yield from _outside(clipped, excluded)
        if local_day(end, calendar.zone) < day:
            return


def working_time(
    calendar: BusinessCalendar, start: datetime, end: datetime, excluded: tuple[Interval, ...] = ()
) -> timedelta:
    return sum((part.length for part in open_intervals(calendar, start, end, excluded)), timedelta(0))


def add_working_time(
    calendar: BusinessCalendar, start: datetime, amount: timedelta, excluded: tuple[Interval, ...] = ()
) -> datetime:
    """The first instant at which ``amount`` of open time (outside ``excluded``) has passed since ``start``."""
    start = require_aware(start, "start")
    if amount <= timedelta(0):
        return start
    left = amount
    for day in _days_from(calendar, start):
        hours = day_hours(calendar, day)
        clipped = hours.clip(start, hours.end) if hours is not None else None
        for part in _outside(clipped, excluded) if clipped is not None else ():
            if left <= part.length:
                return part.start + left
            left -= part.length
    raise AssertionError("unreachable: _days_from raises first")  # pragma: no cover


def next_working_day(calendar: BusinessCalendar, day: date) -> date:
    """The first working day strictly after ``day``."""
    return nth_working_day_after(calendar, day, 1)


def nth_working_day_after(calendar: BusinessCalendar, day: date, count: int) -> date:
    """The ``count``-th working day strictly after ``day`` (Monday 9 March 2026, 5 → Monday 16 March)."""
    found = 0
    for offset in range(1, HORIZON_DAYS + 1):
        candidate = day + timedelta(days=offset)
        if is_working_day(calendar, candidate):
            found += 1
            if found == count:
                return candidate
    raise TelbillError(
        "calendar.no_working_time", f"calendar {calendar.code} has no working time within {HORIZON_DAYS} days"
    )


def end_of_working_day(calendar: BusinessCalendar, day: date) -> datetime:
    """When ``day``'s working hours end: its closing time, or the next local midnight when 24/24."""
    hours = day_hours(calendar, day)
    if hours is None:
        raise TelbillError("calendar.closed_day", f"{day} is not a working day of calendar {calendar.code}")
    return hours.end


def working_days_after(calendar: BusinessCalendar, first: date, last: date) -> int:
    """How many working days d satisfy first < d <= last (0 when last <= first)."""
    return sum(1 for offset in range(1, (last - first).days + 1) if is_working_day(calendar, first + timedelta(offset)))
