"""Trouble tickets and service orders as an event log, checked by a transition table.

A ticket is registered (the moment the customer reports the fault, or the operator receives the order),
acknowledged, given an appointment (proposed, accepted), resolved and closed. Three kinds share the log:

- ``repair``: a fault on a line, resolved when **repaired**; it may be **paused** while the customer is the
  cause (no access to the premises, unreachable), which stops its SLA clock (the "net repair delay");
- ``installation``: putting a line in service, resolved when **in service**; ``due`` is the agreed date of
  putting in service (or the ready-for-service date of an ISDN-30 access);
- ``porting``: moving ``numbers`` to the operator, resolved when **ported**; ``due`` is the agreed date.

The customer may **request compensation** at any time after registration (clauses paid "on request"); the
operator may **link** the ticket to an outage. ``replay`` is the only way to learn a ticket's facts: it
checks the order of the instants and every transition, and refuses bad logs with coded errors (an event
before the registration, a pause inside a pause, a repair while paused…). The log is the history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from itertools import pairwise

from telbill.core.care.instants import Interval, require_aware
from telbill.core.errors import ErrorKind, TelbillError


class TicketKind(Enum):
    REPAIR = "repair"
    INSTALLATION = "installation"
    PORTING = "porting"


class TicketState(Enum):
    REGISTERED = "registered"
    ACKNOWLEDGED = "acknowledged"
    APPOINTMENT_PROPOSED = "appointment_proposed"
    APPOINTMENT_ACCEPTED = "appointment_accepted"
    RESOLVED = "resolved"  # repaired, in service, ported
    CLOSED = "closed"


class TicketEventKind(Enum):
    REGISTERED = "registered"
    ACKNOWLEDGED = "acknowledged"
    APPOINTMENT_PROPOSED = "appointment_proposed"  # with the slot offered
    APPOINTMENT_ACCEPTED = "appointment_accepted"
    PAUSED = "paused"  # the customer is the cause: the clock stops
    RESUMED = "resumed"
    REPAIRED = "repaired"
    IN_SERVICE = "in_service"
    PORTED = "ported"
    CLOSED = "closed"
    COMPENSATION_REQUESTED = "compensation_requested"
    OUTAGE_LINKED = "outage_linked"  # with the outage id


_S, _E = TicketState, TicketEventKind
_OPEN = (_S.REGISTERED, _S.ACKNOWLEDGED, _S.APPOINTMENT_PROPOSED, _S.APPOINTMENT_ACCEPTED)
TRANSITIONS: dict[tuple[TicketState, TicketEventKind], TicketState] = {
    (_S.REGISTERED, _E.ACKNOWLEDGED): _S.ACKNOWLEDGED,
    **{(state, _E.APPOINTMENT_PROPOSED): _S.APPOINTMENT_PROPOSED for state in _OPEN},  # a new slot replaces one
    (_S.APPOINTMENT_PROPOSED, _E.APPOINTMENT_ACCEPTED): _S.APPOINTMENT_ACCEPTED,
    **{(state, kind): _S.RESOLVED for state in _OPEN for kind in (_E.REPAIRED, _E.IN_SERVICE, _E.PORTED)},
    **{(state, kind): state for state in _OPEN for kind in (_E.PAUSED, _E.RESUMED)},
    (_S.RESOLVED, _E.CLOSED): _S.CLOSED,
    **{(state, kind): state for state in _S for kind in (_E.COMPENSATION_REQUESTED, _E.OUTAGE_LINKED)},
}

# What each kind of ticket may record besides registration, acknowledgement, closing and links.
_RESOLUTION = {TicketKind.REPAIR: _E.REPAIRED, TicketKind.INSTALLATION: _E.IN_SERVICE, TicketKind.PORTING: _E.PORTED}
_KIND_ONLY = {_E.PAUSED: TicketKind.REPAIR, _E.RESUMED: TicketKind.REPAIR}


@dataclass(frozen=True, slots=True)
class TicketEvent:
    kind: TicketEventKind
    at: datetime
    slot: datetime | None = None  # the appointment offered (APPOINTMENT_PROPOSED)
    note: str = ""  # why (a pause's cause, the technician's words)
    outage_id: str | None = None  # OUTAGE_LINKED

    def __post_init__(self) -> None:
        object.__setattr__(self, "at", require_aware(self.at, "at"))
        if self.slot is not None:
            object.__setattr__(self, "slot", require_aware(self.slot, "slot"))


@dataclass(frozen=True, slots=True)
class Appointment:
    proposed: datetime  # when the operator offered it
    slot: datetime  # when the technician would come
    accepted: datetime | None = None


@dataclass(frozen=True, slots=True)
class TicketFacts:
    """What the log says, checked: every instant in UTC."""

    state: TicketState
    registered: datetime
    acknowledged: datetime | None
    appointments: tuple[Appointment, ...]
    pauses: tuple[Interval, ...]  # closed pauses, in order, never overlapping
    paused_since: datetime | None  # a pause still open
    resolved: datetime | None
    closed: datetime | None
    compensation_requested: datetime | None
    outages: tuple[str, ...]

    def pauses_until(self, at: datetime) -> tuple[Interval, ...]:
        """The pauses as known at ``at``: an open pause runs until ``at``; later pauses are not known yet."""
        known = tuple(part for p in self.pauses if (part := p.clip(self.registered, at)) is not None)
        if self.paused_since is not None and self.paused_since < at:
            known += (Interval(self.paused_since, at),)
        return known


@dataclass(frozen=True, slots=True)
class Ticket:
    id: str
    kind: TicketKind
    account_id: str
    subscription_id: str | None
    events: tuple[TicketEvent, ...]
    due: date | None = None  # the agreed date (installation, porting)
    numbers: tuple[str, ...] = ()  # the numbers ported
    note: str = ""  # the customer's words when registering

    def __post_init__(self) -> None:
        if not self.id.strip():
            raise TelbillError("ticket.id", "a ticket needs an id", field="id")
        if self.kind is TicketKind.PORTING and not self.numbers:
            raise TelbillError("ticket.numbers", f"porting ticket {self.id} names no number", field="numbers")

    def facts(self) -> TicketFacts:
        return replay(self)

    def with_event(self, event: TicketEvent) -> Ticket:
        """This ticket with one more event, checked against the lifecycle before it is accepted."""
        return self._with_events((*self.events, event))

    def with_pause(self, pause: Interval) -> Ticket:
        """This ticket with a pause reported afterwards ("the customer was away from 10:00 to 12:00"),
        merged into the log at its instants and checked: it may not overlap another pause nor a resolution."""
        return self._with_events(events_with_pauses(self.events, (pause,)))

    def _with_events(self, events: tuple[TicketEvent, ...]) -> Ticket:
        updated = Ticket(self.id, self.kind, self.account_id, self.subscription_id, events, self.due, self.numbers,
                         self.note)  # fmt: skip
        updated.facts()
        return updated


@dataclass(slots=True)
class _Replay:
    """Mutable scratchpad of ``replay``; never leaves this module."""

    state: TicketState
    registered: datetime
    acknowledged: datetime | None = None
    appointments: list[Appointment] = field(default_factory=list)
    pauses: list[Interval] = field(default_factory=list)
    paused_since: datetime | None = None
    resolved: datetime | None = None
    closed: datetime | None = None
    requested: datetime | None = None
    outages: list[str] = field(default_factory=list)


def replay(ticket: Ticket) -> TicketFacts:
    """Check the log and return its facts. Errors name the event: ``events[n]`` (1-based)."""
    if not ticket.events or ticket.events[0].kind is not TicketEventKind.REGISTERED:
        raise TelbillError("ticket.not_registered", f"ticket {ticket.id} must start with its registration")
    run = _Replay(TicketState.REGISTERED, ticket.events[0].at)
    for number, event in enumerate(ticket.events[1:], start=2):
        where = f"events[{number}]"
        _check_order(ticket, run, event, where, number)
        target = TRANSITIONS.get((run.state, event.kind))
        allowed_kind = _KIND_ONLY.get(event.kind, ticket.kind)
        resolution = event.kind in _RESOLUTION.values() and _RESOLUTION[ticket.kind] is not event.kind
        if target is None or allowed_kind is not ticket.kind or resolution:
            raise TelbillError(
                "ticket.transition",
                f"{ticket.kind.value} ticket {ticket.id}: cannot record {event.kind.value} when {run.state.value}",
                ErrorKind.CONFLICT,
                where,
            )
        _apply(run, event, where)
        run.state = target
    return TicketFacts(run.state, run.registered, run.acknowledged, tuple(run.appointments), tuple(run.pauses),
                       run.paused_since, run.resolved, run.closed, run.requested, tuple(run.outages))  # fmt: skip


def _check_order(ticket: Ticket, run: _Replay, event: TicketEvent, where: str, number: int) -> None:
    if event.at < run.registered:
        raise TelbillError(
            "ticket.before_registration",
            f"ticket {ticket.id}: {event.kind.value} at {event.at.isoformat()} is before the registration "
            f"({run.registered.isoformat()})",
            field=where,
        )
    previous = ticket.events[number - 2].at
    if event.at < previous:
        raise TelbillError(
            "ticket.date_order",
            f"ticket {ticket.id}: {event.kind.value} at {event.at.isoformat()} is before the event it follows "
            f"({previous.isoformat()})",
            field=where,
        )


def _apply(run: _Replay, event: TicketEvent, where: str) -> None:
    kind = event.kind
    if kind is TicketEventKind.ACKNOWLEDGED:
        run.acknowledged = event.at
    elif kind is TicketEventKind.APPOINTMENT_PROPOSED:
        if event.slot is None or event.slot < event.at:
            raise TelbillError(
                "ticket.slot", "an appointment needs a slot after the moment it is proposed", field=where
            )
        run.appointments.append(Appointment(event.at, event.slot))
    elif kind is TicketEventKind.APPOINTMENT_ACCEPTED:
        last = run.appointments[-1]
        run.appointments[-1] = Appointment(last.proposed, last.slot, event.at)
    elif kind in (TicketEventKind.PAUSED, TicketEventKind.RESUMED):
        _pause(run, event, where)
    elif kind in (TicketEventKind.REPAIRED, TicketEventKind.IN_SERVICE, TicketEventKind.PORTED):
        if run.paused_since is not None:
            raise TelbillError("ticket.paused", "the ticket is paused: resume it before resolving it", field=where)
        run.resolved = event.at
    elif kind is TicketEventKind.CLOSED:
        run.closed = event.at
    elif kind is TicketEventKind.COMPENSATION_REQUESTED:
        if run.requested is not None:
            raise TelbillError("ticket.requested", "compensation is requested already", ErrorKind.CONFLICT, where)
        run.requested = event.at
    elif kind is TicketEventKind.OUTAGE_LINKED:
        if not event.outage_id:
            raise TelbillError("ticket.outage", "a link to an outage needs the outage id", field=where)
        if event.outage_id not in run.outages:
            run.outages.append(event.outage_id)


def _pause(run: _Replay, event: TicketEvent, where: str) -> None:
    if event.kind is TicketEventKind.PAUSED:
        if run.paused_since is not None:
            raise TelbillError(
                "ticket.pause_overlap",
                f"a pause starts at {event.at.isoformat()} inside the pause since {run.paused_since.isoformat()}",
                field=where,
            )
        run.paused_since = event.at
        return
    if run.paused_since is None:
        raise TelbillError("ticket.not_paused", "the ticket is not paused", field=where)
    run.pauses.append(Interval(run.paused_since, event.at))
    run.paused_since = None


def pauses_from(intervals: tuple[Interval, ...]) -> tuple[Interval, ...]:
    """Pauses given as intervals (imports, tests) in order; overlapping ones are refused."""
    ordered = tuple(sorted(intervals))
    for before, after in pairwise(ordered):
        if after.start < before.end:
            raise TelbillError(
                "ticket.pause_overlap",
                f"the pause from {after.start.isoformat()} overlaps the one until {before.end.isoformat()}",
                field="pauses",
            )
    return ordered


def events_with_pauses(events: tuple[TicketEvent, ...], pauses: tuple[Interval, ...]) -> tuple[TicketEvent, ...]:
    """A log with pause and resume events for ``pauses`` merged in at their instants (after the events of
    the same instant). Pauses that overlap each other are refused here, those that overlap the log's own
    pauses by ``replay``."""
    ordered = pauses_from(pauses)
    extra = [TicketEvent(TicketEventKind.PAUSED, p.start) for p in ordered]
    extra += [TicketEvent(TicketEventKind.RESUMED, p.end) for p in ordered]
    return tuple(sorted((*events, *extra), key=lambda e: e.at))
