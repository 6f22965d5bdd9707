"""The service-assurance repositories on SQLite and PostgreSQL: the semantics of the fakes, round trips of
every value, and the whole path from a ticket to the credit note of a bill run in one database."""

from __future__ import annotations

from datetime import date

import pytest

from telbill.app.billing import BillingDeps, BillRunRequest, run_bill_run
from telbill.app.care import CareDeps
from telbill.app.compensation import CompensationSource, compensation_of
from telbill.app.store import RecordedIntervention
from telbill.core.care.credits import CompensationCredit
from telbill.core.care.interventions import Equipment, Fault, InterventionReport, Part
from telbill.core.care.outages import Outage
from telbill.core.care.tickets import Ticket, TicketEvent, TicketKind
from telbill.core.catalog.pricing import Provenance
from telbill.core.errors import TelbillError
from telbill.core.money import Money
from tests.adapters.conftest import Backend
from tests.adapters.sql_seeds import SELLER, seed_catalog
from tests.app.builders import residential, subscription
from tests.app.care_world import CareWorld
from tests.app.test_care import office_ticket_repaired
from tests.core.care.builders import K, at, event


def _customer(backend: Backend) -> None:
    with backend.uow() as uow:
        uow.accounts.add(residential("ACC-1"))
        uow.subscriptions.add(
            subscription(
                "SUB-1",
                "ACC-1",
                "LINE-CLASSIC",
                ("activate", "2026-03-01", None),
                options=("COMPLEMENT-BELGACOM-OFFICE",),
            )
        )
        uow.commit()


TICKET = Ticket(
    "T-1",
    TicketKind.REPAIR,
    "ACC-1",
    "SUB-1",
    (
        event(K.REGISTERED, "2026-03-29 01:30"),  # the night the clocks go forward: 00:30 UTC
        TicketEvent(K.OUTAGE_LINKED, at("2026-03-29 01:30"), outage_id="O-1"),
        event(K.APPOINTMENT_PROPOSED, "2026-03-29 09:00", slot="2026-03-30 10:00", note="morning"),
        event(K.PAUSED, "2026-03-30 10:00", note="nobody home"),
        event(K.RESUMED, "2026-03-30 12:00"),
    ),
    note="no dial tone",
)


def test_tickets_round_trip_and_their_logs_are_rewritten(backend: Backend) -> None:
    _customer(backend)
    with backend.uow() as uow:
        uow.tickets.add(TICKET)
        uow.commit()
    with backend.uow() as uow:
        assert uow.tickets.get("T-1") == TICKET
        repaired = TICKET.with_event(event(K.REPAIRED, "2026-03-30 15:00"))
        uow.tickets.save(repaired)
        uow.commit()
    with backend.uow() as uow:
        assert uow.tickets.get("T-1") == repaired
        assert [t.id for t in uow.tickets.for_account("ACC-1")] == ["T-1"]
        assert [t.id for t in uow.tickets.for_subscription("SUB-1", TicketKind.REPAIR)] == ["T-1"]
        assert uow.tickets.for_subscription("SUB-1", TicketKind.INSTALLATION) == []
        assert [t.id for t in uow.tickets.registered_between(at("2026-03-29 01:30"), at("2026-03-29 03:30"))] == ["T-1"]
        assert uow.tickets.registered_between(at("2026-03-29 03:00"), None) == []


def test_ticket_errors_are_the_fakes_codes(backend: Backend) -> None:
    _customer(backend)
    with backend.uow() as uow:
        uow.tickets.add(TICKET)
        with pytest.raises(TelbillError) as twice:
            uow.tickets.add(TICKET)
        assert twice.value.code == "ticket.exists"
        for call in (
            lambda: uow.tickets.get("T-9"),
            lambda: uow.tickets.save(Ticket("T-9", TicketKind.REPAIR, "ACC-1", "SUB-1", TICKET.events[:1])),
        ):
            with pytest.raises(TelbillError) as missing:
                call()
            assert missing.value.code == "ticket.not_found"


def test_installation_and_porting_tickets_keep_their_date_and_numbers(backend: Backend) -> None:
    _customer(backend)
    porting = Ticket(
        "P-1",
        TicketKind.PORTING,
        "ACC-1",
        "SUB-1",
        TICKET.events[:1],
        date(2026, 3, 31),
        ("+3225550101", "+3225550102"),
    )
    with backend.uow() as uow:
        uow.tickets.add(porting)
        uow.commit()
    with backend.uow() as uow:
        assert uow.tickets.get("P-1") == porting


def test_outages(backend: Backend) -> None:
    cut = Outage("O-1", ("2000", "2018"), at("2026-10-25 01:30"), None, ("classic",), "cable cut")
    with backend.uow() as uow:
        uow.outages.add(cut)
        with pytest.raises(TelbillError) as twice:
            uow.outages.add(cut)
        assert twice.value.code == "outage.exists"
        uow.commit()
    with backend.uow() as uow:
        assert uow.outages.get("O-1") == cut
        assert uow.outages.overlapping(at("2026-10-26 09:00"), at("2026-10-26 10:00")) == [cut]  # still open
        uow.outages.save(cut.ended(at("2026-10-25 18:00")))
        uow.commit()
    with backend.uow() as uow:
        assert uow.outages.overlapping(at("2026-10-26 09:00"), at("2026-10-26 10:00")) == []
        assert [o.id for o in uow.outages.overlapping(at("2026-10-25 17:00"), at("2026-10-25 17:01"))] == ["O-1"]
        with pytest.raises(TelbillError) as missing:
            uow.outages.get("O-9")
        assert missing.value.code == "outage.not_found"


def test_intervention_reports_are_recorded_once(backend: Backend) -> None:
    _customer(backend)
    parts = (Part("handset", warranty=True), Part("base", quote=Money.of("80.00")))
    report = InterventionReport("INT-1", date(2026, 3, 10), Equipment.TERMINAL_SOLD, Fault.CUSTOMER, False, True, 50,
                                parts, True, False, False, None)  # fmt: skip
    with backend.uow() as uow:
        assert uow.interventions.add("ACC-1", "SUB-1", None, report)
        assert not uow.interventions.add("ACC-1", "SUB-1", None, report)
        assert uow.interventions.get("INT-1") == RecordedIntervention(report, "SUB-1", None)
        uow.commit()


def test_credits_are_listed_unbilled_until_marked(backend: Backend) -> None:
    _customer(backend)
    provenance = Provenance(
        "belgacom-fees-indemnities", "2013", "REPAIR-OFFICE", "delay_tiers", (("ticket", "T-1"),), "…"
    )
    credit = CompensationCredit("T-1:REPAIR-OFFICE", "ACC-1", "SUB-1", "T-1", "REPAIR-OFFICE", "Office — ticket T-1",
                                Money.of("91.96"), date(2026, 3, 16), provenance)  # fmt: skip
    with backend.uow() as uow:
        uow.tickets.add(TICKET)
        assert uow.compensation_credits.add(credit)
        assert not uow.compensation_credits.add(credit)
        uow.commit()
    with backend.uow() as uow:
        assert uow.compensation_credits.unbilled(["ACC-1"], date(2026, 3, 15)) == {}
        assert uow.compensation_credits.unbilled(["ACC-1", "ACC-2"], date(2026, 3, 16)) == {"ACC-1": [credit]}
        assert uow.compensation_credits.for_ticket("T-1") == [(credit, None)]


def test_from_a_ticket_to_the_credit_note_in_one_database(backend: Backend) -> None:
    # the scenario of tests/app/test_care.py (REPAIR-OFFICE, 91.96) on the SQL store
    world = CareWorld()
    world.uow = backend.uow  # type: ignore[assignment,method-assign]
    world.catalog = seed_catalog  # type: ignore[method-assign]
    office_ticket_repaired(world)
    billing = BillingDeps(backend.uow, seed_catalog, SELLER, sources=(CompensationSource(),))
    run_bill_run(billing, BillRunRequest("2026-03", date(2026, 3, 1)))
    world.event("T-1", K.COMPENSATION_REQUESTED, "2026-03-16 09:00")
    report = run_bill_run(billing, BillRunRequest("2026-04", date(2026, 4, 1)))
    assert report.documents == ["F2026-000002", "C2026-000001"]
    with backend.uow() as uow:
        note = uow.documents.get("C2026-000001")
    assert [(line.item_code, str(line.net)) for line in note.document.lines] == [("REPAIR-OFFICE", "91.96")]
    explained = compensation_of(CareDeps(backend.uow, seed_catalog), "T-1", at("2026-04-02 09:00"))
    assert [(credit.id, billed) for credit, billed in explained.credits] == [("T-1:REPAIR-OFFICE", "C2026-000001")]
    again = run_bill_run(billing, BillRunRequest("2026-05", date(2026, 5, 1)))
    assert again.documents == ["F2026-000003"]
