"""Small builders for the service-assurance tests: Brussels wall-clock instants, tickets, coverages."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from telbill.core.care.compensation import Assessment, CompensationCase, assess
from telbill.core.care.coverage import Coverage, coverage_of
from telbill.core.care.instants import local_instant
from telbill.core.care.sla import SlaTerms, terms_of
from telbill.core.care.tickets import Ticket, TicketEvent, TicketEventKind, TicketKind
from telbill.core.catalog.pricing import PricingContext
from telbill.core.catalog.schema import CatalogVersion, Segment
from tests.catalogs.conftest import seed_catalog

BRUSSELS = ZoneInfo("Europe/Brussels")
BELGACOM = "belgacom-fees-indemnities"
TELENET = "telenet-clic-bureau"
K = TicketEventKind


def at(text: str) -> datetime:
    """``"2026-03-09 10:00"`` on the Brussels wall clock, as an aware instant."""
    day, clock = text.split()
    return local_instant(date.fromisoformat(day), time.fromisoformat(clock), BRUSSELS)


def local(instant: datetime) -> str:
    return instant.astimezone(BRUSSELS).strftime("%Y-%m-%d %H:%M")


def version(catalog_id: str = BELGACOM) -> CatalogVersion:
    return seed_catalog(catalog_id).versions[-1]


def sla(code: str) -> SlaTerms:
    return terms_of(version(), code)


def coverage(plan: str = "LINE-CLASSIC", *options: str, catalog_id: str = BELGACOM, billing_day: int = 1) -> Coverage:
    catalog = seed_catalog(catalog_id)
    context = PricingContext(catalog, catalog.versions[-1], Segment.RESIDENTIAL)
    return coverage_of(context, plan, options, billing_day)


def event(kind: TicketEventKind, when: str, slot: str | None = None, note: str = "") -> TicketEvent:
    return TicketEvent(kind, at(when), at(slot) if slot else None, note)


def repair(registered: str, *events: TicketEvent, ticket_id: str = "T-1") -> Ticket:
    return Ticket(ticket_id, TicketKind.REPAIR, "ACC-1", "SUB-1", (event(K.REGISTERED, registered), *events))


def repaired(registered: str, done: str, *between: TicketEvent, requested: bool = True) -> Ticket:
    """A repair ticket registered, maybe paused or given appointments, repaired, and (by default) with the
    customer's request for compensation just after the repair."""
    tail = [event(K.REPAIRED, done)]
    if requested:
        tail.append(event(K.COMPENSATION_REQUESTED, done))
    return repair(registered, *between, *tail)


def assessed(ticket: Ticket, cover: Coverage, when: str | None = None, catalog_id: str = BELGACOM) -> Assessment:
    catalog = seed_catalog(catalog_id)
    instant = at(when) if when else ticket.events[-1].at
    return assess(CompensationCase(ticket, catalog.versions[-1], catalog.price_basis, cover, instant))


def amounts(assessment: Assessment) -> dict[str, str]:
    """Clause → payable amount, for the clauses that pay something."""
    return {a.clause: str(a.payable) for a in assessment.awards if not a.payable.is_zero()}
