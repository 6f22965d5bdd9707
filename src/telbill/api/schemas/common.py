"""Shapes shared by every resource, after TMF630 (the TM Forum API design guidelines).

- Field names are lowerCamelCase; ``@type`` names the resource class, ``@referredType`` what a reference
  points to; every resource has an ``id`` and an ``href``.
- ``Money`` is ``{"unit": "EUR", "value": 69.64}``: a JSON number, as TMF defines it, always written with at
  most two decimals (the amounts are exact decimals in telbill; two decimals survive any JSON parser).
- Responses are built from trusted values with ``model_construct`` (no second validation); requests are
  validated as usual. The representations the lists write (money, references, periods, bills, usage records) are
  each defined once as a plain dict in its model's field order (``*_json``), serialized by the lists with
  ``pydantic_core.to_json`` at a fraction of the cost of ``model_construct``, which looks up every default
  factory's signature on each call; the model of a single resource is built from that same dict (``money``,
  ``ref``, ``days``, ``summary_bill_out``, ``usage_out``), and tests compare the bytes of both.
- A ``TimePeriod`` of billing days is written as instants on the Brussels wall clock: from the first day at
  00:00 to the day after the last at 00:00 (the end excluded).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from telbill.core.care.instants import BRUSSELS, zone_of
from telbill.core.money import Money as DomainMoney

API_PREFIX = "/api/v1"
_ZONE = zone_of(BRUSSELS)


# an exact decimal quantity, written as a JSON number (pydantic reads the number's digits, never a float)
Quantity = Annotated[
    Decimal,
    Field(ge=0, le=Decimal(1_000_000_000)),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 1_000_000_000}),
]


class Tmf(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class Ref(Tmf):
    id: str
    href: str | None = None
    name: str | None = None
    referred_type: str | None = Field(default=None, alias="@referredType")


class Money(Tmf):
    unit: str = "EUR"
    value: float


class TimePeriod(Tmf):
    start_date_time: datetime | None = Field(default=None, alias="startDateTime")
    end_date_time: datetime | None = Field(default=None, alias="endDateTime")


class Characteristic(Tmf):
    name: str
    value: str
    value_type: str = Field(default="string", alias="valueType")


def money(amount: DomainMoney | Decimal | str) -> Money:
    return Money.model_construct(**money_json(amount))  # trusted values: no validation pass


@lru_cache(maxsize=4096)  # a list's dates repeat (issue dates, periods); the zone lookup is not free
def midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), _ZONE)


def days(start: date | None, last: date | None) -> TimePeriod | None:
    """A period of whole days, both ends included, as instants (the end excluded)."""
    found = days_json(start, last)
    return TimePeriod.model_construct(**found) if found is not None else None


def money_json(amount: DomainMoney | Decimal | str) -> dict[str, Any]:
    """An amount as ``Money`` writes it (its fields in order): the one definition, ``money`` builds on it."""
    value = amount.amount if isinstance(amount, DomainMoney) else Decimal(amount)
    return {"unit": "EUR", "value": float(value)}


def days_json(start: date | None, last: date | None) -> dict[str, Any] | None:
    """``days`` as ``TimePeriod`` writes it: the one definition, ``days`` builds on it."""
    if start is None:
        return None
    end = midnight(last) + timedelta(days=1) if last else None
    return {"startDateTime": midnight(start), "endDateTime": end}


def ref_json(kind: str, id: str, path: str, name: str | None = None) -> dict[str, Any]:
    """A reference as ``Ref`` writes it (its fields in order): the one definition, ``ref`` builds on it."""
    return {"id": id, "href": href(path), "name": name, "@referredType": kind}


def href(path: str) -> str:
    return f"{API_PREFIX}{path}"


def ref(kind: str, id: str, path: str, name: str | None = None) -> Ref:
    return Ref.model_construct(**ref_json(kind, id, path, name))
