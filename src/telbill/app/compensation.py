"""What the operator owes a customer: a ticket's compensation explained, and its credits on the bill run.

``compensation_of`` reads a ticket's assessment at an instant (``telbill compensation TICKET --explain``):
every clause that concerns it, its clock readings, tier and amount, and the credits recorded so far with the
document that credited each. ``CompensationSource`` is the bill run's ``ChargeSource`` for the recorded
credits: read and marked billed in the bill run's own transaction, so each is credited exactly once — on a
document of its own, since compensations are outside the scope of VAT (a credit note referring to the
latest invoice, docs/adr/0001).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from telbill.app.care import CareDeps, assessment_of, care_store, gather
from telbill.app.store import UnitOfWork
from telbill.core.accounts import Account
from telbill.core.billing.charges import ChargeKind, ChargeLine
from telbill.core.care.compensation import Assessment
from telbill.core.care.credits import CompensationCredit, credit_line
from telbill.core.care.tickets import Ticket


@dataclass(frozen=True, slots=True)
class TicketCompensation:
    ticket: Ticket
    catalog_id: str
    assessment: Assessment
    credits: tuple[tuple[CompensationCredit, str | None], ...]  # each recorded credit and its document


def compensation_of(deps: CareDeps, ticket_id: str, at: datetime) -> TicketCompensation:
    with deps.unit_of_work() as uow:
        ticket = uow.tickets.get(ticket_id)
        gathered = gather(deps, uow, ticket)
        credits = tuple(uow.compensation_credits.for_ticket(ticket_id))
    assessment = assessment_of(gathered, ticket, max(at, ticket.events[0].at))
    return TicketCompensation(ticket, gathered.catalog.id, assessment, credits)


class CompensationSource:
    """The bill run's source of compensation credits (``telbill.app.store.ChargeSource``)."""

    @property
    def kind(self) -> ChargeKind:
        return ChargeKind.COMPENSATION

    def pending(self, uow: UnitOfWork, accounts: Sequence[Account], through: date) -> dict[str, list[ChargeLine]]:
        unbilled = care_store(uow).compensation_credits.unbilled([a.id for a in accounts], through)
        return {account: [credit_line(c) for c in sorted(credits, key=_order)] for account, credits in unbilled.items()}

    def mark_billed(self, uow: UnitOfWork, source_ids: Sequence[str], document_number: str) -> None:
        care_store(uow).compensation_credits.mark_billed(source_ids, document_number)


def _order(credit: CompensationCredit) -> tuple[date, str]:
    return (credit.day, credit.id)
