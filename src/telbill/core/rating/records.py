"""The usage-record contract: what a call, an SMS or a data session is before and after rating.

Contract:
- ``CdrRow`` is a row as a rating engine reads it (docs/usage.md, "rating input"): nothing is checked yet.
  ``check_row`` turns it into a ``UsageRecord`` or names the first broken rule, in the fixed order of
  ``RejectReason`` (the engines test the same conditions in the same order, so they reject alike).
- ``UsageRecord`` is a checked record: an id, the subscriber's number and the destination in canonical form
  (``zoning.py``), an aware start time, the country where it was used, and a non-negative quantity —
  seconds (voice), messages (SMS) or bytes (data).
- ``RatedRecord`` is the result: the charging units the tariff bills (``rated_units``), how many of them an
  allowance covers (``included_units``) and how many are charged, and the amount, rounded to the cent per
  record. ``included_units + charged_units == rated_units`` always.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import Enum

from telbill.core.catalog.usage import Service
from telbill.core.errors import TelbillError
from telbill.core.money import Money

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


class RejectReason(Enum):
    """Why a row is not rated, in the order the conditions are tested."""

    MISSING_FIELD = "missing_field"  # no id, subscriber, start, service, country or quantity
    UNKNOWN_SERVICE = "unknown_service"  # not voice, sms or data
    NEGATIVE_QUANTITY = "negative_quantity"
    UNKNOWN_SUBSCRIBER = "unknown_subscriber"  # the number is no subscriber's
    UNKNOWN_COUNTRY = "unknown_country"  # not an ISO 3166 country code
    BAD_DESTINATION = "bad_destination"  # a call or SMS without a canonical destination number


def epoch_us(instant: datetime) -> int:
    """Microseconds since 1970-01-01 UTC, exactly (no float on the way)."""
    return (instant - EPOCH) // _MICROSECOND


@dataclass(frozen=True, slots=True)
class CdrRow:
    record_id: str | None
    subscriber: str | None
    start: datetime | None
    service: str | None
    country: str | None
    destination: str | None
    quantity: int | None


@dataclass(frozen=True, slots=True)
class UsageRecord:
    record_id: str
    subscriber: str
    start: datetime
    service: Service
    country: str
    destination: str | None  # None for data
    quantity: int

    def __post_init__(self) -> None:
        if not self.record_id:
            raise TelbillError("usage.record_id", "a usage record needs an id", field="record_id")
        if self.start.tzinfo is None or self.start.utcoffset() is None:
            raise TelbillError("usage.naive_time", f"{self.record_id}: the start time has no time zone")
        if self.quantity < 0:
            raise TelbillError("usage.negative", f"{self.record_id}: negative quantity {self.quantity}")

    @property
    def start_us(self) -> int:
        return epoch_us(self.start)

    @property
    def order_key(self) -> tuple[int, str]:
        """Time order, ties broken by record id: the order in which allowances are consumed."""
        return (self.start_us, self.record_id)


@dataclass(frozen=True, slots=True)
class Subscriber:
    """A number and the subscription whose allowances and bill its usage goes to."""

    number: str
    subscription_id: str
    billing_day: int


@dataclass(frozen=True, slots=True)
class Placed:
    """A checked record in its subscription and billing period."""

    record: UsageRecord
    subscription_id: str
    period_start: date


@dataclass(frozen=True, slots=True)
class RatedRecord:
    record_id: str
    subscription_id: str
    period_start: date
    zone: str | None  # None for data
    tariff: str
    allowance: str | None
    rated_units: int
    included_units: int
    charged_units: int
    amount: Money

    def __post_init__(self) -> None:
        if min(self.included_units, self.charged_units) < 0 or (
            self.included_units + self.charged_units != self.rated_units
        ):
            raise TelbillError(
                "rating.units",
                f"{self.record_id}: {self.included_units} included + {self.charged_units} charged "
                f"≠ {self.rated_units} rated",
            )


@dataclass(frozen=True, slots=True)
class RejectedRecord:
    record_id: str | None
    reason: RejectReason


Rating = RatedRecord | RejectedRecord


def check_row(row: CdrRow) -> UsageRecord | RejectReason:
    """The contract checks that need no table: fields present, service known, quantity not negative."""
    if (
        not row.record_id
        or row.subscriber is None
        or row.start is None
        or row.service is None
        or row.country is None
        or row.quantity is None
    ):
        return RejectReason.MISSING_FIELD
    service = next((s for s in Service if s.value == row.service), None)
    if service is None:
        return RejectReason.UNKNOWN_SERVICE
    if row.quantity < 0:
        return RejectReason.NEGATIVE_QUANTITY
    destination = None if service is Service.DATA else row.destination
    return UsageRecord(row.record_id, row.subscriber, row.start, service, row.country, destination, row.quantity)
