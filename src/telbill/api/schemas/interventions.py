"""Intervention reports: a technician's report in, the repair charges it gives out (telbill's own small
resource: TM Forum has none for it; each charge is a TMF678 ``AppliedCustomerBillingRate`` waiting for the next
bill run, listed by ``GET appliedCustomerBillingRate`` too)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import Field, WithJsonSchema

from telbill.api.schemas.common import Money, Ref, Tmf, href, money, ref
from telbill.api.schemas.orders import AppliedCustomerBillingRate
from telbill.app.interventions import Reported
from telbill.core.care.interventions import Equipment, Fault
from telbill.core.money import Money as DomainMoney

# an amount in euros, read exactly from the JSON number; digits below the cent are refused by the route (422)
Amount = Annotated[
    Decimal,
    Field(ge=0, le=Decimal(1_000_000)),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 1_000_000}),
]


class PartIn(Tmf):
    description: str = Field(min_length=1, max_length=200)
    warranty: bool = Field(default=False, description="Under warranty")
    quote: Amount | None = Field(default=None, description="Its price excl. VAT, where parts are priced on quote")


class InterventionReportCreate(Tmf):
    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
    day: date | None = Field(default=None, alias="date", description="The intervention day (default: today)")
    product: Ref = Field(description="The subscription the technician worked on")
    trouble_ticket: Ref | None = Field(default=None, alias="troubleTicket", description="The ticket it answers")
    equipment: Equipment
    fault: Fault = Field(description="Whose fault: the operator's (free), the customer's, a third party's")
    maintenance_contract: bool = Field(default=False, alias="maintenanceContract")
    travel: bool = True
    minutes: int = Field(default=0, ge=0, le=24 * 60, description="Minutes of work")
    part: list[PartIn] = Field(default_factory=list, max_length=20)
    out_of_hours: bool = Field(default=False, alias="outOfHours")
    light: bool = Field(default=False, description="The light-intervention package (30 minutes at most)")
    terminal_replaced: bool = Field(default=False, alias="terminalReplaced")
    quote: Amount | None = Field(default=None, description="The repair's price excl. VAT, where priced on quote")


class InterventionReport(Tmf):
    id: str
    href: str = Field(description="The account's one-off charges, where these wait for the next bill")
    day: date = Field(alias="date")
    recorded: bool = Field(description="False: the report was known already and nothing was added")
    product: Ref
    billing_account: Ref = Field(alias="billingAccount")
    trouble_ticket: Ref | None = Field(default=None, alias="troubleTicket")
    applied_customer_billing_rate: list[AppliedCustomerBillingRate] = Field(alias="appliedCustomerBillingRate")
    tax_excluded_amount: Money = Field(alias="taxExcludedAmount", description="The charges' sum, excl. VAT")
    note: list[str] = Field(description="What was not charged, and why")
    type: str = Field(default="InterventionReport", alias="@type")


def report_out(body: InterventionReportCreate, account: tuple[str, str], found: Reported) -> InterventionReport:
    """``account``: the billing account's id and its catalog's. Day and charges are the recorded report's
    (``found``), never the body's: a repeat shows what was booked."""
    account_id, catalog_id = account
    day = found.report.day
    charges = [
        AppliedCustomerBillingRate(
            id=f"{found.report.id}:{number}",  # the pending charge's id (app/interventions.py)
            name=line.label,
            description=charge.reason,
            day=day,
            is_billed=False,
            billing_account=ref("BillingAccount", account_id, f"/billingAccount/{account_id}"),
            product_offering=ref(
                "ProductOffering", f"{catalog_id}:{line.code}", f"/productOffering/{catalog_id}:{line.code}", line.code
            ),
            tax_excluded_amount=money(line.net),
        )
        for number, (charge, line) in enumerate(zip(found.charges.orders, found.lines, strict=True), start=1)
    ]
    ticket = body.trouble_ticket
    return InterventionReport(
        id=found.report.id,
        href=href(f"/appliedCustomerBillingRate?billingAccount.id={account_id}"),
        day=day,
        recorded=found.recorded,
        product=ref("Product", body.product.id, f"/product/{body.product.id}"),
        billing_account=ref("BillingAccount", account_id, f"/billingAccount/{account_id}"),
        trouble_ticket=ref("TroubleTicket", ticket.id, f"/troubleTicket/{ticket.id}") if ticket else None,
        applied_customer_billing_rate=charges,
        tax_excluded_amount=money(sum((line.net for line in found.lines), DomainMoney.zero())),
        note=list(found.charges.notes),
    )
