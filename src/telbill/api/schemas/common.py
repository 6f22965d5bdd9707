"""Shapes shared by every resource, after TMF630 (the TM Forum API design guidelines).

- Field names are lowerCamelCase; ``@type`` names the resource class, ``@referredType`` what a reference
  points to; every resource has an ``id`` and an ``href``.
- ``Money`` is ``{"unit": "EUR", "value": 69.64}``: a JSON number, as TMF defines it, always written with at
  most two decimals (the amounts are exact decimals in telbill; two decimals survive any JSON parser).
- Responses are built from trusted values with ``model_construct`` (no second validation); requests are
  validated as usual. The hot lists (bills, usage) build plain dicts in the models' field order instead and
  serialize them with ``pydantic_core.to_json``: the same bytes (tests compare them) at a fraction of the cost of
  ``model_construct``, which looks up every default factory's signature on each call.
- A ``TimePeriod`` of billing days is written as instants on the Brussels wall clock: from the first day at
  00:00 to the day after the last at 00:00 (the end excluded).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Annotated

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
    value = amount.amount if isinstance(amount, DomainMoney) else Decimal(amount)
    return Money.model_construct(unit="EUR", value=float(value))  # trusted values: no validation pass


@lru_cache(maxsize=4096)  # a list's dates repeat (issue dates, periods); the zone lookup is not free
def midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), _ZONE)


def days(start: date | None, last: date | None) -> TimePeriod | None:
    """A period of whole days, both ends included, as instants (the end excluded)."""
    if start is None:
        return None
    return TimePeriod(
        start_date_time=midnight(start), end_date_time=midnight(last) + timedelta(days=1) if last else None
    )


def money_json(amount: DomainMoney | Decimal | str) -> dict[str, object]:
    """``money`` as the dict the hot lists serialize (``Money``'s fields in order)."""
    value = amount.amount if isinstance(amount, DomainMoney) else Decimal(amount)
    return {"unit": "EUR", "value": float(value)}


def days_json(start: date | None, last: date | None) -> dict[str, object] | None:
    """``days`` as the dict the hot lists serialize."""
    if start is None:
        return None
    end = midnight(last) + timedelta(days=1) if last else None
    return {"startDateTime": midnight(start), "endDateTime": end}


def ref_json(kind: str, id: str, path: str, name: str | None = None) -> dict[str, object]:
    """``ref`` as the dict the hot lists serialize (``Ref``'s fields in order)."""
    return {"id": id, "href": API_PREFIX + path, "name": name, "@referredType": kind}


def href(path: str) -> str:
    return f"{API_PREFIX}{path}"


def ref(kind: str, id: str, path: str, name: str | None = None) -> Ref:
    return Ref.model_construct(id=id, href=href(path), name=name, referred_type=kind)
