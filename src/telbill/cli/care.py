"""Service-assurance commands: tickets, compensation, outages, interventions (docs/compensation.md §8).

Times are read on the Brussels wall clock (``2026-03-13 22:00``) unless they carry an offset
(``2026-10-25T02:30+02:00``, needed for the hour the clocks repeat); ``--at`` defaults to now. Errors print
``error CODE: message`` and exit 2, as every command.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Annotated

import typer
from rich.console import Console

from telbill.app import bootstrap
from telbill.app.care import CareDeps, NewTicket, open_ticket, record_event, record_pause, tickets_of
from telbill.app.compensation import compensation_of
from telbill.app.interventions import InterventionRequest, report_intervention
from telbill.app.outages import declare_outage, end_outage, outages_for_account
from telbill.cli import care_output
from telbill.cli.errors import reporting_errors
from telbill.core.care.instants import BRUSSELS, Interval, local_instant, zone_of
from telbill.core.care.interventions import Equipment, Fault, InterventionReport, Part
from telbill.core.care.outages import Outage
from telbill.core.care.tickets import TicketEvent, TicketEventKind, TicketKind
from telbill.core.errors import TelbillError
from telbill.core.money import Money

ticket_app = typer.Typer(help="Trouble tickets, installation and porting orders.", no_args_is_help=True)
outage_app = typer.Typer(help="Outage notices.", no_args_is_help=True)
intervention_app = typer.Typer(help="Technicians' intervention reports.", no_args_is_help=True)

At = Annotated[str | None, typer.Option("--at", help="When (Brussels time, e.g. '2026-03-13 22:00'); default now.")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def instant(text: str | None, field: str = "at") -> datetime:
    """A wall-clock time in Brussels, or an ISO time with its offset; None is now."""
    if text is None:
        return datetime.now(UTC)
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise TelbillError("cli.time", f"{text!r} is not a time such as '2026-03-13 22:00'", field=field) from None
    if parsed.tzinfo is not None:
        return parsed.astimezone(UTC)
    return local_instant(parsed.date(), parsed.time(), zone_of(BRUSSELS))


def _deps() -> CareDeps:
    return bootstrap.care_deps(bootstrap.Settings.from_environment())


@ticket_app.command("open")
def ticket_open(
    ticket_id: Annotated[str, typer.Argument(metavar="TICKET")],
    subscription: Annotated[str, typer.Option("--subscription", help="The subscription concerned.")],
    at: At = None,
    kind: Annotated[TicketKind, typer.Option(help="repair, installation or porting.")] = TicketKind.REPAIR,
    due: Annotated[str | None, typer.Option(help="The agreed date (installation, porting): YYYY-MM-DD.")] = None,
    number: Annotated[list[str] | None, typer.Option("--number", help="A number to port (repeat).")] = None,
    note: Annotated[str, typer.Option(help="The customer's words.")] = "",
) -> None:
    """Register a ticket: a fault reported, an installation ordered, a porting requested."""
    with reporting_errors():
        agreed = _day(due, "due") if due else None
        new = NewTicket(ticket_id, kind, subscription, instant(at), agreed, tuple(number or ()), note)
        recorded = open_ticket(_deps(), new)
    care_output.print_recorded(Console(), recorded)


@ticket_app.command("event")
def ticket_event(
    ticket_id: Annotated[str, typer.Argument(metavar="TICKET")],
    kind: Annotated[TicketEventKind, typer.Argument(metavar="EVENT", help="acknowledged, repaired, closed…")],
    at: At = None,
    slot: Annotated[str | None, typer.Option(help="The appointment offered (appointment_proposed).")] = None,
    note: Annotated[str, typer.Option(help="Why: a pause's cause, the technician's words.")] = "",
    outage: Annotated[str | None, typer.Option(help="The outage (outage_linked).")] = None,
) -> None:
    """Record what happened to a ticket; credits that become due are recorded for the next bill run."""
    with reporting_errors():
        event = TicketEvent(kind, instant(at), instant(slot, "slot") if slot else None, note, outage)
        recorded = record_event(_deps(), ticket_id, event)
    care_output.print_recorded(Console(), recorded)


@ticket_app.command("pause")
def ticket_pause(
    ticket_id: Annotated[str, typer.Argument(metavar="TICKET")],
    start: Annotated[str, typer.Option("--from", help="When the customer became the cause.")],
    end: Annotated[str, typer.Option("--until", help="When it ended.")],
    at: At = None,
) -> None:
    """Report a pause afterwards (the customer was away): it stops the SLA clock for that time."""
    with reporting_errors():
        pause = Interval(instant(start, "from"), instant(end, "until"))
        recorded = record_pause(_deps(), ticket_id, pause, instant(at))
    care_output.print_recorded(Console(), recorded)


@ticket_app.command("show")
def ticket_show(
    ticket_id: Annotated[str, typer.Argument(metavar="TICKET")], at: At = None, as_json: Json = False
) -> None:
    """A ticket's history and its SLA clocks read at --at."""
    with reporting_errors():
        found = compensation_of(_deps(), ticket_id, instant(at))
    if as_json:
        typer.echo(json.dumps(care_output.compensation_json(found), indent=2, ensure_ascii=False))
    else:
        care_output.print_ticket(Console(), found)


@ticket_app.command("list")
def ticket_list(account: Annotated[str, typer.Option("--account", help="The account.")]) -> None:
    """The tickets of an account."""
    with reporting_errors():
        tickets = tickets_of(_deps(), account)
    care_output.print_tickets(Console(), tickets)


def compensation_command(
    ticket_id: Annotated[str, typer.Argument(metavar="TICKET")],
    explain: Annotated[bool, typer.Option("--explain", help="Print the clocks and the computation.")] = False,
    at: At = None,
    as_json: Json = False,
) -> None:
    """What the operator owes for a ticket, clause by clause of the catalog."""
    with reporting_errors():
        found = compensation_of(_deps(), ticket_id, instant(at))
    if as_json:
        typer.echo(json.dumps(care_output.compensation_json(found), indent=2, ensure_ascii=False))
    else:
        care_output.print_compensation(Console(), found, explain)


@outage_app.command("declare")
def outage_declare(
    outage_id: Annotated[str, typer.Argument(metavar="OUTAGE")],
    area: Annotated[list[str], typer.Option("--area", help="A postcode of the area (repeat).")],
    start: Annotated[str, typer.Option("--start", help="When it started.")],
    end: Annotated[str | None, typer.Option("--end", help="When it ended, if it has.")] = None,
    service: Annotated[list[str] | None, typer.Option("--service", help="A line type or plan (repeat).")] = None,
    description: Annotated[str, typer.Option(help="What customers read.")] = "",
    at: At = None,
) -> None:
    """Declare an outage; the tickets registered during it on lines it concerns are linked to it."""
    with reporting_errors():
        outage = Outage(outage_id, tuple(area), instant(start, "start"), instant(end, "end") if end else None,
                        tuple(service or ()), description)  # fmt: skip
        declared = declare_outage(_deps(), outage, instant(at))
    typer.echo(f"outage {outage_id} declared; linked tickets: {', '.join(declared.linked) or 'none'}")


@outage_app.command("end")
def outage_end(outage_id: Annotated[str, typer.Argument(metavar="OUTAGE")], at: At = None) -> None:
    """End an outage at --at."""
    with reporting_errors():
        ended = end_outage(_deps(), outage_id, instant(at))
    typer.echo(f"outage {ended.id} ended")


@outage_app.command("list")
def outage_list(
    account: Annotated[str, typer.Option("--account", help="The customer's account.")], at: At = None
) -> None:
    """The outages a customer sees at --at."""
    with reporting_errors():
        found = outages_for_account(_deps(), account, instant(at))
    care_output.print_outages(Console(), found)


@intervention_app.command("report")
def intervention_report(
    report_id: Annotated[str, typer.Argument(metavar="REPORT")],
    subscription: Annotated[str, typer.Option("--subscription")],
    day: Annotated[str, typer.Option("--day", help="YYYY-MM-DD.")],
    equipment: Annotated[Equipment, typer.Option()],
    fault: Annotated[Fault, typer.Option()],
    maintenance_contract: Annotated[bool, typer.Option("--maintenance-contract")] = False,
    travel: Annotated[bool, typer.Option("--travel/--no-travel")] = True,
    minutes: Annotated[int, typer.Option(help="Minutes of work.")] = 0,
    part: Annotated[
        list[str] | None, typer.Option(help="'description', 'description:warranty' or 'description:80.00'.")
    ] = None,
    out_of_hours: Annotated[bool, typer.Option("--out-of-hours")] = False,
    light: Annotated[bool, typer.Option("--light", help="The light-intervention package.")] = False,
    terminal_replaced: Annotated[bool, typer.Option("--terminal-replaced")] = False,
    quote: Annotated[str | None, typer.Option(help="The repair's amount, where priced on quote.")] = None,
    ticket: Annotated[str | None, typer.Option(help="The ticket it answers.")] = None,
) -> None:
    """Record an intervention report: its charges go on the next invoice."""
    with reporting_errors():
        parts = tuple(_part(text) for text in part or ())
        report = InterventionReport(report_id, _day(day, "day"), equipment, fault, maintenance_contract, travel,
                                    minutes, parts, out_of_hours, light, terminal_replaced, _money(quote))  # fmt: skip
        reported = report_intervention(_deps(), InterventionRequest(report, subscription, ticket))
    care_output.print_reported(Console(), reported)


def _part(text: str) -> Part:
    description, _, detail = text.partition(":")
    if detail == "warranty":
        return Part(description, warranty=True)
    return Part(description, quote=_money(detail) if detail else None)


def _money(text: str | None) -> Money | None:
    return None if not text else Money.of(text.strip(), "quote")


def _day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise TelbillError("cli.date", f"{text!r} is not a date such as 2026-03-12", field=field) from None


def register(app: typer.Typer) -> None:
    app.add_typer(ticket_app, name="ticket")
    app.add_typer(outage_app, name="outage")
    app.add_typer(intervention_app, name="intervention")
    app.command("compensation")(compensation_command)
