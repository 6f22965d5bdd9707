"""The import contract: a row of a usage file as people and switches write it → a checked ``UsageRecord``, or
the reason it goes to the quarantine.

Contract:
- ``RawUsage`` holds the text of the documented columns (docs/usage.md), as read; a reader turns typed
  Parquet values into the same text (a timestamp into ISO 8601 with its offset).
- ``parse_usage`` checks one row on its own and normalises its numbers (``zoning.normalise_number``); the
  import use case then checks what needs the store (subscriber, billing period, duplicates).
- ``content_fingerprint`` identifies a record's content whatever its spelling (``0470 12 34 56`` and
  ``+32470123456``, ``10:00+01:00`` and ``09:00Z``): the same id with another fingerprint is a conflict, the
  same id with the same fingerprint is the same record imported again.
- ``row_fingerprint`` identifies a quarantined row and its reason, so importing a file again quarantines
  nothing twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from telbill.core.catalog.usage import Service
from telbill.core.errors import TelbillError
from telbill.core.rating.records import UsageRecord, epoch_us
from telbill.core.rating.zoning import normalise_number

FIELDS = ("record_id", "subscriber", "start", "service", "country", "destination", "quantity")
QUANTITY_LIMIT = 10**15  # far above a year of seconds or a terabyte, far below the engines' 64-bit arithmetic


class QuarantineReason(Enum):
    MALFORMED = "malformed"  # a field missing or unreadable (id, time and its zone, service, country, quantity)
    UNPARSEABLE_NUMBER = "unparseable_number"
    NEGATIVE_QUANTITY = "negative_quantity"  # a negative duration, volume or count
    UNKNOWN_SUBSCRIBER = "unknown_subscriber"  # no subscription holds the number
    OUTSIDE_BILLING_PERIOD = "outside_billing_period"  # no subscription active then, or its period is billed
    CONFLICTING_DUPLICATE = "conflicting_duplicate"  # a known record id with other content
    NOT_RATED = "not_rated"  # the subscription's catalog cannot rate it (no usage tariffs, unknown country)


@dataclass(frozen=True, slots=True)
class RawUsage:
    row: int  # 1-based row of the file (CSV: the header is row 0)
    record_id: str | None
    subscriber: str | None
    start: str | None
    service: str | None
    country: str | None
    destination: str | None
    quantity: str | None
    problem: str | None = None  # what the reader found wrong with the row as a whole (too many fields)

    def fields(self) -> tuple[tuple[str, str | None], ...]:
        return tuple((name, getattr(self, name)) for name in FIELDS)


@dataclass(frozen=True, slots=True)
class Quarantine:
    reason: QuarantineReason
    message: str


def _text(value: str | None) -> str | None:
    stripped = value.strip() if value is not None else None
    return stripped or None


def parse_usage(raw: RawUsage, region: str = "BE") -> UsageRecord | Quarantine:
    if raw.problem is not None:
        return Quarantine(QuarantineReason.MALFORMED, raw.problem)
    text = {name: _text(value) for name, value in raw.fields()}
    missing = [name for name, value in text.items() if value is None and name != "destination"]
    if missing:
        return Quarantine(QuarantineReason.MALFORMED, f"missing {', '.join(missing)}")
    record_id, subscriber, start, service, country, quantity = (
        str(text[name]) for name in ("record_id", "subscriber", "start", "service", "country", "quantity")
    )
    kind = next((s for s in Service if s.value == service.lower()), None)
    if kind is None:
        return Quarantine(QuarantineReason.MALFORMED, f"service {service!r} is not voice, sms or data")
    when = _instant(start)
    if isinstance(when, Quarantine):
        return when
    amount = _quantity(quantity)
    if isinstance(amount, Quarantine):
        return amount
    if len(country) != 2 or not country.isascii() or not country.isalpha():
        return Quarantine(QuarantineReason.MALFORMED, f"country {country!r} is not an ISO 3166 code such as BE")
    try:
        number = normalise_number(subscriber, region)
        destination = None if kind is Service.DATA else _destination(text["destination"], region)
    except TelbillError as error:
        return Quarantine(QuarantineReason.UNPARSEABLE_NUMBER, error.message)
    return UsageRecord(record_id, number, when, kind, country.upper(), destination, amount)


def _instant(text: str) -> datetime | Quarantine:
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return Quarantine(QuarantineReason.MALFORMED, f"start {text!r} is not an ISO 8601 time")
    if when.tzinfo is None or when.utcoffset() is None:
        return Quarantine(QuarantineReason.MALFORMED, f"start {text!r} has no time zone (write +01:00 or Z)")
    return when


def _quantity(text: str) -> int | Quarantine:
    try:
        amount = int(text)
    except ValueError:
        return Quarantine(QuarantineReason.MALFORMED, f"quantity {text!r} is not a whole number")
    if amount < 0:
        return Quarantine(QuarantineReason.NEGATIVE_QUANTITY, f"negative quantity {amount}")
    if amount >= QUANTITY_LIMIT:
        return Quarantine(QuarantineReason.MALFORMED, f"quantity {amount} is implausibly large")
    return amount


def _destination(text: str | None, region: str) -> str:
    value = _text(text)
    if value is None:
        raise TelbillError("usage.number", "a call or SMS needs its destination number", field="destination")
    return normalise_number(value, region)


def content_fingerprint(record: UsageRecord) -> str:
    parts = (record.subscriber, str(epoch_us(record.start)), record.service.value, record.country,
             record.destination or "", str(record.quantity))  # fmt: skip
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def row_fingerprint(raw: RawUsage, reason: QuarantineReason) -> str:
    parts = [reason.value, *(value if value is not None else "\x00" for _, value in raw.fields()), raw.problem or ""]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
