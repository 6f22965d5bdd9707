"""The scenario file format (docs/scenarios.md): one account's timeline, and optionally the documents it must
produce. Validated strictly: unknown fields are errors, amounts are strings, events are in date order."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from telbill.core.catalog.fields import Amount


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Customer(Strict):
    id: str
    name: str
    segment: Literal["residential", "professional"]
    language: Literal["fr", "nl", "en"]
    street: str
    postcode: str
    city: str
    country: str = "BE"
    enterprise_number: str | None = None
    vat_number: str | None = None
    email: str | None = None
    billing_day: int = 1
    payment_terms_days: int = 30


class SubscriptionSpec(Strict):
    id: str
    plan: str
    options: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()


LifecycleAction = Literal[
    "request_installation",
    "installation_done",
    "activate",
    "add_option",
    "remove_option",
    "change_plan",
    "suspend",
    "reactivate",
    "terminate",
    "lend_device",
    "return_device",
    "request_porting",
    "complete_porting",
]


class Event(Strict):
    """One dated event; exactly one of ``do``, ``charge``, ``bill`` and ``credit`` says what happens."""

    on: date
    do: LifecycleAction | None = None
    subscription: str | None = None
    item: str | None = None  # the option, the new plan, the device
    number: str | None = None  # the ported number
    charge: str | None = None  # a one-off item of the catalog
    quantity: str | int | None = None
    params: dict[str, str] = Field(default_factory=dict)
    reason: str = ""
    bill: str | None = None  # a bill run for the period YYYY-MM, issued on ``on``
    credit: str | None = None  # a credit note for this invoice number
    lines: tuple[int, ...] | None = None  # the invoice lines to credit (default: all)

    @model_validator(mode="after")
    def _one_action(self) -> Event:
        actions = [name for name in ("do", "charge", "bill", "credit") if getattr(self, name) is not None]
        if len(actions) != 1:
            raise ValueError(f"an event needs exactly one of do, charge, bill, credit (got {actions or 'none'})")
        if self.do is not None and self.subscription is None:
            raise ValueError(f"'{self.do}' needs the subscription it applies to")
        return self


class ExpectedLine(Strict):
    item: str
    net: str


class ExpectedDocument(Strict):
    number: str
    type: Literal["invoice", "credit_note"]
    out_of_scope: bool = False
    lines: tuple[ExpectedLine, ...] | None = None
    net: Amount | None = None
    vat: Amount | None = None
    gross: Amount | None = None


class Scenario(Strict):
    name: str
    description: str = ""
    catalog: str
    customer: Customer
    subscriptions: tuple[SubscriptionSpec, ...] = ()
    events: tuple[Event, ...] = Field(min_length=1)
    expect: tuple[ExpectedDocument, ...] | None = None

    @model_validator(mode="after")
    def _timeline_is_possible(self) -> Scenario:
        for index in range(1, len(self.events)):
            if self.events[index].on < self.events[index - 1].on:
                before = self.events[index - 1].on
                raise ValueError(f"events[{index}] on {self.events[index].on} comes after an event on {before}")
        known = {s.id for s in self.subscriptions}
        for index, event in enumerate(self.events):
            if event.subscription is not None and event.subscription not in known:
                raise ValueError(f"events[{index}] names subscription {event.subscription!r}, not declared")
        return self
