"""Pricing ONE record: the reference semantics that every engine reproduces (docs/algorithms/rating.md).

Steps, each a function:
1. ``place``: the contract checks (``records.check_row``), then the subscriber — the record goes to the
   subscription that holds its number and to the billing period of its local start date (a call that starts
   on the last evening of a period and ends in the next belongs wholly to the period it started in).
2. ``classify``: the roaming region of the country where it was used, the destination zone (longest prefix),
   the one rule for (service, region, zone) — hence the tariff and the allowance, if any — and the charging
   units the tariff bills (``rated_units``).
3. allowances (``allowances.py``) say how many of those units are included.
4. ``amount``: what the charged units cost — per-record charge + rate × units ÷ units per priced unit — rounded
   half-up to the cent, once per record. Nothing is charged for a record without charged units.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, tzinfo

from telbill.core.billing.cycles import period_containing
from telbill.core.catalog.usage import Service
from telbill.core.money import Money
from telbill.core.rating.records import (
    CdrRow,
    Placed,
    RatedRecord,
    RejectedRecord,
    RejectReason,
    Subscriber,
    check_row,
)
from telbill.core.rating.tables import RatingTables, TariffRow
from telbill.core.rating.zoning import is_canonical


@dataclass(frozen=True, slots=True)
class Classified:
    placed: Placed
    zone: str | None
    tariff: TariffRow
    allowance: str | None
    rated_units: int


def period_start(start_local_day: date, billing_day: int) -> date:
    return period_containing(start_local_day, billing_day).start


def place(row: CdrRow, subscribers: Mapping[str, Subscriber], zone: tzinfo) -> Placed | RejectedRecord:
    checked = check_row(row)
    if isinstance(checked, RejectReason):
        return RejectedRecord(row.record_id, checked)
    subscriber = subscribers.get(checked.subscriber)
    if subscriber is None:
        return RejectedRecord(checked.record_id, RejectReason.UNKNOWN_SUBSCRIBER)
    local_day = checked.start.astimezone(zone).date()
    return Placed(checked, subscriber.subscription_id, period_start(local_day, subscriber.billing_day))


def classify(tables: RatingTables, placed: Placed) -> Classified | RejectedRecord:
    record = placed.record
    region = tables.region_of(record.country)
    if region is None:
        return RejectedRecord(record.record_id, RejectReason.UNKNOWN_COUNTRY)
    zone = None
    if record.service is not Service.DATA:
        destination = record.destination
        zone = tables.zone_of(destination) if destination is not None and is_canonical(destination) else None
        if zone is None:
            return RejectedRecord(record.record_id, RejectReason.BAD_DESTINATION)
    rule = tables.rule(record.service, region, zone)
    tariff = tables.tariff(rule.tariff)
    return Classified(placed, zone, tariff, rule.allowance, rated_units(record.quantity, tariff))


def rated_units(quantity: int, tariff: TariffRow) -> int:
    """Charging units of a quantity: rounded up to whole units (bytes → kB), at least the minimum, then up to
    a multiple of the increment. No usage (an unanswered call, an empty session) bills nothing."""
    units = -(-quantity // tariff.unit_size)
    if units == 0:
        return 0
    units = max(units, tariff.minimum)
    return -(-units // tariff.increment) * tariff.increment


def amount(tariff: TariffRow, charged_units: int) -> Money:
    """per-record charge + rate × charged units ÷ units per priced unit, rounded half-up to the cent.

    The quotient is exact or, when it does not terminate (0.25 × 61 ÷ 60), at least 10⁻⁹ away from any
    half cent while Decimal keeps 28 significant digits: the one rounding decides it as exact arithmetic would.
    """
    if charged_units == 0:
        return Money.zero()
    return Money.rounded(tariff.per_record + tariff.rate * charged_units / tariff.units_per)


def rated(classified: Classified, included_units: int) -> RatedRecord:
    placed = classified.placed
    charged = classified.rated_units - included_units
    return RatedRecord(
        placed.record.record_id,
        placed.subscription_id,
        placed.period_start,
        classified.zone,
        classified.tariff.code,
        classified.allowance,
        classified.rated_units,
        included_units,
        charged,
        amount(classified.tariff, charged),
    )
