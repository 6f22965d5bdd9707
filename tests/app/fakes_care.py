"""In-memory fakes of the service-assurance ports (``telbill.app.store``: ``Tickets``, ``Outages``,
``Interventions``, ``CompensationCredits``): the reference semantics the SQL adapter must match. They live in
``CareState``, part of the fake store's ``State``, and are attached by ``FakeUnitOfWork``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from telbill.app.store import RecordedIntervention
from telbill.core.care.credits import CompensationCredit
from telbill.core.care.interventions import InterventionReport
from telbill.core.care.outages import Outage
from telbill.core.care.tickets import Ticket, TicketKind
from telbill.core.errors import ErrorKind, TelbillError


@dataclass
class CareState:
    tickets: dict[str, Ticket] = field(default_factory=dict)
    outages: dict[str, Outage] = field(default_factory=dict)
    interventions: dict[str, tuple[str, str | None, str | None, InterventionReport]] = field(default_factory=dict)
    credits: dict[str, tuple[CompensationCredit, str | None]] = field(default_factory=dict)  # id → (credit, document)


class FakeTickets:
    def __init__(self, state: CareState) -> None:
        self.state = state

    def add(self, ticket: Ticket) -> None:
        if ticket.id in self.state.tickets:
            raise TelbillError("ticket.exists", f"ticket {ticket.id} exists", ErrorKind.CONFLICT)
        self.state.tickets[ticket.id] = ticket

    def get(self, ticket_id: str) -> Ticket:
        if ticket_id not in self.state.tickets:
            raise TelbillError("ticket.not_found", f"no ticket {ticket_id}", ErrorKind.NOT_FOUND)
        return self.state.tickets[ticket_id]

    def save(self, ticket: Ticket) -> None:
        self.get(ticket.id)
        self.state.tickets[ticket.id] = ticket

    def for_account(self, account_id: str) -> list[Ticket]:
        return sorted((t for t in self.state.tickets.values() if t.account_id == account_id), key=lambda t: t.id)

    def for_subscription(self, subscription_id: str, kind: TicketKind) -> list[Ticket]:
        found = (t for t in self.state.tickets.values() if t.subscription_id == subscription_id and t.kind is kind)
        return sorted(found, key=lambda t: t.id)

    def registered_between(self, start: datetime, end: datetime | None) -> list[Ticket]:
        found = (
            t for t in self.state.tickets.values() if start <= t.events[0].at and (end is None or t.events[0].at < end)
        )
        return sorted(found, key=lambda t: t.id)


class FakeOutages:
    def __init__(self, state: CareState) -> None:
        self.state = state

    def add(self, outage: Outage) -> None:
        if outage.id in self.state.outages:
            raise TelbillError("outage.exists", f"outage {outage.id} exists", ErrorKind.CONFLICT)
        self.state.outages[outage.id] = outage

    def get(self, outage_id: str) -> Outage:
        if outage_id not in self.state.outages:
            raise TelbillError("outage.not_found", f"no outage {outage_id}", ErrorKind.NOT_FOUND)
        return self.state.outages[outage_id]

    def save(self, outage: Outage) -> None:
        self.get(outage.id)
        self.state.outages[outage.id] = outage

    def overlapping(self, start: datetime, end: datetime) -> list[Outage]:
        found = (o for o in self.state.outages.values() if o.start < end and (o.end is None or start < o.end))
        return sorted(found, key=lambda o: o.id)


class FakeInterventions:
    def __init__(self, state: CareState) -> None:
        self.state = state

    def add(
        self, account_id: str, subscription_id: str | None, ticket_id: str | None, report: InterventionReport
    ) -> bool:
        if report.id in self.state.interventions:
            return False
        self.state.interventions[report.id] = (account_id, subscription_id, ticket_id, report)
        return True

    def get(self, report_id: str) -> RecordedIntervention:
        if report_id not in self.state.interventions:
            raise TelbillError("intervention.not_found", f"no intervention {report_id}", ErrorKind.NOT_FOUND)
        _, subscription_id, ticket_id, report = self.state.interventions[report_id]
        return RecordedIntervention(report, subscription_id, ticket_id)


class FakeCompensationCredits:
    def __init__(self, state: CareState) -> None:
        self.state = state

    def add(self, credit: CompensationCredit) -> bool:
        if credit.id in self.state.credits:
            return False
        self.state.credits[credit.id] = (credit, None)
        return True

    def for_ticket(self, ticket_id: str) -> list[tuple[CompensationCredit, str | None]]:
        return sorted((e for e in self.state.credits.values() if e[0].ticket_id == ticket_id), key=lambda e: e[0].id)

    def unbilled(self, account_ids: Sequence[str], through: date) -> dict[str, list[CompensationCredit]]:
        wanted = set(account_ids)
        found: dict[str, list[CompensationCredit]] = {}
        for credit, billed in sorted(self.state.credits.values(), key=lambda e: e[0].id):
            if credit.account_id in wanted and billed is None and credit.day <= through:
                found.setdefault(credit.account_id, []).append(credit)
        return found

    def mark_billed(self, credit_ids: Sequence[str], document_number: str) -> None:
        for credit_id in credit_ids:
            entry = self.state.credits.get(credit_id)
            if entry is None or entry[1] is not None:
                raise TelbillError(
                    "credit.billed", f"credit {credit_id} is unknown or billed already", ErrorKind.CONFLICT
                )
            self.state.credits[credit_id] = (entry[0], document_number)
