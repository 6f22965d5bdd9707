"""Service-assurance use cases: open tickets, record what happens to them, settle what the operator owes.

One transaction each. Gather → decide → apply: the use case reads the ticket, its subscription, its account
and catalog; the core (``telbill.core.care``) checks the log and computes the clocks and the compensation;
the use case stores the ticket and the credits that became due. Credits wait in the store until the bill
run credits them (``app/compensation.py``, the ``ChargeSource``). Time is an input: every use case takes
the instant things happened (``at``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from telbill.app.billing import CatalogLookup
from telbill.app.store import CareUnitOfWork, UnitOfWork
from telbill.core.accounts import Account
from telbill.core.billing.run import pricing_for
from telbill.core.care.compensation import Assessment, CompensationCase, assess
from telbill.core.care.coverage import LINE_TYPE, Coverage, Fees, coverage_of, feature
from telbill.core.care.credits import CompensationCredit, credits_of
from telbill.core.care.instants import BRUSSELS, Interval, local_day, zone_of
from telbill.core.care.outages import concerning
from telbill.core.care.tickets import Ticket, TicketEvent, TicketEventKind, TicketKind
from telbill.core.catalog.schema import Catalog
from telbill.core.catalog.versions import version_at
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.money import Money
from telbill.core.subscriptions import Subscription

CareUnitOfWorkFactory = Callable[[], CareUnitOfWork]


@dataclass(frozen=True, slots=True)
class CareDeps:
    unit_of_work: CareUnitOfWorkFactory
    catalog: CatalogLookup


def care_store(uow: UnitOfWork) -> CareUnitOfWork:
    """The unit of work as the service-assurance store; a store without it is a wiring error, said so."""
    if not hasattr(uow, "compensation_credits"):
        raise TelbillError("care.no_store", f"{type(uow).__name__} has no service-assurance repositories")
    return cast(CareUnitOfWork, uow)


@dataclass(frozen=True, slots=True)
class NewTicket:
    id: str
    kind: TicketKind
    subscription_id: str
    at: datetime  # registration: when the fault was reported, the order or porting request received
    due: date | None = None  # the agreed date (installation, porting)
    numbers: tuple[str, ...] = ()  # the numbers to port
    note: str = ""


@dataclass(frozen=True, slots=True)
class Recorded:
    """A ticket after a use case, with the credits that became due by it."""

    ticket: Ticket
    credits: tuple[CompensationCredit, ...] = ()


@dataclass(frozen=True, slots=True)
class Gathered:
    """What the core needs besides the ticket."""

    account: Account
    catalog: Catalog
    coverage: Coverage
    services: tuple[str, ...]  # plan code and line type: what outages name


def open_ticket(deps: CareDeps, new: NewTicket) -> Recorded:
    """Register a ticket; it is linked to the outages that concern its line at that moment."""
    with deps.unit_of_work() as uow:
        subscription = uow.subscriptions.get(new.subscription_id)
        draft = Ticket(new.id, new.kind, subscription.account_id, subscription.id,
                       (TicketEvent(TicketEventKind.REGISTERED, new.at),), new.due, new.numbers, new.note)  # fmt: skip
        facts = gather(deps, uow, draft)  # an unknown SLA class or item fails here, before anything is stored
        outages = uow.outages.overlapping(draft.events[0].at, draft.events[0].at + _TICK)
        links = concerning(outages, facts.account.party.postcode, facts.services, new.at)
        ticket = draft
        for outage in links:
            ticket = ticket.with_event(TicketEvent(TicketEventKind.OUTAGE_LINKED, new.at, outage_id=outage.id))
        ticket.facts()
        uow.tickets.add(ticket)
        uow.commit()
    return Recorded(ticket)


def record_event(deps: CareDeps, ticket_id: str, event: TicketEvent) -> Recorded:
    """Append an event to a ticket's log (checked by the lifecycle), then settle what became due."""
    with deps.unit_of_work() as uow:
        ticket = uow.tickets.get(ticket_id).with_event(event)
        uow.tickets.save(ticket)
        credits = settle(deps, uow, ticket, event.at)
        uow.commit()
    return Recorded(ticket, credits)


def record_pause(deps: CareDeps, ticket_id: str, pause: Interval, at: datetime) -> Recorded:
    """A pause reported afterwards (the customer was away): merged into the log, then settled at ``at``."""
    with deps.unit_of_work() as uow:
        ticket = uow.tickets.get(ticket_id).with_pause(pause)
        uow.tickets.save(ticket)
        credits = settle(deps, uow, ticket, max(at, ticket.events[-1].at))
        uow.commit()
    return Recorded(ticket, credits)


def settle(deps: CareDeps, uow: CareUnitOfWork, ticket: Ticket, at: datetime) -> tuple[CompensationCredit, ...]:
    """Record the credits due at ``at`` that are not recorded yet (their ids make this idempotent)."""
    if ticket.facts().resolved is None:
        return ()
    gathered = gather(deps, uow, ticket)
    assessment = assessment_of(gathered, ticket, at)
    version = version_at(gathered.catalog, registration_day(ticket))
    found = credits_of(assessment, gathered.catalog.id, version.version)
    return tuple(credit for credit in found if uow.compensation_credits.add(credit))


def assessment_of(gathered: Gathered, ticket: Ticket, at: datetime) -> Assessment:
    catalog = gathered.catalog
    version = version_at(catalog, registration_day(ticket))
    return assess(CompensationCase(ticket, version, catalog.price_basis, gathered.coverage, at))


def gather(deps: CareDeps, uow: UnitOfWork, ticket: Ticket) -> Gathered:
    account = uow.accounts.get(ticket.account_id)
    catalog = deps.catalog(account.catalog_id)
    if ticket.subscription_id is None:
        return Gathered(account, catalog, Coverage(None, (), Fees(Money.zero(), Money.zero())), ())
    subscription = uow.subscriptions.get(ticket.subscription_id)
    return gathered_for(account, catalog, subscription, registration_day(ticket))


def gathered_for(account: Account, catalog: Catalog, subscription: Subscription, day: date) -> Gathered:
    """The coverage of a subscription on ``day``: its plan and the options running that day (as ordered
    before activation), priced at the catalog version in effect that day."""
    if subscription.account_id != account.id:
        raise TelbillError("ticket.subscription", f"{subscription.id} is not a subscription of {account.id}")
    timeline = subscription.timeline(day)
    options = timeline.active_options() if timeline.activated is not None else subscription.options
    context = pricing_for(catalog, account)(day)
    coverage = coverage_of(context, timeline.plan_code, options, account.billing_day)
    line_type = feature(context.item(timeline.plan_code), LINE_TYPE)
    services = (timeline.plan_code,) + ((line_type,) if line_type else ())
    return Gathered(account, catalog, coverage, services)


def registration_day(ticket: Ticket) -> date:
    return local_day(ticket.events[0].at, zone_of(BRUSSELS))


def find_ticket(deps: CareDeps, ticket_id: str) -> Ticket:
    with deps.unit_of_work() as uow:
        return uow.tickets.get(ticket_id)


def tickets_of(deps: CareDeps, account_id: str) -> list[Ticket]:
    with deps.unit_of_work() as uow:
        uow.accounts.get(account_id)
        return uow.tickets.for_account(account_id)


def open_installation(deps: CareDeps, subscription_id: str) -> Ticket | None:
    """The subscription's installation ticket still waiting for the line to be in service, if any."""
    with deps.unit_of_work() as uow:
        waiting = [t for t in uow.tickets.for_subscription(subscription_id, TicketKind.INSTALLATION)
                   if t.facts().resolved is None]  # fmt: skip
    if len(waiting) > 1:
        ids = ", ".join(t.id for t in waiting)
        raise TelbillError(
            "ticket.ambiguous", f"{subscription_id} has several open installations: {ids}", ErrorKind.CONFLICT
        )
    return waiting[0] if waiting else None


_TICK = datetime.resolution  # [at, at + 1 µs): "in effect at this instant"
