"""Half-open date ranges [start, end): the one way telbill speaks of service periods.

A range that starts on 1 March and ends on 1 April covers the 31 days of March. Half-open ranges add up
without double counting a day and split without losing one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from telbill.core.errors import TelbillError


@dataclass(frozen=True, slots=True, order=True)
class DateRange:
    start: date
    end: date  # exclusive

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise TelbillError("period.order", f"range ends ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def is_empty(self) -> bool:
        return self.end == self.start

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end

    def clip(self, other: DateRange) -> DateRange | None:
        """The overlap of two ranges, or None when they do not overlap."""
        start, end = max(self.start, other.start), min(self.end, other.end)
        return DateRange(start, end) if start < end else None

    @property
    def last_day(self) -> date:
        """The last day inside the range (for display: 1–31 March rather than 1 March–1 April)."""
        return date.fromordinal(self.end.toordinal() - 1)

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.last_day.isoformat()}"
