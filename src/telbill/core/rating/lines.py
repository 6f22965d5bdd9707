"""Rated usage → the charge lines of an invoice: one line per subscription, billing period and tariff.

Contract: a line's net amount is the sum of its records' amounts (each already rounded to the cent, so the
detail a customer sees adds up to the line exactly); it is stated as 1 × that amount (C62), because a
minimum charge, a per-call charge and per-record rounding make "units × rate" an approximation. A tariff
whose records were all included still gets its line, at 0.00: it tells the customer what the bundle covered,
and it is how those records are marked billed. The provenance carries the counts and the arithmetic;
the records themselves stay in the usage store for the detail (``telbill usage detail``).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from telbill.core.billing.charges import ChargeKind, ChargeLine
from telbill.core.catalog.pricing import Provenance
from telbill.core.catalog.usage import Service
from telbill.core.money import total
from telbill.core.period import DateRange
from telbill.core.rating.records import RatedRecord
from telbill.core.rating.tables import RatingTables, TariffRow

SOURCE_PREFIX = "usage"


def source_id(subscription_id: str, period_start: object, tariff: str) -> str:
    return f"{SOURCE_PREFIX}:{subscription_id}:{period_start}:{tariff}"


def parse_source_id(text: str) -> tuple[str, str, str]:
    """(subscription id, period start as ISO date, tariff) of a usage line's source id."""
    prefix, rest = text.split(":", 1)
    subscription_id, period_start, tariff = rest.rsplit(":", 2)
    if prefix != SOURCE_PREFIX:
        raise ValueError(f"{text!r} is not a usage source id")
    return subscription_id, period_start, tariff


def usage_lines(
    tables: RatingTables, subscription_id: str, period: DateRange, rated: Sequence[RatedRecord]
) -> list[ChargeLine]:
    """One line per tariff, in the catalog's order of tariffs."""
    lines = []
    for tariff in tables.tariffs:
        records = [r for r in rated if r.tariff == tariff.code]
        if records:
            lines.append(_line(tables, tariff, subscription_id, period, records))
    return lines


def _line(
    tables: RatingTables, tariff: TariffRow, subscription_id: str, period: DateRange, records: Sequence[RatedRecord]
) -> ChargeLine:
    net = total(r.amount for r in records)
    rated_units = sum(r.rated_units for r in records)
    included = sum(r.included_units for r in records)
    charged = sum(r.charged_units for r in records)
    explanation = f"{len(records)} × {_noun(tariff.service)}, {quantity_text(tariff.service, rated_units)} rated"
    if included:
        explanation += f", {quantity_text(tariff.service, included)} included"
    explanation += f"; {quantity_text(tariff.service, charged)} charged at {price_text(tariff)}"
    explanation += f"; the sum of the {len(records)} records' amounts, each rounded to the cent = {net}"
    inputs = (
        ("period", str(period)),
        ("records", str(len(records))),
        ("rated_units", str(rated_units)),
        ("included_units", str(included)),
        ("charged_units", str(charged)),
        ("rate", f"{tariff.rate.normalize():f}"),
        ("per_record", f"{tariff.per_record.normalize():f}"),
    )
    provenance = Provenance(tables.catalog_id, tables.version, tariff.code, "usage_rated", inputs, explanation)
    return ChargeLine(
        ChargeKind.USAGE,
        subscription_id,
        tariff.code,
        tariff.label,
        Decimal(1),
        net,
        "C62",
        net,
        tariff.treatment,
        provenance,
        period,
        source_id(subscription_id, period.start, tariff.code),
    )


def _noun(service: Service) -> str:
    return {Service.VOICE: "call", Service.SMS: "SMS", Service.DATA: "session"}[service]


def quantity_text(service: Service, units: int) -> str:
    """Charging units as people read them: 62 min 10 s, 3 SMS, 1 234.567 MB."""
    if service is Service.VOICE:
        minutes, seconds = divmod(units, 60)
        return f"{minutes} min {seconds:02} s" if minutes else f"{seconds} s"
    if service is Service.SMS:
        return f"{units} SMS"
    return f"{Decimal(units) / 1000:f} MB"


def _euros(value: Decimal) -> str:
    """A rate as printed: at least the cents, more decimals only when it has them (0.10, 0.0850)."""
    exact = value.normalize()
    return f"{exact:f}" if exact.as_tuple().exponent < -2 else f"{value:.2f}"  # type: ignore[operator]


def price_text(tariff: TariffRow) -> str:
    per = {Service.VOICE: "minute", Service.SMS: "SMS", Service.DATA: "MB"}[tariff.service]
    text = f"{_euros(tariff.rate)} per {per}"
    if tariff.per_record:
        text = f"{_euros(tariff.per_record)} per {_noun(tariff.service)} + " + text
    return text
