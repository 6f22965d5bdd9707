"""Checks of printed prices against the catalog's VAT conventions (see docs/algorithms/vat.md).

Contract: every function is pure and returns findings as data, located by the field path of the printed
figure that is in question (the non-basis figure of a pair, the TVAC figure that no net reaches).

- ``price.pair_mismatch``: a price printed with both figures whose non-basis figure is not the one the
  catalog derives. With basis ``tvac`` the derived net is round_half_up(tvac / (1 + rate)); with basis
  ``htva`` the derived gross is round_half_up(htva × (1 + rate)). Pricing uses the derived figure, so the
  printed one is silently ignored: the operator should know.
- ``price.vat_on_untaxed``: an item without VAT (categories O, Z, E) printed with two different figures.
- ``price.gross_unreachable``: with basis ``tvac`` and a standard rate, a TVAC figure that no net amount in
  cents reaches, since one invoiced unit has gross = net + round_half_up(net × rate) (EN 16931 line VAT).
  3.72 at 21 %: net 3.07 gives 3.07 + 0.64 = 3.71 and net 3.08 gives 3.08 + 0.65 = 3.73.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum

from pydantic import BaseModel

from telbill.core.catalog.assurance import Compensation
from telbill.core.catalog.field_paths import FieldPath, warning_at
from telbill.core.catalog.rules import Price
from telbill.core.catalog.schema import Item, ItemKind
from telbill.core.errors import Finding
from telbill.core.money import CENT, Money
from telbill.core.tax.compute import PriceBasis, gross_from_net, net_from_gross, vat_of
from telbill.core.tax.treatment import VatCategory, VatTreatment

_WITHOUT_VAT = {
    VatCategory.OUTSIDE_SCOPE: "outside the scope of VAT",
    VatCategory.ZERO: "zero-rated",
    VatCategory.EXEMPT: "exempt from VAT",
}


def prices_in(node: object, path: FieldPath) -> Iterator[tuple[FieldPath, Price]]:
    """Every ``Price`` below a schema node, with its field path (aliases, as the file spells them)."""
    if isinstance(node, Price):
        yield path, node
    elif isinstance(node, BaseModel):
        for name, info in type(node).model_fields.items():
            yield from prices_in(getattr(node, name), (*path, info.alias or name))
    elif isinstance(node, tuple):
        for index, member in enumerate(node):
            yield from prices_in(member, (*path, index))
    elif isinstance(node, dict):
        for key, member in node.items():
            yield from prices_in(member, (*path, key.value if isinstance(key, Enum) else str(key)))


def check_item_prices(item: Item, path: FieldPath, basis: PriceBasis) -> list[Finding]:
    """All price findings of one item; an item without VAT treatment is left to ``item.no_vat``."""
    if item.vat is None:
        return []
    findings: list[Finding] = []
    for price_path, price in prices_in(item, path):
        if item.vat.rate == 0:
            findings += _untaxed_pair(item, price, price_path, basis)
        else:
            findings += _pair_mismatch(price, item.vat, price_path, basis)
            findings += _gross_unreachable(price, item.vat, price_path, basis)
    return findings


def check_compensation_prices(compensation: Compensation, path: FieldPath, basis: PriceBasis) -> list[Finding]:
    """A compensation is paid outside the scope of VAT: a TVAC/HTVA pair on it is an inconsistency."""
    findings: list[Finding] = []
    for price_path, price in prices_in(compensation.rule, (*path, "rule")):
        if price.tvac is None or price.htva is None or price.tvac == price.htva:
            continue
        used, ignored = ("tvac", "htva") if basis is PriceBasis.GROSS else ("htva", "tvac")
        message = (
            f"compensation {compensation.code} is outside the scope of VAT but printed with TVAC {price.tvac} and "
            f"HTVA {price.htva} figures; the customer is paid one amount, the {used.upper()} one"
        )
        findings.append(warning_at("price.vat_on_untaxed", message, (*price_path, ignored)))
    return findings


def _pair_mismatch(price: Price, vat: VatTreatment, path: FieldPath, basis: PriceBasis) -> list[Finding]:
    if price.tvac is None or price.htva is None:
        return []
    tvac, htva = Money.of(price.tvac), Money.of(price.htva)
    factor = f"{1 + vat.factor:f}"
    if basis is PriceBasis.GROSS:
        derived = net_from_gross(tvac, vat)
        if derived == htva:
            return []
        how = f"the basis is TVAC and {tvac} / {factor} = {derived} (half up), not the printed {htva}"
        derived_path = (*path, "htva")
    else:
        derived = gross_from_net(htva, vat)
        if derived == tvac:
            return []
        how = f"the basis is HTVA and {htva} × {factor} = {derived} (half up), not the printed {tvac}"
        derived_path = (*path, "tvac")
    message = f"TVAC {tvac} and HTVA {htva} disagree at {vat.rate} %: {how}; pricing uses {derived}"
    return [warning_at("price.pair_mismatch", message, derived_path)]


def _untaxed_pair(item: Item, price: Price, path: FieldPath, basis: PriceBasis) -> list[Finding]:
    if price.tvac is None or price.htva is None or price.tvac == price.htva:
        return []
    assert item.vat is not None  # checked by the caller
    what = "an indemnity" if item.kind is ItemKind.INDEMNITY else "an item"
    used, ignored = ("tvac", "htva") if basis is PriceBasis.GROSS else ("htva", "tvac")
    message = (
        f"{what} {_WITHOUT_VAT[item.vat.category]} ({item.vat.code}) is printed with TVAC {price.tvac} and "
        f"HTVA {price.htva} figures; without VAT they are one amount, and pricing uses the {used.upper()} one"
    )
    return [warning_at("price.vat_on_untaxed", message, (*path, ignored))]


def _gross_unreachable(price: Price, vat: VatTreatment, path: FieldPath, basis: PriceBasis) -> list[Finding]:
    if basis is not PriceBasis.GROSS or vat.category is not VatCategory.STANDARD or price.tvac is None:
        return []
    tvac = Money.of(price.tvac)
    below = _highest_net_not_above(tvac, vat)
    if _unit_gross(below, vat) == tvac:
        return []
    above = below + Money(CENT)
    message = (
        f"TVAC {tvac} is not the gross of any net amount at {vat.rate} %: net {below} gives "
        f"{_unit_gross(below, vat)} and net {above} gives {_unit_gross(above, vat)}, so an EN 16931 "
        f"invoice cannot show {tvac} for one unit"
    )
    return [warning_at("price.gross_unreachable", message, (*path, "tvac"))]


def _unit_gross(net: Money, vat: VatTreatment) -> Money:
    """The gross of one invoiced unit: its net plus the VAT of that net rounded on its own."""
    return net + vat_of(net, vat)


def _highest_net_not_above(gross: Money, vat: VatTreatment) -> Money:
    """The highest net in cents whose unit gross is at most ``gross``.

    The unit gross grows by one or two cents per cent of net, so the answer is within a cent or two of
    gross / (1 + rate): start there and step.
    """
    net = net_from_gross(gross, vat)
    step = Money(CENT)
    while net.amount > 0 and _unit_gross(net, vat) > gross:
        net = net - step
    while _unit_gross(net + step, vat) <= gross:
        net = net + step
    return net
