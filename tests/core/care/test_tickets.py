"""The ticket lifecycle: the transition table, the facts a log yields, and the coded errors of bad logs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from telbill.core.care.instants import Interval
from telbill.core.care.tickets import Ticket, TicketEvent, TicketKind, TicketState, pauses_from
from telbill.core.errors import TelbillError
from tests.core.care.builders import K, at, event, local, repair


def test_a_repair_goes_through_every_state() -> None:
    ticket = repair(
        "2026-03-09 10:00",
        event(K.ACKNOWLEDGED, "2026-03-09 10:05"),
        event(K.APPOINTMENT_PROPOSED, "2026-03-09 11:00", slot="2026-03-10 09:00"),
        event(K.APPOINTMENT_ACCEPTED, "2026-03-09 11:30"),
        event(K.PAUSED, "2026-03-10 09:00", note="nobody home"),
        event(K.RESUMED, "2026-03-10 11:00"),
        event(K.REPAIRED, "2026-03-10 12:00"),
        event(K.CLOSED, "2026-03-10 12:30"),
    )
    facts = ticket.facts()
    assert facts.state is TicketState.CLOSED
    assert local(facts.acknowledged or at("2000-01-01 00:00")) == "2026-03-09 10:05"
    [appointment] = facts.appointments
    assert local(appointment.slot) == "2026-03-10 09:00" and appointment.accepted is not None
    assert [(local(p.start), local(p.end)) for p in facts.pauses] == [("2026-03-10 09:00", "2026-03-10 11:00")]
    assert local(facts.resolved or at("2000-01-01 00:00")) == "2026-03-10 12:00"
    assert [e.kind for e in ticket.events][-1] is K.CLOSED  # the log is the history


def test_a_new_appointment_replaces_an_accepted_one() -> None:
    ticket = repair(
        "2026-03-09 10:00",
        event(K.APPOINTMENT_PROPOSED, "2026-03-09 11:00", slot="2026-03-10 09:00"),
        event(K.APPOINTMENT_ACCEPTED, "2026-03-09 11:30"),
        event(K.APPOINTMENT_PROPOSED, "2026-03-10 08:00", slot="2026-03-11 09:00"),
    )
    facts = ticket.facts()
    assert facts.state is TicketState.APPOINTMENT_PROPOSED and len(facts.appointments) == 2


def test_compensation_requests_and_outage_links_do_not_change_the_state() -> None:
    ticket = repair("2026-03-09 10:00").with_event(
        TicketEvent(K.OUTAGE_LINKED, at("2026-03-09 10:00"), outage_id="O-1")
    )
    ticket = ticket.with_event(TicketEvent(K.COMPENSATION_REQUESTED, at("2026-03-09 11:00")))
    facts = ticket.facts()
    assert facts.state is TicketState.REGISTERED and facts.outages == ("O-1",) and facts.compensation_requested


def test_an_installation_and_a_porting_resolve_their_own_way() -> None:
    install = Ticket(
        "I-1", TicketKind.INSTALLATION, "A", "S", (event(K.REGISTERED, "2026-03-09 09:00"),), date(2026, 3, 12)
    )
    assert install.with_event(event(K.IN_SERVICE, "2026-03-12 15:00")).facts().state is TicketState.RESOLVED
    with pytest.raises(TelbillError) as wrong:
        install.with_event(event(K.REPAIRED, "2026-03-12 15:00"))
    assert wrong.value.code == "ticket.transition"
    porting = Ticket(
        "P-1", TicketKind.PORTING, "A", "S", (event(K.REGISTERED, "2026-03-09 09:00"),), numbers=("+3225550101",)
    )
    assert porting.with_event(event(K.PORTED, "2026-03-12 09:00")).facts().state is TicketState.RESOLVED
    with pytest.raises(TelbillError) as paused:
        porting.with_event(event(K.PAUSED, "2026-03-10 09:00"))
    assert paused.value.code == "ticket.transition"  # only repairs are paused


def test_a_porting_ticket_names_its_numbers() -> None:
    with pytest.raises(TelbillError) as error:
        Ticket("P-1", TicketKind.PORTING, "A", "S", (event(K.REGISTERED, "2026-03-09 09:00"),))
    assert error.value.code == "ticket.numbers"


def test_repaired_before_registered_is_refused() -> None:
    with pytest.raises(TelbillError) as error:
        repair("2026-03-09 10:00", event(K.REPAIRED, "2026-03-09 09:59")).facts()
    assert (error.value.code, error.value.field) == ("ticket.before_registration", "events[2]")


def test_events_out_of_order_are_refused() -> None:
    with pytest.raises(TelbillError) as error:
        repair(
            "2026-03-09 10:00", event(K.ACKNOWLEDGED, "2026-03-09 12:00"), event(K.REPAIRED, "2026-03-09 11:00")
        ).facts()
    assert (error.value.code, error.value.field) == ("ticket.date_order", "events[3]")


def test_a_log_must_start_with_the_registration() -> None:
    with pytest.raises(TelbillError) as error:
        Ticket("T-1", TicketKind.REPAIR, "A", "S", (event(K.REPAIRED, "2026-03-09 10:00"),)).facts()
    assert error.value.code == "ticket.not_registered"


@pytest.mark.parametrize(
    ("events", "code"),
    [
        ((K.REPAIRED, K.REPAIRED), "ticket.transition"),  # repaired twice
        ((K.CLOSED,), "ticket.transition"),  # closed before it was repaired
        ((K.APPOINTMENT_ACCEPTED,), "ticket.transition"),  # nothing proposed
        ((K.PAUSED, K.PAUSED), "ticket.pause_overlap"),  # overlapping pauses
        ((K.RESUMED,), "ticket.not_paused"),
        ((K.PAUSED, K.REPAIRED), "ticket.paused"),  # repaired while the customer keeps it paused
        ((K.COMPENSATION_REQUESTED, K.COMPENSATION_REQUESTED), "ticket.requested"),
        ((K.REPAIRED, K.CLOSED, K.PAUSED), "ticket.transition"),
    ],
)
def test_impossible_logs_are_coded_errors(events: tuple[K, ...], code: str) -> None:
    start = at("2026-03-09 10:00")
    log = [TicketEvent(kind, start + timedelta(minutes=n)) for n, kind in enumerate(events, start=1)]
    with pytest.raises(TelbillError) as error:
        repair("2026-03-09 10:00", *log).facts()
    assert error.value.code == code


def test_an_appointment_needs_a_future_slot() -> None:
    with pytest.raises(TelbillError) as error:
        repair("2026-03-09 10:00", event(K.APPOINTMENT_PROPOSED, "2026-03-09 11:00", slot="2026-03-09 10:30")).facts()
    assert error.value.code == "ticket.slot"


def test_a_pause_reported_afterwards_is_merged_into_the_log() -> None:
    ticket = repair("2026-03-09 10:00", event(K.REPAIRED, "2026-03-10 12:00"))
    paused = ticket.with_pause(Interval(at("2026-03-10 08:00"), at("2026-03-10 10:00")))
    assert [e.kind for e in paused.events] == [K.REGISTERED, K.PAUSED, K.RESUMED, K.REPAIRED]
    assert paused.facts().pauses == (Interval(at("2026-03-10 08:00"), at("2026-03-10 10:00")),)


def test_overlapping_pauses_are_refused_however_they_come() -> None:
    ticket = repair("2026-03-09 10:00").with_pause(Interval(at("2026-03-09 11:00"), at("2026-03-09 13:00")))
    with pytest.raises(TelbillError) as merged:
        ticket.with_pause(Interval(at("2026-03-09 12:00"), at("2026-03-09 14:00")))
    assert merged.value.code == "ticket.pause_overlap"
    with pytest.raises(TelbillError) as listed:
        pauses_from(
            (
                Interval(at("2026-03-09 11:00"), at("2026-03-09 13:00")),
                Interval(at("2026-03-09 12:59"), at("2026-03-09 15:00")),
            )
        )
    assert listed.value.code == "ticket.pause_overlap"


def test_a_pause_that_outlasts_the_repair_is_refused() -> None:
    ticket = repair("2026-03-09 10:00", event(K.REPAIRED, "2026-03-10 12:00"))
    with pytest.raises(TelbillError) as error:
        ticket.with_pause(Interval(at("2026-03-10 11:00"), at("2026-03-10 13:00")))
    assert error.value.code == "ticket.paused"
