"""TMF622 product orders (applied at once), TMF637 products (subscriptions) and their lifecycle, one-off
charges (TMF678 appliedCustomerBillingRate)."""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from telbill.api.dependencies import (
    IdempotencyKey,
    OptionalIdempotencyKey,
    PageDep,
    Reader,
    ServicesDep,
    allow,
    paginated,
)
from telbill.api.idempotent import json_response, once
from telbill.api.params import AccountFilter
from telbill.api.problems import COMMON, WRITES
from telbill.api.schemas.common import href, ref
from telbill.api.schemas.orders import (
    AppliedCustomerBillingRate,
    ChargeCreate,
    LifecycleEventIn,
    OrderItemIn,
    OrderItemOut,
    Product,
    ProductOrder,
    ProductOrderCreate,
    charge_out,
    product_out,
)
from telbill.app.access import Permission, Principal
from telbill.app.access_store import page_of
from telbill.app.customers import find_account
from telbill.app.horizon import check_day
from telbill.app.orders import (
    Lifecycle,
    LifecycleRequest,
    NewCharge,
    add_charge,
    find_subscription,
    list_charges,
    list_subscriptions,
    order_subscription,
    plan_and_options,
    record_lifecycle,
)
from telbill.app.services import Services
from telbill.core.catalog.inputs import Order
from telbill.core.catalog.schema import ItemKind
from telbill.core.catalog.versions import version_at
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.subscriptions import Subscription

router = APIRouter(tags=["TMF622 ordering, TMF637 products"], responses=COMMON)
Manager = Annotated[Principal, Depends(allow(Permission.MANAGE_CUSTOMERS))]
Charger = Annotated[Principal, Depends(allow(Permission.CHARGE))]


def _code(catalog_id: str, offering: str) -> str:
    return offering.removeprefix(f"{catalog_id}:")


def _product(svc: Services, subscription: Subscription) -> Product:
    catalog_id = find_account(svc.reading, subscription.account_id).catalog_id
    return product_out(subscription, catalog_id, svc.today())


@router.post(
    "/productOrder",
    response_model=ProductOrder,
    status_code=201,
    responses=WRITES,
    summary="Order a new product (add) or change one (modify, delete): applied at once",
)
def create_product_order(
    body: ProductOrderCreate, svc: ServicesDep, who: Manager, request: Request, key: OptionalIdempotencyKey = None
) -> Response:
    def work() -> Response:
        return json_response(_apply_order(svc, body), 201)

    return once(svc, who, key, request, body, work)


def _apply_order(svc: Services, body: ProductOrderCreate) -> ProductOrder:
    account = find_account(svc.customers, body.billing_account.id)
    check_day(body.requested_start_date, svc.today(), "requestedStartDate")
    day = body.requested_start_date or svc.today()
    adds = [item for item in body.product_order_item if item.action == "add"]
    if adds and len(adds) != len(body.product_order_item):
        message = "an order either adds a product (every item 'add') or changes existing ones (modify, delete)"
        raise TelbillError("order.mixed", message, field="productOrderItem")
    items: list[OrderItemOut] = []
    if adds:
        codes = tuple(_code(account.catalog_id, _offering(item)) for item in adds)
        new = plan_and_options(svc.customers, account.id, day, codes)
        product = body.product
        if product is not None:
            new = replace(new, numbers=tuple(product.phone_number), id=product.id)
        subscription = order_subscription(svc.customers, new)
        target = ref("Product", subscription.id, f"/product/{subscription.id}")
        items = [
            OrderItemOut(id=item.id, action=item.action, product_offering=item.product_offering, product=target)
            for item in adds
        ]
    else:
        for item in body.product_order_item:
            items.append(_change(svc, account.id, account.catalog_id, item, day))
    order_id = f"PO-{secrets.token_hex(6)}"
    return ProductOrder(
        id=order_id,
        order_date=svc.today(),
        requested_start_date=day,
        billing_account=ref("BillingAccount", account.id, f"/billingAccount/{account.id}"),
        product_order_item=items,
    )


def _offering(item: OrderItemIn) -> str:
    if item.product_offering is None:
        raise TelbillError(
            "order.offering",
            f"item {item.id} names no productOffering",
            ErrorKind.NEEDS_INPUT,
            f"productOrderItem[{item.id}].productOffering",
        )
    return item.product_offering.id


def _change(svc: Services, account_id: str, catalog_id: str, item: OrderItemIn, day: date) -> OrderItemOut:
    if item.product is None:
        raise TelbillError(
            "order.product",
            f"item {item.id} ({item.action}) names no product",
            ErrorKind.NEEDS_INPUT,
            f"productOrderItem[{item.id}].product",
        )
    subscription = find_subscription(svc.customers, item.product.id)
    if subscription.account_id != account_id:
        raise TelbillError(
            "subscription.not_found",
            f"no subscription {item.product.id} on {account_id}",
            ErrorKind.NOT_FOUND,
            f"productOrderItem[{item.id}].product",
        )
    if item.action == "delete" and item.product_offering is None:
        kind, code = Lifecycle.TERMINATE, None
    else:
        code = _code(catalog_id, _offering(item))
        plan = subscription.timeline(day).plan_code
        is_plan = code != plan and code not in subscription.options and _is_plan(svc, catalog_id, code, day)
        if item.action == "modify":
            kind = Lifecycle.CHANGE_PLAN if is_plan else Lifecycle.ADD_OPTION
        else:
            kind = Lifecycle.REMOVE_OPTION
    record_lifecycle(svc.customers, svc.care, subscription.id, LifecycleRequest(kind, day, code))
    return OrderItemOut(
        id=item.id,
        action=item.action,
        product_offering=item.product_offering,
        product=ref("Product", subscription.id, f"/product/{subscription.id}"),
    )


def _is_plan(svc: Services, catalog_id: str, code: str, day: date) -> bool:
    item = version_at(svc.catalogs(catalog_id), day).item(code)
    return item is not None and item.kind in (ItemKind.PLAN, ItemKind.RECURRING_FEE)


@router.get("/product", response_model=list[Product], summary="Products (subscriptions), a page at a time")
def list_products(
    svc: ServicesDep,
    who: Reader,
    page: PageDep,
    request: Request,
    response: Response,
    account: AccountFilter = None,
) -> list[Product]:
    scope = who.account_scope()
    if scope is not None:
        if account not in (None, scope):
            who.require_account(account)
        account = scope
    elif account is not None:
        who.require_account(account)
    found = list_subscriptions(svc.reading, page, account)
    paginated(response, found, request)
    return [_product(svc, s) for s in found.items]


@router.get("/product/{id}", response_model=Product, summary="One product with its state and event log")
def get_product(id: str, svc: ServicesDep, who: Reader) -> Product:
    subscription = find_subscription(svc.reading, id)
    who.require_account(subscription.account_id, "subscription", id)
    return _product(svc, subscription)


@router.post(
    "/product/{id}/lifecycleEvent",
    response_model=Product,
    status_code=201,
    responses=WRITES,
    summary="Record what happens to a product: activate, suspend, add an option, port numbers…",
)
def create_lifecycle_event(
    id: str,
    body: LifecycleEventIn,
    svc: ServicesDep,
    who: Manager,
    request: Request,
    key: OptionalIdempotencyKey = None,
) -> Response:
    check_day(body.day, svc.today(), "date")
    check_day(body.due_date, svc.today(), "dueDate")

    def work() -> Response:
        day = body.day or svc.today()
        lifecycle = LifecycleRequest(body.kind, day, body.item, tuple(body.phone_number), body.due_date, body.at)
        subscription = record_lifecycle(svc.customers, svc.care, id, lifecycle)
        return json_response(_product(svc, subscription), 201)

    return once(svc, who, key, request, body, work)


@router.post(
    "/appliedCustomerBillingRate",
    response_model=AppliedCustomerBillingRate,
    status_code=201,
    responses=WRITES,
    summary="A one-off charge for the next bill (Idempotency-Key required)",
)
def create_charge(
    body: ChargeCreate, svc: ServicesDep, who: Charger, request: Request, key: IdempotencyKey
) -> Response:
    check_day(body.day, svc.today(), "date")

    def work() -> Response:
        account = find_account(svc.customers, body.billing_account.id)
        code = _code(account.catalog_id, body.product_offering.id)
        params = tuple((c.name, c.value) for c in body.characteristic)
        Order(code, body.quantity, params)  # a duplicate parameter fails here, naming it
        new = NewCharge(
            account.id,
            code,
            body.day or svc.today(),
            body.quantity,
            params,
            body.product.id if body.product else None,
            body.description or "",
            key,
        )
        recorded = add_charge(svc.customers, new)
        view = next(v for v in list_charges(svc.customers, account.id) if v.id == recorded.charge.id)
        out = charge_out(view, account.id, account.catalog_id)
        out.href = href(f"/appliedCustomerBillingRate?billingAccount.id={account.id}")
        return json_response(out, 201)

    return once(svc, who, key, request, body, work)


@router.get(
    "/appliedCustomerBillingRate",
    response_model=list[AppliedCustomerBillingRate],
    summary="An account's one-off charges, billed or waiting for the next bill",
)
def list_applied_charges(
    svc: ServicesDep,
    who: Reader,
    page: PageDep,
    request: Request,
    response: Response,
    account: Annotated[str, Query(alias="billingAccount.id", max_length=64)],
) -> list[AppliedCustomerBillingRate]:
    who.require_account(account)
    found = find_account(svc.reading, account)
    views = list_charges(svc.reading, account)
    chosen = page_of(views, page)
    paginated(response, chosen, request)
    return [charge_out(v, account, found.catalog_id) for v in chosen.items]
