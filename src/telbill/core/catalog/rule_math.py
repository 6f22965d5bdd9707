"""The arithmetic of each pricing rule kind: (rule, order) → net amount, quantity and a readable explanation.

One function per rule kind, chosen through a table (no chain of ifs). Prices come in through ``net_of``,
which turns a printed price into a net unit price by the catalog's price basis.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from telbill.core.catalog import rules as r
from telbill.core.catalog.inputs import (
    Order,
    decimal_param,
    money_param,
    positive_quantity,
    require_param,
    whole_quantity,
)
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.money import Money, total

NetOf = Callable[[r.Price], Money]
BasePrice = Callable[[str], Money]


@dataclass(frozen=True, slots=True)
class RuleResult:
    """``quantity`` is what was asked (50 minutes); ``billed`` is what the invoice line states so that
    billed quantity × unit price = net (4 started quarter hours × 16.53). Without it: 1 × net."""

    net: Money
    quantity: Decimal
    explanation: str
    billed: tuple[Decimal, Money, str] | None = None  # (billed quantity, net unit price, UN/ECE unit code)


_UNIT_CODES = {"metre": "MTR", "hour": "HUR", "day": "DAY", "minute": "MIN"}


def unit_code(unit: str, block: int = 1) -> str:
    """UN/ECE rec. 20 code of a catalog unit; blocks (quarter hours, groups of 10 calls) count as C62."""
    return _UNIT_CODES.get(unit, "C62") if block == 1 else "C62"


_ACCEPTED_PARAMS: dict[str, frozenset[str]] = {
    "percentage": frozenset({"unpaid_total", "of"}),
    "count_tiers": frozenset({"already"}),
    "on_quote": frozenset({"amount"}),
    "capped_deposit": frozenset({"amount"}),
    "fee_multiple": frozenset({"monthly_fee", "complementary_fee"}),
    "remaining_fees": frozenset({"monthly_fee", "months_remaining", "remaining_fees"}),
}


def price_rule(rule: r.Rule, order: Order, net_of: NetOf, base_price: BasePrice) -> RuleResult:
    if isinstance(rule, r.NotAvailable):
        # say that first: the parameters of an item that is not sold do not matter
        return _not_available(rule, order, net_of, base_price)
    accepted = _ACCEPTED_PARAMS.get(rule.rule, frozenset())
    if isinstance(rule, r.Variants):
        accepted = frozenset({rule.parameter})
    if rule.rule == "percentage":
        accepted = accepted | _base_params_passthrough(order)
    for name, _ in order.params:
        if name not in accepted:
            allowed = ", ".join(sorted(accepted)) or "none"
            raise TelbillError(
                "order.unknown_param",
                f"{order.code} ({rule.rule}) takes no parameter {name!r}; it takes: {allowed}",
                field=order.field(name),
            )
    handler: Callable[[Any, Order, NetOf, BasePrice], RuleResult] = _HANDLERS[type(rule)]
    return handler(rule, order, net_of, base_price)


def _base_params_passthrough(order: Order) -> frozenset[str]:
    # a social-rate order forwards its other parameters to the item it is a percentage of
    return frozenset(name for name, _ in order.params) if order.param("of") else frozenset()


def _flat(rule: r.Flat, order: Order, net_of: NetOf, _: BasePrice) -> RuleResult:
    count = whole_quantity(order)
    unit = net_of(rule.price)
    return RuleResult(unit.times(count), Decimal(count), f"{count} × {unit}", (Decimal(count), unit, "C62"))


def _per_unit(rule: r.PerUnit, order: Order, net_of: NetOf, _: BasePrice) -> RuleResult:
    quantity = positive_quantity(order)
    unit = net_of(rule.price)
    net = unit.times(quantity)
    explanation = f"{quantity} {rule.unit} × {unit} = {net}"
    if rule.minimum_per_order is not None:
        minimum = net_of(rule.minimum_per_order)
        if net < minimum:
            explanation += f"; below the minimum per order, so {minimum}"
            return RuleResult(minimum, quantity, explanation)
    return RuleResult(net, quantity, explanation, (quantity, unit, unit_code(rule.unit)))


def _per_started_unit(rule: r.PerStartedUnit, order: Order, net_of: NetOf, _: BasePrice) -> RuleResult:
    quantity = positive_quantity(order)
    blocks = math.ceil(quantity / rule.block)
    unit = net_of(rule.price)
    explanation = f"{quantity} {rule.unit} = {blocks} started block(s) of {rule.block} × {unit} = {unit.times(blocks)}"
    billed = (Decimal(blocks), unit, unit_code(rule.unit, rule.block))
    return RuleResult(unit.times(blocks), quantity, explanation, billed)


def _indivisible_periods(rule: r.IndivisiblePeriods, order: Order, net_of: NetOf, _: BasePrice) -> RuleResult:
    days = whole_quantity(order, default=None)
    periods = [(p.days, net_of(p.price)) for p in rule.periods]
    cost, used = cheapest_cover(days, periods)
    parts = " + ".join(f"{count} × {length} days at {price}" for length, price, count in used)
    return RuleResult(cost, Decimal(days), f"{days} days covered by {parts} = {cost}")


def cheapest_cover(days: int, periods: list[tuple[int, Money]]) -> tuple[Money, list[tuple[int, Money, int]]]:
    """Cheapest multiset of periods whose lengths add up to at least ``days``.

    Dynamic programming over the covered length, up to ``days`` plus the longest period. Ties go to the
    combination with fewer periods, so a month beats three equally priced 10-day periods.
    """
    horizon = days + max(length for length, _ in periods)
    best: list[tuple[Decimal, int, tuple[int, ...]] | None] = [None] * (horizon + 1)
    best[0] = (Decimal(0), 0, ())
    for covered in range(1, horizon + 1):
        for index, (length, price) in enumerate(periods):
            previous = best[covered - length] if covered >= length else None
            if previous is None:
                continue
            candidate = (previous[0] + price.amount, previous[1] + 1, (*previous[2], index))
            current = best[covered]
            if current is None or candidate[:2] < current[:2]:
                best[covered] = candidate
    winner = min((b for b in best[days:] if b is not None), key=lambda b: (b[0], b[1]))
    used = [(length, price, winner[2].count(i)) for i, (length, price) in enumerate(periods) if i in winner[2]]
    return Money.of(winner[0]), used


def _tiered_bands(rule: r.TieredBands, order: Order, net_of: NetOf, _: BasePrice) -> RuleResult:
    quantity = whole_quantity(order, default=None)
    charges: list[Money] = []
    words: list[str] = []
    for band in rule.bands:
        if quantity < band.from_:
            continue
        price = net_of(band.price)
        if band.charge is r.BandCharge.ONCE:
            charges.append(price)
            words.append(f"{band.label or f'from {band.from_}'}: {price}")
        else:
            top = quantity if band.to is None else min(quantity, band.to)
            units = top - band.from_ + 1
            charges.append(price.times(units))
            words.append(f"{units} {rule.unit} × {price}")
    net = total(charges)
    return RuleResult(net, Decimal(quantity), f"{quantity} {rule.unit}: " + " + ".join(words) + f" = {net}")


def _percentage(rule: r.Percentage, order: Order, net_of: NetOf, base_price: BasePrice) -> RuleResult:
    if rule.base is r.PercentBase.UNPAID_TOTAL:
        base = money_param(order, "unpaid_total")
        what = f"the unpaid total {base}"
    else:
        code = require_param(order, "of")
        if rule.of_items and code not in rule.of_items:
            raise TelbillError(
                "order.percentage_base",
                f"{order.code} applies only to {', '.join(rule.of_items)}, not {code}",
                field=order.field("of"),
            )
        base = base_price(code)
        what = f"the standard price of {code} ({base})"
    net = base.times(rule.percent / 100)
    explanation = f"{rule.percent.normalize():f} % of {what} = {net}"
    if rule.minimum is not None and net < net_of(rule.minimum):
        net = net_of(rule.minimum)
        explanation += f"; below the minimum, so {net}"
    return RuleResult(net, Decimal(1), explanation)


def _count_tiers(rule: r.CountTiers, order: Order, net_of: NetOf, _: BasePrice) -> RuleResult:
    count = whole_quantity(order)
    already = int(decimal_param(order, "already", Decimal(0)))
    charges: list[Money] = []
    for ordinal in range(already + 1, already + count + 1):
        tier = next(t for t in rule.tiers if t.from_ <= ordinal and (t.to is None or ordinal <= t.to))
        charges.append(Money.zero() if tier.price is None else net_of(tier.price))
    net = total(charges)
    first, last = already + 1, already + count
    return RuleResult(
        net,
        Decimal(count),
        f"{rule.counted} no. {first}–{last} in the {rule.within.replace('_', ' ')} = {net}",
    )


def _free(rule: r.Free, order: Order, net_of: NetOf, _: BasePrice) -> RuleResult:
    count = whole_quantity(order)
    return RuleResult(Money.zero(), Decimal(count), "free")


def _on_quote(rule: r.OnQuote, order: Order, net_of: NetOf, _: BasePrice) -> RuleResult:
    amount = money_param(order, "amount")
    return RuleResult(amount, Decimal(1), f"priced on quote: {amount} (VAT excluded)")


def _capped_deposit(rule: r.CappedDeposit, order: Order, net_of: NetOf, _: BasePrice) -> RuleResult:
    count = whole_quantity(order)
    amount = money_param(order, "amount")
    cap = net_of(rule.cap)
    if amount > cap:
        raise TelbillError(
            "order.above_cap", f"deposit {amount} is above the cap of {cap}", field=order.field("amount")
        )
    net = amount.times(count)
    return RuleResult(net, Decimal(count), f"{count} × deposit {amount} (cap {cap}) = {net}")


def _fee_multiple(rule: r.FeeMultiple, order: Order, net_of: NetOf, _: BasePrice) -> RuleResult:
    fees = money_param(order, "monthly_fee")
    if rule.of is r.FeeBasis.BASE_AND_COMPLEMENTARY and order.param("complementary_fee") is not None:
        fees = fees + money_param(order, "complementary_fee")
    net = fees.times(rule.percent / 100)
    return RuleResult(net, Decimal(1), f"{rule.percent.normalize():f} % of monthly fees {fees} = {net}")


def _remaining_fees(rule: r.RemainingFees, order: Order, net_of: NetOf, _: BasePrice) -> RuleResult:
    if order.param("remaining_fees") is not None:
        # the bill run knows the fees that remain, period by period (core.billing.contract_fees)
        remaining = money_param(order, "remaining_fees")
        net = remaining.times(rule.percent / 100)
        return RuleResult(net, Decimal(1), f"{rule.percent.normalize():f} % of the remaining fees {remaining} = {net}")
    fee = money_param(order, "monthly_fee")
    months = decimal_param(order, "months_remaining")
    if months > 12:
        raise TelbillError(
            "order.months_remaining",
            f"{months} months cannot remain in a first year",
            field=order.field("months_remaining"),
        )
    net = Money.rounded(fee.amount * months * rule.percent / 100)
    explanation = f"{rule.percent.normalize():f} % × {months} remaining month(s) × {fee} = {net}"
    return RuleResult(net, Decimal(1), explanation)


def _variants(rule: r.Variants, order: Order, net_of: NetOf, _: BasePrice) -> RuleResult:
    count = whole_quantity(order)
    chosen = require_param(order, rule.parameter)
    variant = next((v for v in rule.variants if v.value == chosen), None)
    if variant is None:
        values = ", ".join(v.value for v in rule.variants)
        raise TelbillError(
            "order.variant",
            f"{rule.parameter}={chosen} is not one of {values}",
            field=order.field(rule.parameter),
        )
    unit = net_of(variant.price)
    explanation = f"{rule.parameter} {chosen}: {count} × {unit}"
    return RuleResult(unit.times(count), Decimal(count), explanation, (Decimal(count), unit, "C62"))


def _not_available(rule: r.NotAvailable, order: Order, net_of: NetOf, _: BasePrice) -> RuleResult:
    raise TelbillError("pricing.not_available", f"{order.code} is not available here", ErrorKind.CONFLICT, order.code)


_HANDLERS: dict[type, Callable[[Any, Order, NetOf, BasePrice], RuleResult]] = {
    r.Flat: _flat,
    r.PerUnit: _per_unit,
    r.PerStartedUnit: _per_started_unit,
    r.IndivisiblePeriods: _indivisible_periods,
    r.TieredBands: _tiered_bands,
    r.Percentage: _percentage,
    r.CountTiers: _count_tiers,
    r.Free: _free,
    r.OnQuote: _on_quote,
    r.CappedDeposit: _capped_deposit,
    r.FeeMultiple: _fee_multiple,
    r.RemainingFees: _remaining_fees,
    r.Variants: _variants,
    r.NotAvailable: _not_available,
}
