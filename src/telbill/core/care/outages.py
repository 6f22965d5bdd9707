"""Outage notices: an incident the operator declares on an area (postcodes) and services, from a start to an end.

Contract: an outage concerns a customer when the customer's postcode is in its area and one of the
customer's services (plan code or line type) is among its services — an outage naming no service concerns
every service of the area. It is visible from its start until its end (open-ended while it lasts). A ticket
registered while an outage concerns its line, [start, end), is linked to it (``concerning``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from telbill.core.care.instants import require_aware
from telbill.core.errors import TelbillError


@dataclass(frozen=True, slots=True)
class Outage:
    id: str
    area: tuple[str, ...]  # postcodes
    start: datetime
    end: datetime | None = None
    services: tuple[str, ...] = ()  # plan codes or line types; none: every service
    description: str = ""

    def __post_init__(self) -> None:
        if not self.id.strip():
            raise TelbillError("outage.id", "an outage needs an id", field="id")
        if not self.area:
            raise TelbillError("outage.area", f"outage {self.id} names no postcode", field="area")
        object.__setattr__(self, "start", require_aware(self.start, "start"))
        if self.end is not None:
            object.__setattr__(self, "end", require_aware(self.end, "end"))
            if self.end <= self.start:
                raise TelbillError("outage.order", f"outage {self.id} ends before it starts", field="end")

    def covers(self, postcode: str, services: Iterable[str]) -> bool:
        if postcode.strip() not in self.area:
            return False
        return not self.services or any(service in self.services for service in services)

    def during(self, at: datetime) -> bool:
        at = require_aware(at)
        return self.start <= at and (self.end is None or at < self.end)

    def ended(self, end: datetime) -> Outage:
        """This outage with its end (a declared outage is ended once)."""
        if self.end is not None:
            raise TelbillError("outage.ended", f"outage {self.id} has ended already", field="end")
        return Outage(self.id, self.area, self.start, end, self.services, self.description)


def concerning(outages: Iterable[Outage], postcode: str, services: Iterable[str], at: datetime) -> tuple[Outage, ...]:
    """The outages that concern a customer at ``at``: what the customer sees, what a new ticket links to."""
    wanted = tuple(services)
    return tuple(o for o in outages if o.during(at) and o.covers(postcode, wanted))
