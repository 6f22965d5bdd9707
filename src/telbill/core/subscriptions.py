"""The subscription lifecycle as a transition table, replayed over dated events.

order → (installation requested) → installed/activated → options added or removed, plan changed →
suspended → reactivated → terminated. Each event takes effect at the start of its day: a subscription
terminated on 15 March was in service up to and including 14 March.

``replay`` is the only way to learn a subscription's state: it checks every transition and the date order
and returns a ``Timeline`` — the recurring items with the dates they ran, which the billing core prices.
Suspension does not stop recurring fees: a suspension for non-payment leaves the contract running
(docs/algorithms/proration.md records this decision).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.period import DateRange


class State(Enum):
    ORDERED = "ordered"
    INSTALLING = "installing"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"


class EventKind(Enum):
    REQUEST_INSTALLATION = "request_installation"
    ACTIVATE = "activate"  # installation done / service in place
    ADD_OPTION = "add_option"
    REMOVE_OPTION = "remove_option"
    CHANGE_PLAN = "change_plan"
    SUSPEND = "suspend"
    REACTIVATE = "reactivate"
    TERMINATE = "terminate"
    LEND_DEVICE = "lend_device"  # a device (GSM) handed over at the connection, to be returned
    RETURN_DEVICE = "return_device"


_S = State
TRANSITIONS: dict[tuple[State, EventKind], State] = {
    (_S.ORDERED, EventKind.REQUEST_INSTALLATION): _S.INSTALLING,
    (_S.ORDERED, EventKind.ACTIVATE): _S.ACTIVE,
    (_S.INSTALLING, EventKind.ACTIVATE): _S.ACTIVE,
    (_S.ORDERED, EventKind.ADD_OPTION): _S.ORDERED,
    (_S.INSTALLING, EventKind.ADD_OPTION): _S.INSTALLING,
    (_S.ORDERED, EventKind.REMOVE_OPTION): _S.ORDERED,
    (_S.INSTALLING, EventKind.REMOVE_OPTION): _S.INSTALLING,
    (_S.ACTIVE, EventKind.ADD_OPTION): _S.ACTIVE,
    (_S.ACTIVE, EventKind.REMOVE_OPTION): _S.ACTIVE,
    (_S.ACTIVE, EventKind.CHANGE_PLAN): _S.ACTIVE,
    (_S.ACTIVE, EventKind.SUSPEND): _S.SUSPENDED,
    (_S.SUSPENDED, EventKind.REACTIVATE): _S.ACTIVE,
    (_S.ORDERED, EventKind.TERMINATE): _S.TERMINATED,
    (_S.INSTALLING, EventKind.TERMINATE): _S.TERMINATED,
    (_S.ACTIVE, EventKind.TERMINATE): _S.TERMINATED,
    (_S.SUSPENDED, EventKind.TERMINATE): _S.TERMINATED,
    **{(state, EventKind.LEND_DEVICE): state for state in (_S.ORDERED, _S.INSTALLING, _S.ACTIVE)},
    # a lent device can come back whatever happened to the subscription since
    **{(state, EventKind.RETURN_DEVICE): state for state in State},
}


@dataclass(frozen=True, slots=True)
class Event:
    kind: EventKind
    day: date
    item_code: str | None = None  # the option added or removed, the new plan


@dataclass(frozen=True, slots=True)
class Span:
    """A recurring item in service from ``start`` until ``end`` (exclusive; None: still running)."""

    item_code: str
    start: date
    end: date | None

    def within(self, period: DateRange) -> DateRange | None:
        end = period.end if self.end is None else min(self.end, period.end)
        start = max(self.start, period.start)
        return DateRange(start, end) if start < end else None


@dataclass(frozen=True, slots=True)
class DeviceLoan:
    device_id: str
    connected: date  # the day it was handed over
    returned: date | None = None


@dataclass(frozen=True, slots=True)
class Timeline:
    state: State
    plan_code: str
    activated: date | None
    terminated: date | None
    spans: tuple[Span, ...]
    suspensions: tuple[Span, ...]
    devices: tuple[DeviceLoan, ...] = ()

    def active_options(self) -> tuple[str, ...]:
        return tuple(s.item_code for s in self.spans if s.end is None and s.item_code != self.plan_code)


@dataclass(slots=True)
class _Replay:
    """Mutable scratchpad of ``replay``; never leaves this module."""

    state: State
    plan: str
    options: list[str]
    activated: date | None = None
    terminated: date | None = None
    suspended_since: date | None = None
    open: dict[str, date] = field(default_factory=dict)
    spans: list[Span] = field(default_factory=list)
    suspensions: list[Span] = field(default_factory=list)
    devices: dict[str, DeviceLoan] = field(default_factory=dict)

    def start(self, code: str, day: date) -> None:
        self.open[code] = day

    def stop(self, code: str, day: date) -> None:
        start = self.open.pop(code)
        if start < day:
            self.spans.append(Span(code, start, day))


def replay(plan_code: str, events: Sequence[Event], options: Sequence[str] = ()) -> Timeline:
    """Check every transition and the date order; return the timeline of the subscription."""
    run = _Replay(State.ORDERED, plan_code, list(options))
    previous: date | None = None
    for number, event in enumerate(events, start=1):
        if previous is not None and event.day < previous:
            raise TelbillError(
                "subscription.date_order",
                f"event {number} ({event.kind.value} on {event.day}) is dated before the event it follows ({previous})",
                field=f"events[{number}]",
            )
        target = TRANSITIONS.get((run.state, event.kind))
        if target is None:
            raise TelbillError(
                "subscription.transition",
                f"event {number}: cannot {event.kind.value} a subscription that is {run.state.value} (on {event.day})",
                ErrorKind.CONFLICT,
                field=f"events[{number}]",
            )
        _apply(run, event, number)
        run.state = target
        previous = event.day
    spans = [*run.spans, *(Span(code, start, None) for code, start in run.open.items())]
    suspensions = [*run.suspensions]
    if run.suspended_since is not None:
        suspensions.append(Span("suspension", run.suspended_since, None))
    spans_in_order = tuple(sorted(spans, key=_span_order))
    devices = tuple(run.devices.values())
    return Timeline(run.state, run.plan, run.activated, run.terminated, spans_in_order, tuple(suspensions), devices)


def _span_order(span: Span) -> tuple[date, str]:
    return (span.start, span.item_code)


def _apply(run: _Replay, event: Event, number: int) -> None:
    kind, day = event.kind, event.day
    if kind is EventKind.ACTIVATE:
        run.activated = day
        for code in (run.plan, *run.options):
            run.start(code, day)
    elif kind in (EventKind.ADD_OPTION, EventKind.REMOVE_OPTION, EventKind.CHANGE_PLAN):
        _change_items(run, event, _item(event, number), f"events[{number}]")
    elif kind in (EventKind.LEND_DEVICE, EventKind.RETURN_DEVICE):
        _device(run, event, _item(event, number), f"events[{number}]")
    elif kind is EventKind.SUSPEND:
        run.suspended_since = day
    elif kind is EventKind.REACTIVATE:
        assert run.suspended_since is not None
        run.suspensions.append(Span("suspension", run.suspended_since, day))
        run.suspended_since = None
    elif kind is EventKind.TERMINATE:
        run.terminated = day
        for code in list(run.open):
            run.stop(code, day)
        if run.suspended_since is not None:
            run.suspensions.append(Span("suspension", run.suspended_since, day))
            run.suspended_since = None


def _change_items(run: _Replay, event: Event, code: str, where: str) -> None:
    active = run.state is State.ACTIVE
    if event.kind is EventKind.ADD_OPTION:
        if code in run.options:
            raise TelbillError(
                "subscription.option_present", f"option {code} is already on the subscription", field=where
            )
        if code == run.plan:  # else the plan's span would restart on this day, losing the days before
            raise TelbillError("subscription.option_is_plan", f"{code} is the plan, not an option", field=where)
        run.options.append(code)
        if active:
            run.start(code, event.day)
    elif event.kind is EventKind.REMOVE_OPTION:
        if code not in run.options:
            raise TelbillError("subscription.option_absent", f"option {code} is not on the subscription", field=where)
        run.options.remove(code)
        if active:
            run.stop(code, event.day)
    else:
        if code == run.plan:
            raise TelbillError("subscription.same_plan", f"the subscription is already on plan {code}", field=where)
        if code in run.options:  # else the option's span would restart on this day, losing the days before
            raise TelbillError(
                "subscription.plan_is_option", f"{code} is an option of the subscription: remove it first", field=where
            )
        run.stop(run.plan, event.day)
        run.plan = code
        run.start(code, event.day)


def _device(run: _Replay, event: Event, device_id: str, where: str) -> None:
    loan = run.devices.get(device_id)
    if event.kind is EventKind.LEND_DEVICE:
        if loan is not None:
            raise TelbillError("subscription.device_lent", f"device {device_id} is lent already", field=where)
        run.devices[device_id] = DeviceLoan(device_id, event.day)
    else:
        if loan is None or loan.returned is not None:
            raise TelbillError("subscription.device_not_lent", f"device {device_id} is not out on loan", field=where)
        run.devices[device_id] = DeviceLoan(device_id, loan.connected, event.day)


def _item(event: Event, number: int) -> str:
    if not event.item_code:
        raise TelbillError(
            "subscription.item_missing", f"event {number} ({event.kind.value}) needs an item", field=f"events[{number}]"
        )
    return event.item_code


@dataclass(frozen=True, slots=True)
class Subscription:
    """A subscription as stored: its plan and options as ordered, and every dated event since."""

    id: str
    account_id: str
    plan_code: str
    options: tuple[str, ...] = ()
    events: tuple[Event, ...] = ()
    numbers: tuple[str, ...] = ()  # fixed and mobile numbers (E.164) that belong to it

    def timeline(self, as_of: date | None = None) -> Timeline:
        """The timeline of the events known on ``as_of`` (all events when None)."""
        events = self.events if as_of is None else tuple(e for e in self.events if e.day <= as_of)
        return replay(self.plan_code, events, self.options)

    def with_event(self, event: Event) -> Subscription:
        """This subscription with one more event, checked against the lifecycle before it is accepted."""
        updated = Subscription(
            self.id, self.account_id, self.plan_code, self.options, (*self.events, event), self.numbers
        )
        updated.timeline()
        return updated
