"""Orders and the subscription lifecycle: order a subscription, record what happens to it, one-off charges.

Contract:
- ``order_subscription`` stores a subscription in state *ordered*: its plan must be a plan of the account's
  catalog (the version in effect on the order day) and every option one that the plan offers; numbers are
  stored in E.164.
- ``record_lifecycle`` appends one dated event (activate, add or remove an option, change plan, suspend,
  reactivate, terminate, request installation, lend or return a device); the transition table of
  ``core/subscriptions.py`` accepts or refuses it, naming the event. The item an event names is checked
  against the catalog as an order would be. Then, as the scenarios do (``app/scenario_care.py``), the service
  assurance follows: an installation request opens an installation ticket, the activation puts it in service;
  a porting request opens a porting ticket, its completion adds the numbers and resolves it.
- ``add_charge`` records a one-off charge (an installation, a fee) for the next bill run, priced now so that
  an impossible order fails at once; its id is derived from the caller's idempotency key when there is one,
  so repeating the request records it once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum

from telbill.app.access_store import Page, PageRequest, page_of
from telbill.app.care import CareDeps, NewTicket, open_installation, open_ticket, record_event
from telbill.app.customers import CustomerDeps
from telbill.core.billing.charges import PendingCharge
from telbill.core.billing.run import pricing_for
from telbill.core.care.instants import BRUSSELS, local_instant, zone_of
from telbill.core.care.tickets import TicketEvent, TicketEventKind, TicketKind
from telbill.core.catalog.inputs import Order
from telbill.core.catalog.pricing import PricedLine, price_order
from telbill.core.catalog.schema import Catalog, Item, ItemKind
from telbill.core.catalog.versions import version_at
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.money import Money
from telbill.core.rating.zoning import normalise_number
from telbill.core.subscriptions import Event, EventKind, State, Subscription, Timeline

_ZONE = zone_of(BRUSSELS)


@dataclass(frozen=True, slots=True)
class NewSubscription:
    account_id: str
    plan_code: str
    day: date  # the order day: the catalog version in effect then is checked
    options: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    id: str | None = None  # None: <account>-<n>


def _item(catalog: Catalog, day: date, code: str, field: str) -> Item:
    version = version_at(catalog, day)
    item = version.item(code)
    if item is None:
        message = f"no item {code} in {catalog.id} version {version.version}"
        raise TelbillError("order.unknown_item", message, ErrorKind.NOT_FOUND, field)
    return item


def _check_plan(catalog: Catalog, day: date, plan_code: str, options: tuple[str, ...]) -> None:
    plan = _item(catalog, day, plan_code, "productOffering")
    if plan.kind is not ItemKind.PLAN and plan.kind is not ItemKind.RECURRING_FEE:
        raise TelbillError(
            "order.not_a_plan", f"{plan_code} is a {plan.kind.value}, not a plan", field="productOffering"
        )
    for code in options:
        if code not in plan.options:
            offered = ", ".join(plan.options) or "none"
            message = f"{code} is not an option of {plan_code} (its options: {offered})"
            raise TelbillError("order.not_an_option", message, field="option")


def order_subscription(deps: CustomerDeps, new: NewSubscription) -> Subscription:
    numbers = tuple(normalise_number(n) for n in new.numbers)
    with deps.unit_of_work() as uow:
        account = uow.accounts.get(new.account_id)
        _check_plan(deps.catalog(account.catalog_id), new.day, new.plan_code, new.options)
        known = uow.subscriptions.for_accounts([account.id]).get(account.id, [])
        subscription_id = new.id or f"{account.id}-{len(known) + 1}"
        subscription = Subscription(subscription_id, account.id, new.plan_code, new.options, (), numbers)
        uow.subscriptions.add(subscription)
        uow.commit()
    return subscription


class Lifecycle(Enum):
    """What the API and the back office can record on a subscription (with porting, done by tickets)."""

    REQUEST_INSTALLATION = "request_installation"
    ACTIVATE = "activate"
    ADD_OPTION = "add_option"
    REMOVE_OPTION = "remove_option"
    CHANGE_PLAN = "change_plan"
    SUSPEND = "suspend"
    REACTIVATE = "reactivate"
    TERMINATE = "terminate"
    LEND_DEVICE = "lend_device"
    RETURN_DEVICE = "return_device"
    REQUEST_PORTING = "request_porting"
    COMPLETE_PORTING = "complete_porting"


@dataclass(frozen=True, slots=True)
class LifecycleRequest:
    kind: Lifecycle
    day: date
    item: str | None = None  # the option, the new plan, the device
    numbers: tuple[str, ...] = ()  # the numbers to port
    due: date | None = None  # the agreed date of an installation or a porting
    at: time | None = None  # Brussels wall clock, for the tickets that follow (default midnight)


def _check_item(catalog: Catalog, subscription: Subscription, request: LifecycleRequest) -> None:
    if request.kind is Lifecycle.ADD_OPTION and request.item:
        plan = subscription.timeline(request.day).plan_code
        _check_plan(catalog, request.day, plan, (request.item,))
    elif request.kind is Lifecycle.CHANGE_PLAN and request.item:
        _check_plan(catalog, request.day, request.item, ())


def record_lifecycle(
    deps: CustomerDeps, care: CareDeps, subscription_id: str, request: LifecycleRequest
) -> Subscription:
    numbers = tuple(normalise_number(n) for n in request.numbers)
    with deps.unit_of_work() as uow:
        subscription = uow.subscriptions.get(subscription_id)
        account = uow.accounts.get(subscription.account_id)
        if request.kind is Lifecycle.REQUEST_PORTING:
            if not numbers:
                raise TelbillError(
                    "porting.numbers", "a porting names the numbers to port", ErrorKind.NEEDS_INPUT, "numbers"
                )
            updated = subscription
        elif request.kind is Lifecycle.COMPLETE_PORTING:
            added = tuple(n for n in numbers if n not in subscription.numbers)
            updated = replace(subscription, numbers=(*subscription.numbers, *added))
        else:
            _check_item(deps.catalog(account.catalog_id), subscription, request)
            updated = subscription.with_event(Event(EventKind(request.kind.value), request.day, request.item))
        uow.subscriptions.save(updated)
        uow.commit()
    _follow(care, subscription_id, request, numbers)
    return updated


def _follow(care: CareDeps, subscription_id: str, request: LifecycleRequest, numbers: tuple[str, ...]) -> None:
    when = local_instant(request.day, request.at or time(0), _ZONE)
    if request.kind is Lifecycle.REQUEST_INSTALLATION:
        installation = NewTicket(
            f"{subscription_id}:installation:{request.day.isoformat()}",
            TicketKind.INSTALLATION,
            subscription_id,
            when,
            due=request.due,
        )
        open_ticket(care, installation)
    elif request.kind is Lifecycle.ACTIVATE:
        waiting = open_installation(care, subscription_id)
        if waiting is not None:
            record_event(care, waiting.id, TicketEvent(TicketEventKind.IN_SERVICE, when))
    elif request.kind is Lifecycle.REQUEST_PORTING:
        porting = NewTicket(
            f"{subscription_id}:porting:{request.day.isoformat()}",
            TicketKind.PORTING,
            subscription_id,
            when,
            due=request.due,
            numbers=numbers,
        )
        open_ticket(care, porting)
    elif request.kind is Lifecycle.COMPLETE_PORTING:
        with care.unit_of_work() as uow:
            tickets = uow.tickets.for_subscription(subscription_id, TicketKind.PORTING)
        for ticket in tickets:
            if ticket.facts().resolved is None and set(ticket.numbers) <= set(numbers):
                record_event(care, ticket.id, TicketEvent(TicketEventKind.PORTED, when))


def find_subscription(deps: CustomerDeps, subscription_id: str) -> Subscription:
    with deps.unit_of_work() as uow:
        return uow.subscriptions.get(subscription_id)


def list_subscriptions(deps: CustomerDeps, page: PageRequest, account_id: str | None = None) -> Page[Subscription]:
    with deps.unit_of_work() as uow:
        if account_id is not None:
            uow.accounts.get(account_id)
            mine = uow.subscriptions.for_accounts([account_id]).get(account_id, [])
            return page_of(sorted(mine, key=lambda s: s.id), page)
        pairs = uow.listings.subscription_ids(page, None)
        owners = sorted({account for _, account in pairs.items})
        found = {s.id: s for group in uow.subscriptions.for_accounts(owners).values() for s in group}
    return Page(tuple(found[i] for i, _ in pairs.items if i in found), pairs.total, pairs.offset, pairs.limit)


def state_of(subscription: Subscription, day: date) -> tuple[State, Timeline]:
    timeline = subscription.timeline(day)
    return timeline.state, timeline


@dataclass(frozen=True, slots=True)
class NewCharge:
    account_id: str
    item_code: str
    day: date
    quantity: Decimal | None = None
    params: tuple[tuple[str, str], ...] = ()
    subscription_id: str | None = None
    reason: str = ""
    key: str | None = None  # the caller's idempotency key


@dataclass(frozen=True, slots=True)
class RecordedCharge:
    charge: PendingCharge
    line: PricedLine  # as priced today, for the caller to see; the bill run prices it again on its day
    recorded: bool  # False: the same key recorded it before


def add_charge(deps: CustomerDeps, new: NewCharge) -> RecordedCharge:
    order = Order(new.item_code, new.quantity, new.params)
    with deps.unit_of_work() as uow:
        account = uow.accounts.get(new.account_id)
        if new.subscription_id is not None:
            subscription = uow.subscriptions.get(new.subscription_id)
            if subscription.account_id != account.id:
                raise TelbillError(
                    "charge.subscription",
                    f"{subscription.id} is not a subscription of {account.id}",
                    ErrorKind.NOT_FOUND,
                    "product",
                )
        line = price_order(pricing_for(deps.catalog(account.catalog_id), account)(new.day), order)
        suffix = new.key or secrets.token_hex(8)
        charge = PendingCharge(
            f"{account.id}:api-{suffix}", new.subscription_id, order, new.day, new.reason or line.label
        )
        recorded = uow.charges.add(account.id, charge)
        uow.commit()
    return RecordedCharge(charge, line, recorded)


def instant_of(day: date, at: time | None = None) -> datetime:
    return local_instant(day, at or time(0), _ZONE)


def plan_and_options(deps: CustomerDeps, account_id: str, day: date, codes: tuple[str, ...]) -> NewSubscription:
    """The subscription an order of item codes describes: exactly one plan, the rest its options."""
    with deps.unit_of_work() as uow:
        account = uow.accounts.get(account_id)
    catalog = deps.catalog(account.catalog_id)
    kinds = {code: _item(catalog, day, code, "productOffering").kind for code in codes}
    plans = [code for code, kind in kinds.items() if kind in (ItemKind.PLAN, ItemKind.RECURRING_FEE)]
    if len(plans) != 1:
        message = f"an order names exactly one plan, the others its options: plans named {plans or 'none'}"
        raise TelbillError("order.plan_count", message, field="productOrderItem")
    return NewSubscription(account_id, plans[0], day, tuple(code for code in codes if code != plans[0]))


@dataclass(frozen=True, slots=True)
class ChargeView:
    id: str
    item_code: str
    label: str
    day: date
    reason: str
    net: Money | None  # priced on its day; None when the catalog no longer prices it
    billed_document: str | None


def list_charges(deps: CustomerDeps, account_id: str) -> list[ChargeView]:
    """An account's one-off charges, billed or waiting, priced as the bill run prices them (on their day)."""
    with deps.unit_of_work() as uow:
        account = uow.accounts.get(account_id)
        rows = uow.listings.pending_charges(account_id)
        unbilled = {c.id: c for c in uow.charges.unbilled([account_id], date.max).get(account_id, [])}
    pricing = pricing_for(deps.catalog(account.catalog_id), account)
    views = []
    for charge_id, code, day, reason, document in rows:
        pending = unbilled.get(charge_id)
        net = None
        label = code
        if pending is not None:
            line = price_order(pricing(day), pending.order)
            net, label = line.net, line.label
        views.append(ChargeView(charge_id, code, label, day, reason, net, document))
    return views
