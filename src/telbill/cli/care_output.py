"""How the command line shows tickets, clocks, compensation, outages and interventions (rich text and JSON).

Instants are shown on the Brussels wall clock. Text built from catalog data goes through ``rich.text.Text``
(never console markup), as in ``output.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from telbill.app.care import Recorded
from telbill.app.compensation import TicketCompensation
from telbill.app.interventions import Reported
from telbill.core.care.compensation import Award
from telbill.core.care.instants import BRUSSELS, hours, show, zone_of
from telbill.core.care.outages import Outage
from telbill.core.care.sla import ClockReading
from telbill.core.care.tickets import Ticket, TicketEvent

ZONE = zone_of(BRUSSELS)


def _event_words(event: TicketEvent) -> str:
    details = [event.note] if event.note else []
    if event.slot is not None:
        details.append(f"slot {show(event.slot, ZONE)}")
    if event.outage_id:
        details.append(f"outage {event.outage_id}")
    return "; ".join(details)


def print_recorded(console: Console, recorded: Recorded) -> None:
    ticket = recorded.ticket
    facts = ticket.facts()
    console.print(Text(f"ticket {ticket.id} ({ticket.kind.value}): {facts.state.value}, {len(ticket.events)} events"))
    for credit in recorded.credits:
        console.print(Text(f"  credit {credit.id}: {credit.amount} EUR, due from {credit.day} (next bill run)"))


def print_tickets(console: Console, tickets: Sequence[Ticket]) -> None:
    table = Table("ticket", "kind", "subscription", "registered", "state")
    for ticket in tickets:
        table.add_row(ticket.id, ticket.kind.value, ticket.subscription_id or "", show(ticket.events[0].at, ZONE),
                      ticket.facts().state.value)  # fmt: skip
    console.print(table)


def _clocks(readings: Sequence[ClockReading]) -> Table:
    table = Table("SLA class", "calendar", "deadline", "allowed", "counted", "paused", "left", "breached")
    for r in readings:
        table.add_row(r.sla_class, r.calendar, show(r.deadline, ZONE), hours(r.allowance), hours(r.elapsed),
                      hours(r.paused), hours(r.left), "yes" if r.breached else "no")  # fmt: skip
    return table


def print_ticket(console: Console, found: TicketCompensation) -> None:
    ticket = found.ticket
    heading = f"ticket {ticket.id} ({ticket.kind.value}) — account {ticket.account_id}, "
    heading += f"subscription {ticket.subscription_id}, {ticket.facts().state.value}"
    console.print(Text(heading, style="bold"))
    history = Table("#", "when", "event", "details")
    for number, event in enumerate(ticket.events, start=1):
        history.add_row(str(number), show(event.at, ZONE), event.kind.value, Text(_event_words(event)))
    console.print(history)
    if found.assessment.situation.readings:
        console.print(Text(f"SLA clocks read at {show(found.assessment.at, ZONE)}"))
        console.print(_clocks(found.assessment.situation.readings))


def print_compensation(console: Console, found: TicketCompensation, explain: bool) -> None:
    assessment = found.assessment
    console.print(Text(f"compensation for ticket {found.ticket.id} ({found.catalog_id}) at {show(assessment.at, ZONE)}",
                       style="bold"))  # fmt: skip
    if explain and assessment.situation.readings:
        console.print(_clocks(assessment.situation.readings))
    table = Table("clause", "status", "amount", "payable")
    for award in assessment.awards:
        table.add_row(award.clause, award.status.value, str(award.amount), str(award.payable))
    console.print(table)
    if explain:
        for award in assessment.awards:
            console.print(Text(f"{award.clause} — {award.label}", style="bold"))
            for name, value in award.inputs:
                console.print(Text(f"  {name}: {value}", style="dim"), soft_wrap=True)
            console.print(Text(f"  {award.explanation}"), soft_wrap=True)
    for credit, document in found.credits:
        where = f"credited on {document}" if document else "waiting for the next bill run"
        console.print(Text(f"credit {credit.id}: {credit.amount} EUR, {where}"))
    console.print(Text(f"due: {assessment.due} EUR (outside the scope of VAT)", style="bold"))


def compensation_json(found: TicketCompensation) -> dict[str, Any]:
    assessment = found.assessment
    return {
        "ticket": found.ticket.id,
        "kind": found.ticket.kind.value,
        "state": found.ticket.facts().state.value,
        "catalog": found.catalog_id,
        "at": assessment.at.isoformat(),
        "events": [
            {"at": e.at.isoformat(), "event": e.kind.value, "details": _event_words(e)} for e in found.ticket.events
        ],
        "clocks": [_reading_json(r) for r in assessment.situation.readings],
        "awards": [_award_json(a) for a in assessment.awards],
        "credits": [
            {"id": c.id, "amount": str(c.amount), "day": c.day.isoformat(), "document": d} for c, d in found.credits
        ],
        "due": str(assessment.due),
    }


def _award_json(a: Award) -> dict[str, Any]:
    return {
        "clause": a.clause,
        "label": a.label,
        "rule": a.rule,
        "status": a.status.value,
        "amount": str(a.amount),
        "payable": str(a.payable),
        "inputs": dict(a.inputs),
        "explanation": a.explanation,
    }


def _reading_json(r: ClockReading) -> dict[str, Any]:
    return {
        "sla_class": r.sla_class,
        "calendar": r.calendar,
        "deadline": r.deadline.isoformat(),
        "allowance": hours(r.allowance),
        "elapsed": hours(r.elapsed),
        "paused": hours(r.paused),
        "left": hours(r.left),
        "breached": r.breached,
    }


def print_outages(console: Console, outages: Sequence[Outage]) -> None:
    if not outages:
        console.print("no outage concerns this customer")
        return
    table = Table("outage", "area", "services", "from", "until", "description")
    for o in outages:
        until = show(o.end, ZONE) if o.end else "ongoing"
        table.add_row(o.id, ", ".join(o.area), ", ".join(o.services) or "all", show(o.start, ZONE), until,
                      Text(o.description))  # fmt: skip
    console.print(table)


def print_reported(console: Console, reported: Reported) -> None:
    if not reported.recorded:
        console.print("this report was recorded before: nothing added")
        return
    table = Table("item", "label", "net")
    for charge, line in zip(reported.charges.orders, reported.lines, strict=True):
        table.add_row(line.code, Text(charge.reason), str(line.net))
    console.print(table)
    for note in reported.charges.notes:
        console.print(Text(f"  {note}", style="dim"))
