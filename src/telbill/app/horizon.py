"""The span of time the serving edges accept: from 1 January 2000 to a year after today.

Why: a request may name any date its JSON allows, and the domain's calendars, clocks and bill runs walk day by
day or period by period from a subscription's start to the date asked; a bill run of the year 9999 or a ticket
repaired in the year 3000 would keep a server busy for hours. A date outside the span is refused as a rule of
the operator's business (``horizon.date``, INVALID) before any use case runs.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from telbill.core.errors import TelbillError

EARLIEST = date(2000, 1, 1)
AHEAD = timedelta(days=366)


def check_day(day: date | None, today: date, field: str) -> None:
    if day is not None and not EARLIEST <= day <= today + AHEAD:
        message = f"{day} is outside the dates this server handles ({EARLIEST} to {today + AHEAD})"
        raise TelbillError("horizon.date", message, field=field)


def check_instant(at: datetime | None, now: datetime, field: str) -> None:
    if at is not None:
        check_day(at.astimezone(UTC).date(), now.astimezone(UTC).date(), field)


def check_period(period: str, today: date, field: str = "period") -> None:
    """A ``YYYY-MM`` period, whose first day must be within the span."""
    year, _, month = period.partition("-")
    try:
        first = date(int(year), int(month), 1)
    except ValueError:
        raise TelbillError("horizon.date", f"{period} is no period (YYYY-MM)", field=field) from None
    check_day(first, today, field)
