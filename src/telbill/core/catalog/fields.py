"""Field types shared by the catalog schema: exact amounts, percentages, codes, VAT short forms."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from telbill.core.errors import TelbillError
from telbill.core.money import CENT, to_decimal
from telbill.core.tax.treatment import VatTreatment


def _exact(value: Any) -> Decimal:
    try:
        return to_decimal(value)
    except TelbillError as error:
        # pydantic turns ValueError into a located validation error: the loader adds file:line:column.
        raise ValueError(error.message) from None


def _amount(value: Any) -> Decimal:
    amount = _exact(value)
    if amount < 0:
        raise ValueError(f"{value!r} is negative; catalog prices are never negative (compensations are credits)")
    if amount != amount.quantize(CENT):
        raise ValueError(f"{value!r} has digits below the cent")
    return amount.quantize(CENT)


def _percent(value: Any) -> Decimal:
    percent = _exact(value)
    if percent < 0:
        raise ValueError(f"{value!r} is a negative percentage")
    return percent


def _vat(value: Any) -> VatTreatment:
    if isinstance(value, VatTreatment):
        return value
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a VAT treatment (S21, S12, S6, Z, E:VATEX-…, O)")
    try:
        return VatTreatment.parse(value)
    except TelbillError as error:
        raise ValueError(error.message) from None


_EXACT_SCHEMA = {"anyOf": [{"type": "string", "pattern": r"^\d+(\.\d{1,2})?$"}, {"type": "integer"}]}

Amount = Annotated[
    Decimal,
    BeforeValidator(_amount),
    PlainSerializer(lambda d: f"{d:.2f}", return_type=str),
    WithJsonSchema({**_EXACT_SCHEMA, "description": 'EUR amount, a quoted string such as "13.50"'}),
]
Percent = Annotated[
    Decimal,
    BeforeValidator(_percent),
    PlainSerializer(lambda d: f"{d.normalize():f}", return_type=str),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "integer"}], "description": "percent: 50 = 50 %"}),
]
Vat = Annotated[
    VatTreatment,
    BeforeValidator(_vat),
    PlainSerializer(lambda t: t.code if t.exemption_code in (None, "VATEX-EU-O") else f"{t.code}:{t.exemption_code}"),
    WithJsonSchema({"type": "string", "pattern": r"^(S(21|12|6)|Z|O|E:VATEX-[A-Z0-9-]+)$"}),
]
CODE_PATTERN = r"^[A-Z0-9][A-Z0-9-]*[A-Z0-9]$"
