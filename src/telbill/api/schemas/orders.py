"""TMF622 product ordering (ProductOrder), TMF637 product inventory (Product: a subscription), and TMF678
AppliedCustomerBillingRate for one-off charges."""

from __future__ import annotations

from datetime import date, time
from typing import Literal

from pydantic import Field

from telbill.api.schemas.common import Characteristic, Money, Quantity, Ref, Tmf, href, money, ref
from telbill.app.orders import ChargeView, Lifecycle
from telbill.core.subscriptions import State, Subscription

# TMF637 product status for each state of the subscription lifecycle
PRODUCT_STATUS: dict[State, str] = {
    State.ORDERED: "created",
    State.INSTALLING: "pendingActive",
    State.ACTIVE: "active",
    State.SUSPENDED: "suspended",
    State.TERMINATED: "terminated",
}


class OrderItemIn(Tmf):
    id: str = Field(min_length=1, max_length=32)
    action: Literal["add", "modify", "delete"]
    product_offering: Ref | None = Field(default=None, alias="productOffering")
    product: Ref | None = Field(default=None, description="The existing product, for modify and delete")


class NewProduct(Tmf):
    id: str | None = Field(default=None, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
    phone_number: list[str] = Field(default_factory=list, alias="phoneNumber", max_length=100)


class ProductOrderCreate(Tmf):
    billing_account: Ref = Field(alias="billingAccount")
    requested_start_date: date | None = Field(default=None, alias="requestedStartDate")
    product_order_item: list[OrderItemIn] = Field(alias="productOrderItem", min_length=1, max_length=50)
    product: NewProduct | None = Field(default=None, description="For add: the id and numbers of the new product")


class OrderItemOut(Tmf):
    id: str
    action: str
    state: str = "completed"
    product_offering: Ref | None = Field(default=None, alias="productOffering")
    product: Ref


class ProductOrder(Tmf):
    id: str
    href: str | None = None
    state: str = "completed"
    order_date: date = Field(alias="orderDate")
    requested_start_date: date = Field(alias="requestedStartDate")
    billing_account: Ref = Field(alias="billingAccount")
    product_order_item: list[OrderItemOut] = Field(alias="productOrderItem")
    type: str = Field(default="ProductOrder", alias="@type")


class ProductEvent(Tmf):
    kind: str
    day: date = Field(alias="date")
    item: str | None = None


class Device(Tmf):
    id: str
    lent: date
    returned: date | None = None


class Product(Tmf):
    id: str
    href: str
    name: str
    status: str
    product_offering: Ref = Field(alias="productOffering")
    option: list[Ref] = Field(default_factory=list)
    billing_account: Ref = Field(alias="billingAccount")
    start_date: date | None = Field(default=None, alias="startDate")
    termination_date: date | None = Field(default=None, alias="terminationDate")
    phone_number: list[str] = Field(default_factory=list, alias="phoneNumber")
    device: list[Device] = Field(default_factory=list)
    event: list[ProductEvent] = Field(default_factory=list)
    type: str = Field(default="Product", alias="@type")


def product_out(subscription: Subscription, catalog_id: str, day: date) -> Product:
    timeline = subscription.timeline(day)
    options = timeline.active_options() if timeline.activated is not None else subscription.options
    plan = f"{catalog_id}:{timeline.plan_code}"
    return Product(
        id=subscription.id,
        href=href(f"/product/{subscription.id}"),
        name=timeline.plan_code,
        status=PRODUCT_STATUS[timeline.state],
        product_offering=ref("ProductOffering", plan, f"/productOffering/{plan}", timeline.plan_code),
        option=[ref("ProductOffering", f"{catalog_id}:{o}", f"/productOffering/{catalog_id}:{o}", o) for o in options],
        billing_account=ref("BillingAccount", subscription.account_id, f"/billingAccount/{subscription.account_id}"),
        start_date=timeline.activated,
        termination_date=timeline.terminated,
        phone_number=list(subscription.numbers),
        device=[Device(id=d.device_id, lent=d.connected, returned=d.returned) for d in timeline.devices],
        event=[ProductEvent(kind=e.kind.value, day=e.day, item=e.item_code) for e in subscription.events],
    )


class LifecycleEventIn(Tmf):
    kind: Lifecycle
    day: date | None = Field(default=None, alias="date", description="The day it takes effect (default: today)")
    at: time | None = Field(default=None, alias="time", description="Brussels wall clock, for the tickets that follow")
    item: str | None = Field(default=None, max_length=64, description="The option, the new plan, the device")
    phone_number: list[str] = Field(default_factory=list, alias="phoneNumber", max_length=100)
    due_date: date | None = Field(default=None, alias="dueDate", description="Agreed date (installation, porting)")


class ChargeCreate(Tmf):
    billing_account: Ref = Field(alias="billingAccount")
    product: Ref | None = None
    product_offering: Ref = Field(alias="productOffering", description="The item code (or <catalog>:<code>)")
    quantity: Quantity | None = None
    characteristic: list[Characteristic] = Field(default_factory=list, max_length=20)
    day: date | None = Field(default=None, alias="date")
    description: str | None = Field(default=None, max_length=500)


class AppliedCustomerBillingRate(Tmf):
    id: str
    href: str | None = None
    name: str
    description: str
    type: str = Field(default="oneTime")
    day: date = Field(alias="date")
    is_billed: bool = Field(alias="isBilled")
    bill: Ref | None = None
    billing_account: Ref = Field(alias="billingAccount")
    product_offering: Ref = Field(alias="productOffering")
    tax_excluded_amount: Money | None = Field(default=None, alias="taxExcludedAmount")
    at_type: str = Field(default="AppliedCustomerBillingRate", alias="@type")


def charge_out(view: ChargeView, account_id: str, catalog_id: str) -> AppliedCustomerBillingRate:
    offering = f"{catalog_id}:{view.item_code}"
    return AppliedCustomerBillingRate(
        id=view.id,
        name=view.label,
        description=view.reason,
        day=view.day,
        is_billed=view.billed_document is not None,
        bill=ref("CustomerBill", view.billed_document, f"/customerBill/{view.billed_document}")
        if view.billed_document
        else None,
        billing_account=ref("BillingAccount", account_id, f"/billingAccount/{account_id}"),
        product_offering=ref("ProductOffering", offering, f"/productOffering/{offering}", view.item_code),
        tax_excluded_amount=money(view.net) if view.net is not None else None,
    )
