"""Scenario replay of service assurance (docs/compensation.md §7): ticket events, the installation and porting
tickets that lifecycle events open and resolve, intervention reports — through the same use cases as
production. A scenario's times are on the Brussels wall clock (``on`` + ``at``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time
from typing import cast

from telbill.app.billing import BillingDeps
from telbill.app.care import CareDeps, NewTicket, open_installation, open_ticket, record_event
from telbill.app.compensation import CompensationSource
from telbill.app.interventions import InterventionRequest, report_intervention
from telbill.app.scenario_schema import Event, InterventionSpec
from telbill.app.store import CareUnitOfWork
from telbill.core.billing.charges import ChargeKind
from telbill.core.care.instants import BRUSSELS, local_instant, zone_of
from telbill.core.care.interventions import Equipment, Fault, InterventionReport, Part
from telbill.core.care.tickets import TicketEvent, TicketEventKind, TicketKind
from telbill.core.money import Money

_ZONE = zone_of(BRUSSELS)


def with_compensation(deps: BillingDeps) -> BillingDeps:
    """The bill run as production wires it (``bootstrap.billing_deps``): crediting compensation."""
    if any(source.kind is ChargeKind.COMPENSATION for source in deps.sources):
        return deps
    return replace(deps, sources=(*deps.sources, CompensationSource()))


def care_of(deps: BillingDeps) -> CareDeps:
    """The same store seen by the service-assurance use cases: its units of work carry the care repositories
    once entered (the SQL adapter and the fakes do; ``care_store`` says so clearly when one does not)."""
    return CareDeps(cast(Callable[[], CareUnitOfWork], deps.unit_of_work), deps.catalog)


def _instant(day: date, at: time | None) -> datetime:
    return local_instant(day, at or time(0), _ZONE)


def play_ticket_event(deps: BillingDeps, event: Event) -> None:
    assert event.event is not None and event.ticket is not None
    care, when = care_of(deps), _instant(event.on, event.at)
    if event.event == "registered":
        assert event.subscription is not None
        open_ticket(care, NewTicket(event.ticket, TicketKind.REPAIR, event.subscription, when, note=event.note))
        return
    slot = _instant(event.slot.date(), event.slot.time()) if event.slot is not None else None
    record_event(care, event.ticket, TicketEvent(TicketEventKind(event.event), when, slot, event.note))


def play_intervention(deps: BillingDeps, event: Event) -> None:
    assert event.intervention is not None and event.subscription is not None
    report = report_of(event.intervention, event.on)
    report_intervention(care_of(deps), InterventionRequest(report, event.subscription, event.ticket))


def report_of(spec: InterventionSpec, day: date) -> InterventionReport:
    parts = tuple(Part(p.description, p.warranty, _money(p.quote)) for p in spec.parts)
    return InterventionReport(
        spec.id, day, Equipment(spec.equipment), Fault(spec.fault), spec.maintenance_contract, spec.travel,
        spec.minutes, parts, spec.out_of_hours, spec.light, spec.terminal_replaced, _money(spec.quote),
    )  # fmt: skip


def _money(value: object) -> Money | None:
    return None if value is None else Money.of(value)


def porting_numbers(event: Event) -> tuple[str, ...]:
    return event.numbers or ((event.number,) if event.number else ())


def follow_lifecycle(deps: BillingDeps, event: Event) -> None:
    """The tickets a lifecycle event opens or resolves: installation requested and done, porting asked and
    completed."""
    assert event.subscription is not None
    care, when, subscription = care_of(deps), _instant(event.on, event.at), event.subscription
    if event.do == "request_installation":
        ticket_id = event.ticket or f"{subscription}:installation"
        open_ticket(care, NewTicket(ticket_id, TicketKind.INSTALLATION, subscription, when, due=event.due))
    elif event.do in ("installation_done", "activate"):
        waiting = open_installation(care, subscription)
        if waiting is not None:
            record_event(care, waiting.id, TicketEvent(TicketEventKind.IN_SERVICE, when))
    elif event.do == "request_porting":
        ticket_id = event.ticket or f"{subscription}:porting"
        new = NewTicket(
            ticket_id, TicketKind.PORTING, subscription, when, due=event.due, numbers=porting_numbers(event)
        )
        open_ticket(care, new)
    elif event.do == "complete_porting":
        _complete_porting(care, subscription, porting_numbers(event), when)


def _complete_porting(care: CareDeps, subscription: str, numbers: tuple[str, ...], when: datetime) -> None:
    with care.unit_of_work() as uow:
        tickets = uow.tickets.for_subscription(subscription, TicketKind.PORTING)
    for ticket in tickets:
        if ticket.facts().resolved is None and set(ticket.numbers) <= set(numbers):
            record_event(care, ticket.id, TicketEvent(TicketEventKind.PORTED, when))
