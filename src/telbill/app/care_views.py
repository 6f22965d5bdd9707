"""Tickets and outages as the API, the portal and the back office list them (reads only).

Contract: ``list_tickets`` pages an account's tickets (or everybody's, latest registration first), each with
its compensation read at ``at`` (``app/compensation.py``: the SLA clocks, the clause awards, the credits and the
document that credited each). ``all_outages`` lists every outage declared, latest first; what concerns one
customer is ``app/outages.py``'s ``outages_for_account``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from telbill.app.access_store import Page, PageRequest, page_of
from telbill.app.care import CareDeps
from telbill.app.compensation import TicketCompensation, compensation_of
from telbill.core.care.instants import BRUSSELS, local_instant, zone_of
from telbill.core.care.outages import Outage
from telbill.core.care.tickets import Ticket

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_END_OF_TIME = datetime(9999, 1, 1, tzinfo=UTC)


def _latest_first(tickets: list[Ticket]) -> list[Ticket]:
    return sorted(tickets, key=lambda t: (t.events[0].at, t.id), reverse=True)


def list_tickets(
    deps: CareDeps, page: PageRequest, at: datetime, account_id: str | None = None
) -> Page[TicketCompensation]:
    with deps.unit_of_work() as uow:
        if account_id is not None:
            uow.accounts.get(account_id)
            tickets = uow.tickets.for_account(account_id)
        else:
            tickets = uow.tickets.registered_between(_EPOCH, None)
    chosen = page_of(_latest_first(tickets), page)
    return Page(tuple(compensation_of(deps, t.id, at) for t in chosen.items), chosen.total, chosen.offset, chosen.limit)


@dataclass(frozen=True, slots=True)
class SlaState:
    """One line of a ticket's SLA state, for lists: open or not, breached or not, the next deadline."""

    open: bool
    breached: bool
    deadline: datetime | None


def sla_state(found: TicketCompensation) -> SlaState:
    """The SLA clocks of a repair; the agreed date of an installation or a porting (late from the day after)."""
    readings = found.assessment.situation.readings
    ticket, facts = found.ticket, found.ticket.facts()
    deadlines = [r.deadline for r in readings]
    breached = any(r.breached for r in readings)
    if ticket.due is not None:
        due_end = local_instant(ticket.due + timedelta(days=1), time(0), zone_of(BRUSSELS))
        deadlines.append(due_end)
        breached = breached or (facts.resolved or found.assessment.at) >= due_end
    return SlaState(facts.resolved is None, breached, min(deadlines) if deadlines else None)


def all_outages(deps: CareDeps) -> list[Outage]:
    with deps.unit_of_work() as uow:
        found = uow.outages.overlapping(_EPOCH, _END_OF_TIME)
    return sorted(found, key=lambda o: (o.start, o.id), reverse=True)
