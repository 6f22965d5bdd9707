"""Service-assurance values ↔ table rows: pure functions, one pair per value (as ``rows.py``).

Contract: ``x_from_row(x_row(value)) == value``. Instants are stored as naive UTC and come back aware (UTC);
money as ``Decimal``; JSON holds text only (amounts as strings).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from telbill.adapters.db.rows import provenance_from_json, provenance_json
from telbill.core.care.credits import CompensationCredit
from telbill.core.care.interventions import Equipment, Fault, InterventionReport, Part
from telbill.core.care.outages import Outage
from telbill.core.care.tickets import Ticket, TicketEvent, TicketEventKind, TicketKind
from telbill.core.money import Money

Row = Mapping[Any, Any]


def utc(at: datetime | None) -> datetime | None:
    """An aware instant as the naive UTC the columns hold."""
    return None if at is None else at.astimezone(UTC).replace(tzinfo=None)


def aware(stored: datetime | None) -> datetime | None:
    return None if stored is None else stored.replace(tzinfo=UTC)


def _aware(stored: datetime) -> datetime:
    return stored.replace(tzinfo=UTC)


def ticket_row(ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.id,
        "kind": ticket.kind.value,
        "account_id": ticket.account_id,
        "subscription_id": ticket.subscription_id,
        "registered": utc(ticket.events[0].at),
        "due": ticket.due,
        "numbers": list(ticket.numbers),
        "note": ticket.note,
    }


def ticket_event_rows(ticket: Ticket) -> list[dict[str, Any]]:
    return [
        {"ticket_id": ticket.id, "seq": seq, "kind": e.kind.value, "at": utc(e.at), "slot": utc(e.slot),
         "note": e.note, "outage_id": e.outage_id}
        for seq, e in enumerate(ticket.events, start=1)
    ]  # fmt: skip


def ticket_from_rows(row: Row, events: Sequence[Row]) -> Ticket:
    log = tuple(
        TicketEvent(TicketEventKind(e["kind"]), _aware(e["at"]), aware(e["slot"]), e["note"], e["outage_id"])
        for e in events
    )
    return Ticket(row["id"], TicketKind(row["kind"]), row["account_id"], row["subscription_id"], log, row["due"],
                  tuple(row["numbers"]), row["note"])  # fmt: skip


def outage_row(outage: Outage) -> dict[str, Any]:
    return {
        "id": outage.id,
        "area": list(outage.area),
        "services": list(outage.services),
        "starts_at": utc(outage.start),
        "ends_at": utc(outage.end),
        "description": outage.description,
    }


def outage_from_row(row: Row) -> Outage:
    return Outage(row["id"], tuple(row["area"]), _aware(row["starts_at"]), aware(row["ends_at"]),
                  tuple(row["services"]), row["description"])  # fmt: skip


def report_json(report: InterventionReport) -> dict[str, Any]:
    return {
        "day": report.day.isoformat(),
        "equipment": report.equipment.value,
        "fault": report.fault.value,
        "maintenance_contract": report.maintenance_contract,
        "travel": report.travel,
        "minutes": report.minutes,
        "parts": [
            {"description": p.description, "warranty": p.warranty, "quote": None if p.quote is None else str(p.quote)}
            for p in report.parts
        ],
        "out_of_hours": report.out_of_hours,
        "light": report.light,
        "terminal_replaced": report.terminal_replaced,
        "quote": None if report.quote is None else str(report.quote),
    }


def report_from_json(report_id: str, data: Row) -> InterventionReport:
    parts = tuple(Part(p["description"], p["warranty"], _money(p["quote"])) for p in data["parts"])
    return InterventionReport(
        report_id,
        datetime.fromisoformat(data["day"]).date(),
        Equipment(data["equipment"]),
        Fault(data["fault"]),
        data["maintenance_contract"],
        data["travel"],
        data["minutes"],
        parts,
        data["out_of_hours"],
        data["light"],
        data["terminal_replaced"],
        _money(data["quote"]),
    )


def _money(text: str | None) -> Money | None:
    return None if text is None else Money.of(text)


def credit_row(credit: CompensationCredit) -> dict[str, Any]:
    return {
        "id": credit.id,
        "account_id": credit.account_id,
        "subscription_id": credit.subscription_id,
        "ticket_id": credit.ticket_id,
        "clause": credit.clause,
        "label": credit.label,
        "amount": credit.amount.amount,
        "day": credit.day,
        "provenance": provenance_json(credit.provenance),
        "billed_document": None,
    }


def credit_from_row(row: Row) -> CompensationCredit:
    amount = Money(Decimal(row["amount"]))
    return CompensationCredit(row["id"], row["account_id"], row["subscription_id"], row["ticket_id"], row["clause"],
                              row["label"], amount, row["day"], provenance_from_json(row["provenance"]))  # fmt: skip
