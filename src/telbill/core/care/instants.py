"""Instants and intervals of service assurance: aware datetimes, half-open intervals, local wall-clock times.

Contract:
- an instant is a timezone-aware ``datetime``; a naive one is refused (``time.naive``), because a fault
  registered "at 10:00" means nothing until the zone is known;
- ``Interval`` is half-open, [start, end), like ``DateRange``;
- ``local_instant`` reads a wall-clock date and time in a zone and refuses the times a daylight-saving
  change makes impossible (``time.nonexistent``: 02:30 on the last Sunday of March in Brussels) or twofold
  (``time.ambiguous``: 02:30 on the last Sunday of October), so that no instant is ever guessed;
- ``add_local_days`` moves by calendar days on the wall clock: Saturday 12:00 + 1 day is Sunday 12:00 even
  on the night the clocks go forward (23 hours later).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from telbill.core.errors import TelbillError

BRUSSELS = "Europe/Brussels"


def zone_of(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise TelbillError("time.zone", f"{name!r} is not a known time zone", field="timezone") from None


def require_aware(at: datetime, field: str = "at") -> datetime:
    """The instant in UTC; a naive datetime is refused."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise TelbillError("time.naive", f"{at.isoformat()} has no time zone", field=field)
    return at.astimezone(UTC)


@dataclass(frozen=True, slots=True, order=True)
class Interval:
    """A half-open interval of instants [start, end), both aware."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", require_aware(self.start, "start"))
        object.__setattr__(self, "end", require_aware(self.end, "end"))
        if self.end < self.start:
            raise TelbillError("time.order", f"interval ends ({self.end}) before it starts ({self.start})")

    @property
    def length(self) -> timedelta:
        return self.end - self.start

    def clip(self, start: datetime, end: datetime) -> Interval | None:
        low, high = max(self.start, start), min(self.end, end)
        return Interval(low, high) if low < high else None


def overlap(intervals: tuple[Interval, ...], start: datetime, end: datetime) -> timedelta:
    """How much of [start, end) the intervals cover (they must not overlap each other)."""
    covered = timedelta(0)
    for interval in intervals:
        part = interval.clip(start, end)
        if part is not None:
            covered += part.length
    return covered


def local_instant(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """The instant a wall clock in ``zone`` shows ``wall`` on ``day``; impossible or twofold times refused."""
    first = datetime.combine(day, wall, tzinfo=zone)
    second = first.replace(fold=1)
    first_back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if first_back != datetime.combine(day, wall):
        raise TelbillError(
            "time.nonexistent",
            f"{day} {wall:%H:%M} does not exist in {zone.key}: the clocks skip it (daylight saving)",
            field="at",
        )
    if first.utcoffset() != second.utcoffset():
        raise TelbillError(
            "time.ambiguous",
            f"{day} {wall:%H:%M} happens twice in {zone.key} (daylight saving ends): give the UTC offset",
            field="at",
        )
    return first.astimezone(UTC)


def wall_clock(at: datetime, zone: ZoneInfo) -> datetime:
    """The instant as the zone's wall clock shows it (aware, in ``zone``)."""
    return require_aware(at).astimezone(zone)


def local_day(at: datetime, zone: ZoneInfo) -> date:
    return wall_clock(at, zone).date()


def add_local_days(at: datetime, days: int, zone: ZoneInfo) -> datetime:
    """``days`` calendar days later on the wall clock of ``zone`` (the same local time of day)."""
    local = wall_clock(at, zone)
    moved = datetime.combine(local.date() + timedelta(days=days), local.timetz().replace(tzinfo=None), tzinfo=zone)
    return moved.replace(fold=local.fold).astimezone(UTC)


def hours(span: timedelta) -> str:
    """A duration for explanations, to the minute: ``13 h``, ``8 h 30 min``, ``0 h 05 min``."""
    whole, rest = divmod(span // timedelta(minutes=1), 60)
    return f"{whole} h" if rest == 0 else f"{whole} h {rest:02d} min"


def show(at: datetime, zone: ZoneInfo) -> str:
    """``Fri 13 Mar 2026 22:00`` on the zone's wall clock."""
    return wall_clock(at, zone).strftime("%a %d %b %Y %H:%M")
