"""Charge lines: the seam between "what happened" and "what is invoiced".

Recurring fees are billed in advance and reconciled: for every period from the subscription's first up to
the period being billed, the amount the timeline calls for (``expected``) is compared with what earlier
invoices already charged for that item and period (``billed``), and the difference becomes a line — a
charge, or a credit when a termination, a removed option or a plan change makes the earlier advance too
large. Running it again after the invoice is issued yields nothing: the bill run is idempotent by
construction, and a late event is corrected on the next invoice (docs/algorithms/proration.md).

One-time charges (installations, fees, contract fees) are priced at the catalog version in effect on the
day they happened. Usage and compensation lines join here in later issues.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import lru_cache

from telbill.core.billing.cycles import period_containing, periods_between, prorate
from telbill.core.catalog.inputs import Order
from telbill.core.catalog.pricing import PricedLine, PricingContext, Provenance, price_order
from telbill.core.money import Money, total
from telbill.core.period import DateRange
from telbill.core.subscriptions import Timeline
from telbill.core.tax.treatment import VatTreatment

PricingAt = Callable[[date], PricingContext]  # the pricing context in effect on a day


class ChargeKind(Enum):
    RECURRING = "recurring"
    ONE_TIME = "one_time"
    USAGE = "usage"
    COMPENSATION = "compensation"


@dataclass(frozen=True, slots=True)
class ChargeLine:
    """A line to invoice: net amount, how an invoice states it, where it comes from."""

    kind: ChargeKind
    subscription_id: str | None
    item_code: str
    label: str
    billed_quantity: Decimal
    unit_price: Money
    unit_code: str
    net: Money
    treatment: VatTreatment
    provenance: Provenance
    service_period: DateRange | None = None
    source_id: str | None = None  # the pending charge it bills, so it is billed once
    day: date | None = None  # when a one-time charge happened
    period_start: date | None = None  # the billing period a recurring line reconciles


@dataclass(frozen=True, slots=True)
class BilledRecurring:
    """What an earlier invoice charged for one recurring item of a subscription in one period."""

    subscription_id: str
    item_code: str
    period_start: date
    amount: Money


@dataclass(frozen=True, slots=True)
class PendingCharge:
    """A one-time charge waiting for the next invoice (installation, requested document, contract fee)."""

    id: str
    subscription_id: str | None
    order: Order
    day: date
    reason: str


@dataclass(frozen=True, slots=True)
class RecurringRequest:
    subscription_id: str
    timeline: Timeline
    billing_day: int
    target: DateRange  # the period billed in advance
    billed: tuple[BilledRecurring, ...] = ()


def recurring_charges(pricing_at: PricingAt, request: RecurringRequest) -> list[ChargeLine]:
    timeline = request.timeline
    if timeline.activated is None:
        return []
    first = period_containing(timeline.activated, request.billing_day)
    if first.start > request.target.start:
        return []
    billed: dict[tuple[str, date], list[Money]] = {}
    for entry in request.billed:
        billed.setdefault((entry.item_code, entry.period_start), []).append(entry.amount)
    lines: list[ChargeLine] = []
    for period in periods_between(first, request.target, request.billing_day):
        items = {s.item_code for s in timeline.spans if s.within(period)}
        items |= {code for code, start in billed if start == period.start}
        context = pricing_at(period.start)
        for code in sorted(items):
            line = _reconcile(context, request, period, code, total(billed.get((code, period.start), [])))
            if line is not None:
                lines.append(line)
    return lines


@lru_cache(maxsize=4096)
def monthly_fee(context: PricingContext, code: str) -> PricedLine:
    """The recurring fee of an item; pure, so memoised by context identity (a bill run prices the same
    few plans and options for every account)."""
    return price_order(context, Order(code))


def active_days(timeline: Timeline, code: str, period: DateRange) -> int:
    return sum(r.days for r in _active_ranges(timeline, code, period))


def _active_ranges(timeline: Timeline, code: str, period: DateRange) -> list[DateRange]:
    return [r for s in timeline.spans if s.item_code == code and (r := s.within(period)) is not None]


@dataclass(frozen=True, slots=True)
class _Difference:
    """What a recurring line says, whatever the subscription: the same for every account billed the same."""

    label: str
    quantity: Decimal
    unit_price: Money
    amount: Money
    treatment: VatTreatment
    provenance: Provenance


def _reconcile(
    context: PricingContext, request: RecurringRequest, period: DateRange, code: str, already: Money
) -> ChargeLine | None:
    ranges = _active_ranges(request.timeline, code, period)
    days = sum(r.days for r in ranges)
    # already.amount.is_signed() tells -0.00 from 0.00, which are equal as keys but printed apart
    found = _difference(context, code, period.start, period.end, days, already.amount, already.amount.is_signed())
    if found is None:
        return None
    shown = ranges[0] if len(ranges) == 1 and not found.amount.is_negative() else period
    return ChargeLine(
        ChargeKind.RECURRING,
        request.subscription_id,
        code,
        found.label,
        found.quantity,
        found.unit_price,
        "C62",
        found.amount,
        found.treatment,
        found.provenance,
        shown,
        period_start=period.start,
    )


@lru_cache(maxsize=4096)
def _difference(
    context: PricingContext, code: str, start: date, end: date, days: int, billed: Decimal, _signed: bool
) -> _Difference | None:
    """Expected − already billed for one item and period, with its provenance. Pure, so memoised: its key is
    made of values that hash in C (the context by identity, as ``monthly_fee``), and thousands of accounts
    share a plan, a period and what they were billed for it."""
    period, already = DateRange(start, end), Money(billed)
    fee = monthly_fee(context, code)
    expected = prorate(fee.net, days, period)
    difference = expected - already
    if difference.is_zero():
        return None
    share = "the whole period" if days == period.days else f"{days} of {period.days} days"
    explanation = f"{fee.net} per period × {share} = {expected}"
    if not already.is_zero():
        explanation += f"; already billed {already}; difference {difference}"
    # the label is the catalog's (in the sheet's language); the dates travel as the line's service period
    # and the arithmetic as its provenance, which the documents print under the label
    inputs = (
        ("period", str(period)),
        ("active_days", str(days)),
        ("period_days", str(period.days)),
        ("monthly_fee", str(fee.net)),
        ("already_billed", str(already)),
    )
    provenance = Provenance(
        context.catalog.id, context.version.version, code, "recurring_prorated_by_days", inputs, explanation
    )
    quantity = Decimal(1) if not difference.is_negative() else Decimal(-1)
    unit_price = difference if not difference.is_negative() else -difference
    return _Difference(fee.label, quantity, unit_price, difference, fee.treatment, provenance)


def one_time_charges(pricing_at: PricingAt, pending: Iterable[PendingCharge]) -> list[ChargeLine]:
    return [_one_time(pricing_at(charge.day), charge) for charge in pending]


@lru_cache(maxsize=4096)
def _priced(context: PricingContext, order: Order) -> PricedLine:
    """A one-time order's price: pure, so memoised like ``monthly_fee`` (a bill run prices the same
    installations and fees for many accounts)."""
    return price_order(context, order)


def _one_time(context: PricingContext, charge: PendingCharge) -> ChargeLine:
    priced = _priced(context, charge.order)
    assert priced.unit_price is not None  # PricedLine fills it in
    label = priced.label if not charge.reason else f"{priced.label} — {charge.reason}"
    return ChargeLine(
        ChargeKind.ONE_TIME,
        charge.subscription_id,
        priced.code,
        label,
        priced.billed_quantity,
        priced.unit_price,
        priced.unit_code,
        priced.net,
        priced.treatment,
        priced.provenance,
        None,
        charge.id,
        charge.day,
    )


def net_total(lines: Sequence[ChargeLine]) -> Money:
    return total(line.net for line in lines)
