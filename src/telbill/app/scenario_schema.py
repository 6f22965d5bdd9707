"""The scenario file format (docs/scenarios.md): one account's timeline, and optionally the documents it must
produce. Validated strictly: unknown fields are errors, amounts are strings, events are in date order."""

from __future__ import annotations

from datetime import date, datetime, time
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

TicketAction = Literal[
    "registered",
    "acknowledged",
    "appointment_proposed",
    "appointment_accepted",
    "paused",
    "resumed",
    "repaired",
    "closed",
    "compensation_requested",
]


class PartSpec(Strict):
    description: str
    warranty: bool = False
    quote: Amount | None = None  # its price, where parts are priced on quote


class InterventionSpec(Strict):
    """A technician's report (docs/compensation.md §5)."""

    id: str
    equipment: Literal["infrastructure", "terminal_rented", "terminal_sold"]
    fault: Literal["operator", "customer", "third_party"]
    maintenance_contract: bool = False
    travel: bool = True
    minutes: int = 0
    parts: tuple[PartSpec, ...] = ()
    out_of_hours: bool = False
    light: bool = False
    terminal_replaced: bool = False
    quote: Amount | None = None  # the whole repair, where the catalog prices paid repairs on quote


class UsageSpec(Strict):
    """A call, SMS or data session (docs/usage.md): ``quantity`` is seconds, messages or bytes."""

    id: str | None = None  # the record id (default: the account, the event's index and the record's position)
    at: str = "12:00"  # a wall-clock time on the event's day, or an ISO 8601 instant with its offset
    number: str  # the subscriber's number
    service: Literal["voice", "sms", "data"]
    to: str | None = None  # the number called or texted
    country: str = "BE"  # where it was used
    quantity: int


class PaymentSpec(Strict):
    """A transfer the operator receives on the event's day, imported as a bank statement line."""

    amount: str  # "34.49"
    reference: str | None = None  # the document whose structured communication the payer quotes
    payer: str | None = None  # the payer's name (default: the customer's)


class Event(Strict):
    """One dated event; exactly one of ``do``, ``charge``, ``bill``, ``credit``, ``event`` (of a ticket),
    ``intervention``, ``usage``, ``pay`` and ``dunning`` says what happens (docs/scenarios.md)."""

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
    # service assurance (docs/compensation.md §7): tickets, installation and porting dates, interventions
    at: time | None = None  # the Brussels wall-clock time of a ticket event (00:00 when not given)
    ticket: str | None = None  # the ticket of ``event``; the id of an installation or porting ticket
    event: TicketAction | None = None  # a ticket event
    slot: datetime | None = None  # the appointment offered (Brussels wall clock)
    note: str = ""
    due: date | None = None  # the agreed date of an installation (ready for service) or of a porting
    numbers: tuple[str, ...] = ()  # the numbers of a porting (or ``number`` for one)
    intervention: InterventionSpec | None = None
    pay: PaymentSpec | None = None  # a transfer received (docs/scenarios.md)
    dunning: Literal["run"] | None = None  # a dunning run on the event's day
    usage: UsageSpec | tuple[UsageSpec, ...] | None = None  # calls, SMS, data sessions (docs/usage.md)

    @model_validator(mode="after")
    def _one_action(self) -> Event:
        names = ("do", "charge", "bill", "credit", "event", "intervention", "pay", "dunning", "usage")
        actions = [name for name in names if getattr(self, name) is not None]
        if len(actions) != 1:
            raise ValueError(f"an event needs exactly one of {', '.join(names)} (got {actions or 'none'})")
        if self.do is not None and self.subscription is None:
            raise ValueError(f"'{self.do}' needs the subscription it applies to")
        return self

    @model_validator(mode="after")
    def _care_fields(self) -> Event:
        if self.event is not None and (self.ticket is None or self.at is None):
            raise ValueError(f"ticket event '{self.event}' needs the ticket and the time it happened (at)")
        if self.event == "registered" and self.subscription is None:
            raise ValueError("a ticket is registered on a subscription")
        if (self.slot is not None) != (self.event == "appointment_proposed"):
            raise ValueError("an appointment_proposed event, and only it, gives the slot offered")
        if self.intervention is not None and self.subscription is None:
            raise ValueError("an intervention is reported on a subscription")
        if self.due is not None and self.do not in ("request_installation", "request_porting"):
            raise ValueError("due is the agreed date of request_installation or request_porting")
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
