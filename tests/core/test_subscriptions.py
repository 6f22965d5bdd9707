"""The subscription lifecycle: every transition of the table, the refusals, and the timeline it replays.

The allowed and refused transitions are written out below by hand (all 5 states × 10 events), so a change to
``TRANSITIONS`` that is not also a change of this specification fails here.
"""

from __future__ import annotations

from datetime import date

import pytest

from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.period import DateRange
from telbill.core.subscriptions import (
    DeviceLoan,
    Event,
    EventKind,
    Span,
    State,
    Subscription,
    replay,
)

K = EventKind
S = State


def d(text: str) -> date:
    return date.fromisoformat(text)


def ev(kind: EventKind, day: str, item: str | None = None) -> Event:
    return Event(kind, d(day), item)


def refused(code: str, event_number: int) -> pytest.RaisesExc[TelbillError]:
    """The error of event ``event_number`` (1-based): its code, and a field that names the event."""
    return pytest.raises(TelbillError, match=rf"^{code}:.*\[events\[{event_number}\]\]$")


PLAN = "CLIC-BUREAU"
OPTION = "SAFESPOT-PRO"  # ordered with the subscription
OTHER_OPTION = "SPEEDBOOST-1GB"

# The events that bring a subscription into each state. A GSM is lent first, so that returning it is possible.
REACH: dict[State, tuple[Event, ...]] = {
    S.ORDERED: (ev(K.LEND_DEVICE, "2026-01-02", "GSM-1"),),
    S.INSTALLING: (ev(K.LEND_DEVICE, "2026-01-02", "GSM-1"), ev(K.REQUEST_INSTALLATION, "2026-01-03")),
    S.ACTIVE: (ev(K.LEND_DEVICE, "2026-01-02", "GSM-1"), ev(K.ACTIVATE, "2026-01-05")),
    S.SUSPENDED: (ev(K.LEND_DEVICE, "2026-01-02", "GSM-1"), ev(K.ACTIVATE, "2026-01-05"), ev(K.SUSPEND, "2026-02-10")),
    S.TERMINATED: (
        ev(K.LEND_DEVICE, "2026-01-02", "GSM-1"),
        ev(K.ACTIVATE, "2026-01-05"),
        ev(K.TERMINATE, "2026-03-01"),
    ),
}

# The item each event needs to be valid in itself, so that only the transition decides.
ITEM: dict[EventKind, str | None] = {
    K.ADD_OPTION: OTHER_OPTION,
    K.REMOVE_OPTION: OPTION,
    K.CHANGE_PLAN: "CLIC-BUREAU-PLUS",
    K.LEND_DEVICE: "GSM-2",
    K.RETURN_DEVICE: "GSM-1",
}

ALLOWED: dict[tuple[State, EventKind], State] = {
    (S.ORDERED, K.REQUEST_INSTALLATION): S.INSTALLING,
    (S.ORDERED, K.ACTIVATE): S.ACTIVE,
    (S.ORDERED, K.ADD_OPTION): S.ORDERED,
    (S.ORDERED, K.REMOVE_OPTION): S.ORDERED,
    (S.ORDERED, K.TERMINATE): S.TERMINATED,
    (S.ORDERED, K.LEND_DEVICE): S.ORDERED,
    (S.ORDERED, K.RETURN_DEVICE): S.ORDERED,
    (S.INSTALLING, K.ACTIVATE): S.ACTIVE,
    (S.INSTALLING, K.ADD_OPTION): S.INSTALLING,
    (S.INSTALLING, K.REMOVE_OPTION): S.INSTALLING,
    (S.INSTALLING, K.TERMINATE): S.TERMINATED,
    (S.INSTALLING, K.LEND_DEVICE): S.INSTALLING,
    (S.INSTALLING, K.RETURN_DEVICE): S.INSTALLING,
    (S.ACTIVE, K.ADD_OPTION): S.ACTIVE,
    (S.ACTIVE, K.REMOVE_OPTION): S.ACTIVE,
    (S.ACTIVE, K.CHANGE_PLAN): S.ACTIVE,
    (S.ACTIVE, K.SUSPEND): S.SUSPENDED,
    (S.ACTIVE, K.TERMINATE): S.TERMINATED,
    (S.ACTIVE, K.LEND_DEVICE): S.ACTIVE,
    (S.ACTIVE, K.RETURN_DEVICE): S.ACTIVE,
    (S.SUSPENDED, K.REACTIVATE): S.ACTIVE,
    (S.SUSPENDED, K.TERMINATE): S.TERMINATED,
    (S.SUSPENDED, K.RETURN_DEVICE): S.SUSPENDED,
    (S.TERMINATED, K.RETURN_DEVICE): S.TERMINATED,  # a lent GSM can come back after the end
}

REFUSED: list[tuple[State, EventKind]] = [
    (S.ORDERED, K.CHANGE_PLAN),  # change the plan of the order instead
    (S.ORDERED, K.SUSPEND),
    (S.ORDERED, K.REACTIVATE),
    (S.INSTALLING, K.REQUEST_INSTALLATION),
    (S.INSTALLING, K.CHANGE_PLAN),
    (S.INSTALLING, K.SUSPEND),
    (S.INSTALLING, K.REACTIVATE),
    (S.ACTIVE, K.REQUEST_INSTALLATION),
    (S.ACTIVE, K.ACTIVATE),
    (S.ACTIVE, K.REACTIVATE),
    (S.SUSPENDED, K.REQUEST_INSTALLATION),
    (S.SUSPENDED, K.ACTIVATE),
    (S.SUSPENDED, K.ADD_OPTION),
    (S.SUSPENDED, K.REMOVE_OPTION),
    (S.SUSPENDED, K.CHANGE_PLAN),
    (S.SUSPENDED, K.SUSPEND),
    (S.SUSPENDED, K.LEND_DEVICE),
    *((S.TERMINATED, kind) for kind in EventKind if kind is not K.RETURN_DEVICE),
]


def test_the_specification_covers_every_state_and_event_once() -> None:
    pairs = {(state, kind) for state in State for kind in EventKind}
    assert len(ALLOWED) == 24 and len(REFUSED) == 26
    assert set(ALLOWED).isdisjoint(REFUSED)
    assert set(ALLOWED) | set(REFUSED) == pairs


@pytest.mark.parametrize(("state", "kind"), list(ALLOWED), ids=lambda v: v.value)
def test_every_allowed_transition(state: State, kind: EventKind) -> None:
    events = (*REACH[state], ev(kind, "2026-04-01", ITEM.get(kind)))
    assert replay(PLAN, REACH[state], (OPTION,)).state is state
    assert replay(PLAN, events, (OPTION,)).state is ALLOWED[(state, kind)]


@pytest.mark.parametrize(("state", "kind"), REFUSED, ids=lambda v: v.value)
def test_every_refused_transition(state: State, kind: EventKind) -> None:
    events = (*REACH[state], ev(kind, "2026-04-01", ITEM.get(kind)))
    number = len(events)
    with refused("subscription.transition", number) as caught:
        replay(PLAN, events, (OPTION,))
    assert caught.value.kind is ErrorKind.CONFLICT
    assert caught.value.field == f"events[{number}]"
    assert f"cannot {kind.value}" in caught.value.message and state.value in caught.value.message


def test_events_out_of_date_order_are_refused() -> None:
    events = (ev(K.ACTIVATE, "2026-03-10"), ev(K.ADD_OPTION, "2026-03-10", OTHER_OPTION), ev(K.SUSPEND, "2026-03-09"))
    with refused("subscription.date_order", 3) as caught:
        replay(PLAN, events)
    assert "2026-03-09" in caught.value.message and "2026-03-10" in caught.value.message
    # events of the same day are in order: the second one (same day) was accepted
    assert replay(PLAN, events[:2]).active_options() == (OTHER_OPTION,)


def test_an_option_cannot_be_added_twice() -> None:
    events = (ev(K.ACTIVATE, "2026-03-10"), ev(K.ADD_OPTION, "2026-03-20", OPTION))
    with refused("subscription.option_present", 2) as caught:
        replay(PLAN, events, (OPTION,))
    assert OPTION in caught.value.message


def test_an_absent_option_cannot_be_removed() -> None:
    events = (ev(K.ACTIVATE, "2026-03-10"), ev(K.REMOVE_OPTION, "2026-03-20", OTHER_OPTION))
    with refused("subscription.option_absent", 2) as caught:
        replay(PLAN, events, (OPTION,))
    assert OTHER_OPTION in caught.value.message


def test_a_plan_change_to_the_same_plan_is_refused() -> None:
    events = (ev(K.ACTIVATE, "2026-03-10"), ev(K.CHANGE_PLAN, "2026-03-20", PLAN))
    with refused("subscription.same_plan", 2):
        replay(PLAN, events)


def test_the_plan_cannot_be_added_as_an_option() -> None:
    # accepted, it would restart the plan's span on 20 March and lose 10..19 March from every bill
    events = (ev(K.ACTIVATE, "2026-03-10"), ev(K.ADD_OPTION, "2026-03-20", PLAN))
    with refused("subscription.option_is_plan", 2) as caught:
        replay(PLAN, events)
    assert PLAN in caught.value.message


def test_the_plan_cannot_change_to_a_running_option() -> None:
    # accepted, the option's span from 10 March would be lost: it would seem to start on 20 March
    events = (ev(K.ACTIVATE, "2026-03-10"), ev(K.CHANGE_PLAN, "2026-03-20", OPTION))
    with refused("subscription.plan_is_option", 2) as caught:
        replay(PLAN, events, (OPTION,))
    assert OPTION in caught.value.message
    # once the option is removed, the plan may become that item
    removed = (*events[:1], ev(K.REMOVE_OPTION, "2026-03-20", OPTION), ev(K.CHANGE_PLAN, "2026-03-20", OPTION))
    assert replay(PLAN, removed, (OPTION,)).spans == (
        Span(PLAN, d("2026-03-10"), d("2026-03-20")),
        Span(OPTION, d("2026-03-10"), d("2026-03-20")),
        Span(OPTION, d("2026-03-20"), None),
    )


@pytest.mark.parametrize("kind", [K.ADD_OPTION, K.REMOVE_OPTION, K.CHANGE_PLAN, K.LEND_DEVICE, K.RETURN_DEVICE])
def test_an_event_without_its_item_is_refused(kind: EventKind) -> None:
    with refused("subscription.item_missing", 2):
        replay(PLAN, (ev(K.ACTIVATE, "2026-03-10"), ev(kind, "2026-03-20")))


def test_options_ordered_before_activation_start_at_activation() -> None:
    events = (
        ev(K.REQUEST_INSTALLATION, "2026-03-01"),
        ev(K.ADD_OPTION, "2026-03-02", OTHER_OPTION),
        ev(K.REMOVE_OPTION, "2026-03-03", OPTION),
        ev(K.ADD_OPTION, "2026-03-04", OPTION),  # removed and ordered again before activation
        ev(K.ACTIVATE, "2026-03-10"),
    )
    timeline = replay(PLAN, events, (OPTION,))
    assert timeline.state is S.ACTIVE and timeline.activated == d("2026-03-10")
    # nothing runs before the activation, everything ordered runs from it
    assert timeline.spans == (  # in order of start, then code
        Span(PLAN, d("2026-03-10"), None),
        Span(OPTION, d("2026-03-10"), None),
        Span(OTHER_OPTION, d("2026-03-10"), None),
    )
    assert sorted(timeline.active_options()) == [OPTION, OTHER_OPTION]


def test_an_option_removed_before_activation_never_runs() -> None:
    events = (ev(K.REMOVE_OPTION, "2026-03-03", OPTION), ev(K.ACTIVATE, "2026-03-10"))
    assert replay(PLAN, events, (OPTION,)).spans == (Span(PLAN, d("2026-03-10"), None),)


def test_a_plan_change_mid_period_splits_the_spans() -> None:
    events = (ev(K.ACTIVATE, "2026-01-01"), ev(K.CHANGE_PLAN, "2026-03-12", "DIRECTORY-LINE-DDI10"))
    timeline = replay("DIRECTORY-LINE-SIMPLE", events)
    assert timeline.plan_code == "DIRECTORY-LINE-DDI10"
    assert timeline.spans == (
        Span("DIRECTORY-LINE-SIMPLE", d("2026-01-01"), d("2026-03-12")),
        Span("DIRECTORY-LINE-DDI10", d("2026-03-12"), None),
    )
    assert timeline.active_options() == ()  # the new plan is not an option
    # in March: the old plan 1..11 March (11 days), the new one 12..31 March (20 days)
    march = DateRange(d("2026-03-01"), d("2026-04-01"))
    old, new = (span.within(march) for span in timeline.spans)
    assert old == DateRange(d("2026-03-01"), d("2026-03-12")) and old.days == 11
    assert new == DateRange(d("2026-03-12"), d("2026-04-01")) and new.days == 20
    assert timeline.spans[0].within(DateRange(d("2026-04-01"), d("2026-05-01"))) is None


def test_termination_closes_every_span_at_the_start_of_its_day() -> None:
    events = (
        ev(K.ACTIVATE, "2026-03-10"),
        ev(K.ADD_OPTION, "2026-04-05", OTHER_OPTION),
        ev(K.REMOVE_OPTION, "2026-04-20", OPTION),
        ev(K.TERMINATE, "2026-05-16"),
    )
    timeline = replay(PLAN, events, (OPTION,))
    assert (timeline.state, timeline.terminated) == (S.TERMINATED, d("2026-05-16"))
    assert timeline.spans == (
        Span(PLAN, d("2026-03-10"), d("2026-05-16")),
        Span(OPTION, d("2026-03-10"), d("2026-04-20")),
        Span(OTHER_OPTION, d("2026-04-05"), d("2026-05-16")),
    )
    assert all(span.end is not None for span in timeline.spans)
    assert timeline.active_options() == ()
    # in service up to and including 15 May: 1..15 May = 15 days of May
    may = DateRange(d("2026-05-01"), d("2026-06-01"))
    in_may = timeline.spans[0].within(may)
    assert in_may is not None and in_may.days == 15 and in_may.last_day == d("2026-05-15")


def test_termination_on_the_activation_day_leaves_no_service() -> None:
    # half-open: [10 March, 10 March) is empty, so the subscription never was in service
    timeline = replay(PLAN, (ev(K.ACTIVATE, "2026-03-10"), ev(K.TERMINATE, "2026-03-10")), (OPTION,))
    assert (timeline.state, timeline.activated, timeline.terminated) == (S.TERMINATED, d("2026-03-10"), d("2026-03-10"))
    assert timeline.spans == ()


def test_termination_of_an_order_never_activated() -> None:
    timeline = replay(PLAN, (ev(K.REQUEST_INSTALLATION, "2026-03-01"), ev(K.TERMINATE, "2026-03-05")), (OPTION,))
    assert (timeline.state, timeline.activated, timeline.terminated) == (S.TERMINATED, None, d("2026-03-05"))
    assert timeline.spans == ()


def test_suspension_keeps_the_spans_running() -> None:
    events = (ev(K.ACTIVATE, "2026-01-01"), ev(K.SUSPEND, "2026-02-10"), ev(K.REACTIVATE, "2026-02-20"))
    timeline = replay(PLAN, events, (OPTION,))
    assert timeline.state is S.ACTIVE
    assert timeline.spans == (Span(PLAN, d("2026-01-01"), None), Span(OPTION, d("2026-01-01"), None))
    assert timeline.suspensions == (Span("suspension", d("2026-02-10"), d("2026-02-20")),)
    still = replay(PLAN, events[:2], (OPTION,))
    assert still.state is S.SUSPENDED
    assert still.spans == timeline.spans  # suspended, yet every recurring item runs on
    assert still.suspensions == (Span("suspension", d("2026-02-10"), None),)


def test_termination_during_a_suspension_ends_both() -> None:
    events = (ev(K.ACTIVATE, "2026-01-01"), ev(K.SUSPEND, "2026-02-10"), ev(K.TERMINATE, "2026-03-01"))
    timeline = replay(PLAN, events)
    assert timeline.spans == (Span(PLAN, d("2026-01-01"), d("2026-03-01")),)
    assert timeline.suspensions == (Span("suspension", d("2026-02-10"), d("2026-03-01")),)


def test_two_suspensions_are_both_recorded() -> None:
    events = (
        ev(K.ACTIVATE, "2026-01-01"),
        ev(K.SUSPEND, "2026-02-10"),
        ev(K.REACTIVATE, "2026-02-20"),
        ev(K.SUSPEND, "2026-04-01"),
        ev(K.REACTIVATE, "2026-04-03"),
    )
    assert replay(PLAN, events).suspensions == (
        Span("suspension", d("2026-02-10"), d("2026-02-20")),
        Span("suspension", d("2026-04-01"), d("2026-04-03")),
    )


# --- Device loans --------------------------------------------------------------------------------------


def test_a_device_lent_and_returned() -> None:
    events = (
        ev(K.LEND_DEVICE, "2026-01-05", "GSM-1"),
        ev(K.ACTIVATE, "2026-01-05"),
        ev(K.RETURN_DEVICE, "2026-02-04", "GSM-1"),
    )
    assert replay(PLAN, events).devices == (DeviceLoan("GSM-1", d("2026-01-05"), d("2026-02-04")),)
    assert replay(PLAN, events[:2]).devices == (DeviceLoan("GSM-1", d("2026-01-05"), None),)


def test_a_device_cannot_be_lent_twice() -> None:
    events = (
        ev(K.ACTIVATE, "2026-01-05"),
        ev(K.LEND_DEVICE, "2026-01-05", "GSM-1"),
        ev(K.LEND_DEVICE, "2026-01-06", "GSM-1"),
    )
    with refused("subscription.device_lent", 3) as caught:
        replay(PLAN, events)
    assert "GSM-1" in caught.value.message
    # another device is another loan
    two = replay(PLAN, (*events[:2], ev(K.LEND_DEVICE, "2026-01-06", "GSM-2")))
    assert [loan.device_id for loan in two.devices] == ["GSM-1", "GSM-2"]


def test_a_device_not_lent_cannot_be_returned() -> None:
    with refused("subscription.device_not_lent", 2):
        replay(PLAN, (ev(K.ACTIVATE, "2026-01-05"), ev(K.RETURN_DEVICE, "2026-01-06", "GSM-1")))


def test_a_device_cannot_be_returned_twice() -> None:
    events = (
        ev(K.LEND_DEVICE, "2026-01-05", "GSM-1"),
        ev(K.RETURN_DEVICE, "2026-01-20", "GSM-1"),
        ev(K.RETURN_DEVICE, "2026-01-21", "GSM-1"),
    )
    with refused("subscription.device_not_lent", 3):
        replay(PLAN, events)


def test_a_device_can_be_returned_after_termination() -> None:
    events = (
        ev(K.ACTIVATE, "2026-01-05"),
        ev(K.LEND_DEVICE, "2026-01-05", "GSM-1"),
        ev(K.TERMINATE, "2026-01-20"),
        ev(K.RETURN_DEVICE, "2026-01-25", "GSM-1"),
    )
    timeline = replay(PLAN, events)
    assert timeline.state is S.TERMINATED
    assert timeline.devices == (DeviceLoan("GSM-1", d("2026-01-05"), d("2026-01-25")),)


# --- Subscription: the events known on a day -----------------------------------------------------------


def test_the_timeline_as_of_a_day_knows_only_the_events_up_to_that_day() -> None:
    subscription = Subscription(
        "SUB-1", "ACC-1", PLAN, (OPTION,), (ev(K.ACTIVATE, "2026-03-10"), ev(K.TERMINATE, "2026-05-16"))
    )
    assert subscription.timeline(d("2026-03-09")).state is S.ORDERED
    assert subscription.timeline(d("2026-03-10")).state is S.ACTIVE  # an event is known on its own day
    assert subscription.timeline(d("2026-05-01")).terminated is None
    assert subscription.timeline(d("2026-05-16")).terminated == d("2026-05-16")
    assert subscription.timeline().state is S.TERMINATED


def test_with_event_checks_the_new_event_and_leaves_the_original_alone() -> None:
    original = Subscription("SUB-1", "ACC-1", PLAN, (OPTION,), (ev(K.ACTIVATE, "2026-03-10"),))
    suspended = original.with_event(ev(K.SUSPEND, "2026-04-02"))
    assert suspended.timeline().state is S.SUSPENDED
    assert original.timeline().state is S.ACTIVE and len(original.events) == 1
    with refused("subscription.transition", 2):
        original.with_event(ev(K.REACTIVATE, "2026-04-02"))
    with refused("subscription.date_order", 2):
        original.with_event(ev(K.SUSPEND, "2026-03-01"))
