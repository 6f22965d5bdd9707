"""Service-assurance use cases over the in-memory store: tickets, settlement of what became due, the credit
note of the next bill run, outages, interventions. Amounts worked by hand from seed 004 and the demo line
fees of the Belgacom catalog (Classic 21.78 TVAC = 18.00 net; Belgacom Office 24.20 TVAC = 20.00 net)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from telbill.app.care import care_store, tickets_of
from telbill.app.compensation import compensation_of
from telbill.app.interventions import InterventionRequest, report_intervention
from telbill.app.outages import declare_outage, end_outage, outages_for_account
from telbill.core.billing.invoice import DocumentType
from telbill.core.care.compensation import AwardStatus
from telbill.core.care.interventions import Equipment, Fault, InterventionReport
from telbill.core.care.outages import Outage
from telbill.core.care.tickets import TicketEventKind as K
from telbill.core.care.tickets import TicketKind
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.tax.treatment import VatCategory
from tests.app.builders import Operator
from tests.app.care_world import CareWorld
from tests.core.care.builders import at


def office_ticket_repaired(world: CareWorld) -> None:
    # registered Friday 13 March 22:00, the customer away Saturday 08:00–10:00, repaired Saturday 13:00:
    # net 13 hours, above 12 → 200 % × (21.78 + 24.20) = 91.96 (docs/compensation.md, REPAIR-OFFICE)
    world.belgacom_line("LINE-CLASSIC", "COMPLEMENT-BELGACOM-OFFICE")
    world.ticket("T-1", "2026-03-13 22:00")
    world.event("T-1", K.PAUSED, "2026-03-14 08:00", note="nobody home")
    world.event("T-1", K.RESUMED, "2026-03-14 10:00")
    assert world.event("T-1", K.REPAIRED, "2026-03-14 13:00").credits == ()  # paid on request


def test_a_requested_compensation_becomes_a_credit_note_on_the_next_bill_run() -> None:
    world = CareWorld()
    office_ticket_repaired(world)
    world.bill("2026-03", "2026-03-01")  # F2026-000001: March, 18.00 + 20.00 net
    recorded = world.event("T-1", K.COMPENSATION_REQUESTED, "2026-03-16 09:00")
    [credit] = recorded.credits
    assert (credit.id, str(credit.amount), credit.day) == ("T-1:REPAIR-OFFICE", "91.96", date(2026, 3, 16))
    report = world.bill("2026-04", "2026-04-01")
    assert report.documents == ["F2026-000002", "C2026-000001"]
    note = world.state.documents["C2026-000001"]
    document = note.document
    assert (document.type, note.out_of_scope, str(document.totals.gross)) == (DocumentType.CREDIT_NOTE, True, "91.96")
    [line] = document.lines
    assert (line.item_code, str(line.net), line.treatment.category) == (
        "REPAIR-OFFICE",
        "91.96",
        VatCategory.OUTSIDE_SCOPE,
    )
    assert line.label == "Avec abonnement complémentaire Belgacom Office — ticket T-1"
    assert "net repair time 13 h" in line.provenance.explanation
    assert dict(line.provenance.inputs)["ticket"] == "T-1"
    assert document.preceding is not None and document.preceding.number == "F2026-000001"
    # F2026-000002: April in advance, 38.00 net, VAT 7.98, 45.98
    assert str(world.state.documents["F2026-000002"].document.totals.gross) == "45.98"
    assert world.state.care.credits["T-1:REPAIR-OFFICE"][1] == "C2026-000001"
    assert world.bill("2026-05", "2026-05-01").documents == ["F2026-000003"]  # credited once


def test_a_credit_waits_for_a_first_invoice_to_refer_to() -> None:
    world = CareWorld()
    office_ticket_repaired(world)
    world.event("T-1", K.COMPENSATION_REQUESTED, "2026-03-16 09:00")
    # the March run, issued on 31 March, finds the credit due but no invoice to refer a credit note to: the
    # invoice is issued, the credit waits for the next run
    assert world.bill("2026-03", "2026-03-31").documents == ["F2026-000001"]
    assert world.state.care.credits["T-1:REPAIR-OFFICE"][1] is None
    assert world.bill("2026-04", "2026-04-01").documents == ["F2026-000002", "C2026-000001"]


def test_explaining_a_ticket_shows_every_clause_and_the_recorded_credits() -> None:
    world = CareWorld()
    office_ticket_repaired(world)
    before = compensation_of(world.care(), "T-1", at("2026-03-15 09:00"))
    statuses = {a.clause: a.status for a in before.assessment.awards}
    assert statuses["REPAIR-OFFICE"] is AwardStatus.AWAITING_REQUEST
    assert statuses["REPAIR-BASE-LATE"] is AwardStatus.NOT_OWED  # BASE-LINE: Monday 16:30, met
    assert before.credits == ()
    world.event("T-1", K.COMPENSATION_REQUESTED, "2026-03-16 09:00")
    after = compensation_of(world.care(), "T-1", at("2026-03-16 10:00"))
    assert [(c.id, billed) for c, billed in after.credits] == [("T-1:REPAIR-OFFICE", None)]
    assert str(after.assessment.due) == "91.96"


def test_an_installation_late_on_its_agreed_date_is_credited_without_request() -> None:
    # Classic requested Monday 9 March, agreed Thursday 12, in service Friday 13: 200 % × 21.78 = 43.56
    world = CareWorld()
    world.belgacom_line(activated="2026-03-13")
    world.ticket("I-1", "2026-03-09 09:00", TicketKind.INSTALLATION, due=date(2026, 3, 12))
    [credit] = world.event("I-1", K.IN_SERVICE, "2026-03-13 15:00").credits
    assert (credit.clause, str(credit.amount)) == ("INSTALL-DATE-MISSED", "43.56")


def test_settling_again_adds_nothing() -> None:
    world = CareWorld()
    world.belgacom_line(activated="2026-03-13")
    world.ticket("I-1", "2026-03-09 09:00", TicketKind.INSTALLATION, due=date(2026, 3, 12))
    world.event("I-1", K.IN_SERVICE, "2026-03-13 15:00")
    assert world.event("I-1", K.CLOSED, "2026-03-14 09:00").credits == ()
    assert list(world.state.care.credits) == ["I-1:INSTALL-DATE-MISSED"]


def test_bad_events_are_refused_and_nothing_is_stored() -> None:
    world = CareWorld()
    world.belgacom_line()
    world.ticket("T-1", "2026-03-09 10:00")
    with pytest.raises(TelbillError) as error:
        world.event("T-1", K.REPAIRED, "2026-03-09 09:00")
    assert error.value.code == "ticket.before_registration"
    with pytest.raises(TelbillError) as twice:
        world.ticket("T-1", "2026-03-09 11:00")
    assert twice.value.code == "ticket.exists"
    assert [t.id for t in tickets_of(world.care(), "ACC-1")] == ["T-1"]
    assert len(world.state.care.tickets["T-1"].events) == 1


def test_outages_link_the_tickets_opened_during_them() -> None:
    world = CareWorld()
    world.belgacom_line()  # Antwerpen 2000, a Classic line
    world.ticket("T-0", "2026-03-09 07:00")  # before the outage
    world.ticket("T-1", "2026-03-09 09:30")
    cut = Outage("O-1", ("2000",), at("2026-03-09 08:00"), None, ("classic",), "cable cut")
    declared = declare_outage(world.care(), cut, at("2026-03-09 10:00"))
    assert declared.linked == ("T-1",)
    world.ticket("T-2", "2026-03-09 11:00")  # linked when opened
    assert world.state.care.tickets["T-2"].facts().outages == ("O-1",)
    assert [o.id for o in outages_for_account(world.care(), "ACC-1", at("2026-03-09 12:00"))] == ["O-1"]
    end_outage(world.care(), "O-1", at("2026-03-09 14:00"))
    assert outages_for_account(world.care(), "ACC-1", at("2026-03-09 15:00")) == ()
    world.ticket("T-3", "2026-03-09 15:00")
    assert world.state.care.tickets["T-3"].facts().outages == ()


def test_an_intervention_report_becomes_charges_of_the_next_invoice() -> None:
    # sold terminal without maintenance contract: travel 41.32 + 50 min = 4 quarters × 16.53 = 66.12
    world = CareWorld()
    world.belgacom_line()
    report = InterventionReport("INT-1", date(2026, 3, 10), Equipment.TERMINAL_SOLD, Fault.CUSTOMER, minutes=50)
    reported = report_intervention(world.care(), InterventionRequest(report, "SUB-1"))
    assert [(line.code, str(line.net)) for line in reported.lines] == [
        ("REPAIR-NOMAINT-TRAVEL", "41.32"),
        ("REPAIR-NOMAINT-LABOUR", "66.12"),
    ]
    assert not report_intervention(world.care(), InterventionRequest(report, "SUB-1")).recorded
    world.bill("2026-03", "2026-03-31")
    lines = world.state.documents["F2026-000001"].document.lines
    assert [(line.item_code, str(line.net)) for line in lines] == [
        ("LINE-CLASSIC", "18.00"),
        ("REPAIR-NOMAINT-TRAVEL", "41.32"),
        ("REPAIR-NOMAINT-LABOUR", "66.12"),
    ]
    assert lines[1].label == "Déplacement — intervention INT-1: travel"


def test_a_known_report_id_answers_the_stored_report_or_refuses_other_facts() -> None:
    world = CareWorld()
    world.belgacom_line()
    report = InterventionReport("INT-1", date(2026, 3, 10), Equipment.TERMINAL_SOLD, Fault.CUSTOMER, minutes=50)
    first = report_intervention(world.care(), InterventionRequest(report, "SUB-1"))
    # a retry whose day was only today's by default (sent the day after) is the same report: the stored one
    retried = replace(report, day=date(2026, 3, 11))
    again = report_intervention(world.care(), InterventionRequest(retried, "SUB-1", day_given=False))
    assert (again.report, again.lines, again.recorded) == (report, first.lines, False)
    with pytest.raises(TelbillError) as refused:
        report_intervention(world.care(), InterventionRequest(replace(report, minutes=90), "SUB-1"))
    assert (refused.value.code, refused.value.kind, refused.value.field) == (
        "intervention.conflict",
        ErrorKind.CONFLICT,
        "id",
    )
    with pytest.raises(TelbillError):  # a day given is a fact of the report
        report_intervention(world.care(), InterventionRequest(retried, "SUB-1"))
    world.ticket("T-1", "2026-03-09 09:00")
    with pytest.raises(TelbillError) as other_ticket:  # so is the ticket it was recorded for (none here)
        report_intervention(world.care(), InterventionRequest(report, "SUB-1", "T-1"))
    assert other_ticket.value.code == "intervention.conflict"
    assert sorted(world.state.charges) == ["INT-1:1", "INT-1:2"]


def test_a_store_without_service_assurance_is_a_wiring_error() -> None:
    class Bare:
        pass

    with pytest.raises(TelbillError) as error:
        care_store(Bare())  # type: ignore[arg-type]
    assert error.value.code == "care.no_store"
    assert Operator().deps().sources == ()  # the billing world alone knows no compensation source
