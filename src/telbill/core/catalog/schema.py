"""The catalog schema: frozen pydantic models, unknown fields refused, amounts exact.

A catalog file holds one operator's sheet, versioned by effective date. Each version is complete: the items
in effect from ``effective_from`` until the next version (see ``versions.py``). The JSON Schema for editors
is ``Catalog.model_json_schema()`` (``telbill catalog schema``).
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated, Literal

from pydantic import Field, model_validator

from telbill.core.catalog.assurance import Calendar, Code, Compensation, SlaClass
from telbill.core.catalog.dunning_policy import DunningPolicy
from telbill.core.catalog.fields import Vat
from telbill.core.catalog.rules import Frozen, Price, Rule
from telbill.core.catalog.usage import UsageTariffs
from telbill.core.tax.compute import PriceBasis


class Segment(Enum):
    RESIDENTIAL = "residential"
    PROFESSIONAL = "professional"


class ItemKind(Enum):
    PLAN = "plan"
    OPTION = "option"
    INSTALLATION = "installation"
    FEE = "fee"  # a service or administrative fee charged when it happens
    RECURRING_FEE = "recurring_fee"  # a monthly fee outside a plan (e.g. a directory number)
    INDEMNITY = "indemnity"  # damages the customer owes (outside the scope of VAT)
    DEPOSIT = "deposit"


class Charge(Enum):
    ONE_TIME = "one_time"
    MONTHLY = "monthly"


Language = Literal["fr", "nl", "en", "de"]


class Feature(Frozen):
    """What a plan includes, as the sheet words it, with a machine-readable value where there is one."""

    feature: str
    label: str
    value: str
    unit: str | None = None
    fair_use: bool = False
    note: str | None = None


class Item(Frozen):
    code: Code
    label: str
    language: Language | None = None  # the sheet's language when it differs from the catalog's
    section: str | None = None
    kind: ItemKind
    charge: Charge = Charge.ONE_TIME
    vat: Vat | None = None
    price: Rule | None = None
    by_segment: dict[Segment, Rule] | None = None
    includes: tuple[Feature, ...] = ()
    options: tuple[Code, ...] = ()
    installations: tuple[Code, ...] = ()
    interpretation: str | None = None  # how an ambiguous row was read, and why
    note: str | None = None

    @model_validator(mode="after")
    def _exactly_one_price(self) -> Item:
        if (self.price is None) == (self.by_segment is None):
            raise ValueError("an item needs exactly one of 'price' and 'by_segment'")
        return self

    def rule_for(self, segment: Segment) -> Rule | None:
        if self.by_segment is not None:
            return self.by_segment.get(segment)
        return self.price


class ContractPolicies(Frozen):
    """Which catalog items the subscription lifecycle charges by itself, and the contract's terms."""

    commitment_months: int = Field(default=12, gt=0)  # "l'échéance de la première année"
    early_termination_fee: Code | None = None
    reactivation_fee: Code | None = None
    device_not_returned_fee: Code | None = None
    device_return_days: int = Field(default=30, gt=0)  # calendar days after the connection


class CatalogVersion(Frozen):
    version: str
    effective_from: date
    items: tuple[Item, ...] = Field(min_length=1)
    policies: ContractPolicies = ContractPolicies()
    calendars: tuple[Calendar, ...] = ()
    sla_classes: tuple[SlaClass, ...] = ()
    compensations: tuple[Compensation, ...] = ()
    dunning: DunningPolicy | None = None  # how late payers are chased (none: they are not)
    usage: UsageTariffs | None = None  # calls, SMS and data: zones, tariffs, allowances (core.catalog.usage)

    def item(self, code: str) -> Item | None:
        return next((item for item in self.items if item.code == code), None)


class SellerIdentity(Frozen):
    """The operator as its invoices name it (EN 16931 BG-4) and the account it is paid on."""

    name: str
    street: str
    postcode: str
    city: str
    country: str = "BE"
    vat_number: str
    enterprise_number: str
    iban: str
    bic: str
    email: str | None = None
    note: str | None = None


class Catalog(Frozen):
    """One operator's price sheet: identity, conventions, and its versions in date order."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    name: str
    operator: str
    language: Language
    currency: Literal["EUR"] = "EUR"
    price_basis: PriceBasis
    source: str | None = None
    notes: tuple[str, ...] = ()
    seller: SellerIdentity | None = None
    versions: tuple[CatalogVersion, ...] = Field(min_length=1)


__all__ = ["Catalog", "CatalogVersion", "Charge", "Feature", "Item", "ItemKind", "Price", "Segment"]
