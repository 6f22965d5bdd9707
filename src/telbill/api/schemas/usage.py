"""TMF635 usage management: Usage (a call, an SMS, a data session) with its rating once billed."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, Field

from telbill.api.schemas.common import (
    Characteristic,
    Money,
    Ref,
    Tmf,
    href,
    money_json,
    ref_json,
)
from telbill.app.access_store import UsageSummary


class RatedProductUsage(Tmf):
    is_billed: bool = Field(alias="isBilled")
    rating_amount_type: str = Field(default="total", alias="ratingAmountType")
    usage_rating_tag: str | None = Field(default=None, alias="usageRatingTag", description="The tariff")
    tax_excluded_rating_amount: Money | None = Field(default=None, alias="taxExcludedRatingAmount")
    charged_units: int | None = Field(default=None, alias="chargedUnits")
    included_units: int | None = Field(default=None, alias="includedUnits")
    bill: Ref | None = None


class Usage(Tmf):
    id: str
    href: str
    usage_date: datetime = Field(alias="usageDate")
    usage_type: str = Field(alias="usageType", description="voice (seconds), sms (messages) or data (bytes)")
    status: str = Field(description="received, or billed")
    usage_characteristic: list[Characteristic] = Field(alias="usageCharacteristic")
    product: Ref
    billing_account: Ref = Field(alias="billingAccount")
    rated_product_usage: list[RatedProductUsage] = Field(default_factory=list, alias="ratedProductUsage")
    type: str = Field(default="Usage", alias="@type")


def usage_out(u: UsageSummary) -> Usage:
    """A usage record as a model: ``usage_json`` read by ``Usage``."""
    return Usage.model_validate(usage_json(u))


def usage_json(u: UsageSummary) -> dict[str, Any]:
    """A usage record as ``Usage`` writes it, in its field order: the one definition, written by
    ``pydantic_core.to_json`` (the list routes and their fast path, ``api/hot.py``);
    ``tests/api/test_hot_lists.py`` holds it to the model's bytes."""
    characteristics = [
        {"name": "subscriber", "value": u.subscriber, "valueType": "string"},
        {"name": "country", "value": u.country, "valueType": "string"},
        {"name": "quantity", "value": str(u.quantity), "valueType": "integer"},
        {"name": "billingPeriodStart", "value": u.period_start.isoformat(), "valueType": "date"},
    ]
    if u.destination:
        characteristics.insert(1, {"name": "destination", "value": u.destination, "valueType": "string"})
    rated = []
    if u.billed_document is not None:
        rated.append(
            {
                "isBilled": True,
                "ratingAmountType": "total",
                "usageRatingTag": u.tariff,
                "taxExcludedRatingAmount": money_json(u.amount) if u.amount is not None else None,
                "chargedUnits": u.charged_units,
                "includedUnits": u.included_units,
                "bill": ref_json("CustomerBill", u.billed_document, f"/customerBill/{u.billed_document}"),
            }
        )
    return {
        "id": u.record_id,
        "href": href(f"/usage/{u.record_id}"),
        "usageDate": u.start,
        "usageType": u.service,
        "status": "billed" if u.billed_document else "received",
        "usageCharacteristic": characteristics,
        "product": ref_json("Product", u.subscription_id, f"/product/{u.subscription_id}"),
        "billingAccount": ref_json("BillingAccount", u.account_id, f"/billingAccount/{u.account_id}"),
        "ratedProductUsage": rated,
        "@type": "Usage",
    }


class UsageCreate(Tmf):
    id: str = Field(min_length=1, max_length=128, pattern=r"^[\x21-\x7e]+$")
    usage_date: AwareDatetime = Field(alias="usageDate", description="With its offset")
    usage_type: Literal["voice", "sms", "data"] = Field(alias="usageType")
    subscriber: str = Field(min_length=2, max_length=32, description="The subscriber's number, as the switch wrote it")
    destination: str | None = Field(default=None, max_length=32)
    country: str = Field(pattern=r"^[A-Z]{2}$", description="Where it was used (ISO 3166 alpha-2)")
    quantity: int = Field(ge=0, le=10**15, description="Seconds, messages or bytes")
