"""Outage notices: declare an incident on an area and services, end it, and show customers what concerns them.

Declaring an outage links the tickets registered during it on lines it concerns (an ``outage_linked`` event
at the declaration instant); tickets registered later are linked when they are opened (``app/care.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from telbill.app.care import CareDeps, gathered_for, registration_day
from telbill.app.store import CareUnitOfWork
from telbill.core.care.instants import require_aware
from telbill.core.care.outages import Outage, concerning
from telbill.core.care.tickets import Ticket, TicketEvent, TicketEventKind


@dataclass(frozen=True, slots=True)
class Declared:
    outage: Outage
    linked: tuple[str, ...]  # the ids of the tickets linked to it


def declare_outage(deps: CareDeps, outage: Outage, at: datetime) -> Declared:
    with deps.unit_of_work() as uow:
        uow.outages.add(outage)
        linked = _link(deps, uow, outage, at)
        uow.commit()
    return Declared(outage, linked)


def end_outage(deps: CareDeps, outage_id: str, end: datetime) -> Outage:
    with deps.unit_of_work() as uow:
        ended = uow.outages.get(outage_id).ended(end)
        uow.outages.save(ended)
        uow.commit()
    return ended


def outages_for_account(deps: CareDeps, account_id: str, at: datetime) -> tuple[Outage, ...]:
    """The outages that concern any of the account's subscriptions at ``at``: what the customer sees."""
    at = require_aware(at)
    with deps.unit_of_work() as uow:
        account = uow.accounts.get(account_id)
        catalog = deps.catalog(account.catalog_id)
        outages = uow.outages.overlapping(at, at + datetime.resolution)
        subscriptions = uow.subscriptions.for_accounts([account_id]).get(account_id, [])
    seen: dict[str, Outage] = {}
    day = at.date()
    for subscription in subscriptions:
        services = gathered_for(account, catalog, subscription, day).services
        for outage in concerning(outages, account.party.postcode, services, at):
            seen.setdefault(outage.id, outage)
    return tuple(seen.values())


def _link(deps: CareDeps, uow: CareUnitOfWork, outage: Outage, at: datetime) -> tuple[str, ...]:
    linked = []
    for ticket in uow.tickets.registered_between(outage.start, outage.end):
        if ticket.subscription_id is None or not _concerned(deps, uow, outage, ticket):
            continue
        when = max(require_aware(at), ticket.events[-1].at)
        uow.tickets.save(ticket.with_event(TicketEvent(TicketEventKind.OUTAGE_LINKED, when, outage_id=outage.id)))
        linked.append(ticket.id)
    return tuple(linked)


def _concerned(deps: CareDeps, uow: CareUnitOfWork, outage: Outage, ticket: Ticket) -> bool:
    assert ticket.subscription_id is not None
    account = uow.accounts.get(ticket.account_id)
    subscription = uow.subscriptions.get(ticket.subscription_id)
    gathered = gathered_for(account, deps.catalog(account.catalog_id), subscription, registration_day(ticket))
    return outage.covers(account.party.postcode, gathered.services)
