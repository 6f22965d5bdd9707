"""Net, VAT and gross: the named algorithms (see docs/algorithms/vat.md for worked examples).

- ``PriceBasis`` says which figure of a price the operator declared. The other is derived through the one
  rounding function: ``net = round(gross / (1 + rate))`` or ``gross = round(net × (1 + rate))``.
- Invoice VAT follows EN 16931 (BR-CO-17): per VAT category and rate, VAT = round(sum of line net amounts ×
  rate). Per-line VAT is never rounded and added up; lines carry net amounts only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Protocol

from telbill.core.money import Money, total
from telbill.core.tax.treatment import VatCategory, VatTreatment

_ZERO = Decimal("0.00")


class PriceBasis(Enum):
    """Which figure of a price is authoritative; the other is derived by ``derive_*``."""

    NET = "htva"  # hors TVA / exclusief BTW: prices are declared VAT-excluded
    GROSS = "tvac"  # TVA comprise / inclusief BTW: prices are declared VAT-included


def gross_from_net(net: Money, treatment: VatTreatment) -> Money:
    return Money.rounded(net.amount * (1 + treatment.factor))


def net_from_gross(gross: Money, treatment: VatTreatment) -> Money:
    return Money.rounded(gross.amount / (1 + treatment.factor))


def vat_of(taxable: Money, treatment: VatTreatment) -> Money:
    """VAT on a taxable amount (a sum of line nets of one category and rate)."""
    return taxable.times(treatment.factor)


@dataclass(frozen=True, slots=True)
class TaxableLine:
    net: Money
    treatment: VatTreatment


@dataclass(frozen=True, slots=True)
class VatSubtotal:
    """EN 16931 BG-23: one per category and rate."""

    treatment: VatTreatment
    taxable: Money  # BT-116
    vat: Money  # BT-117

    @property
    def gross(self) -> Money:
        return self.taxable + self.vat


@dataclass(frozen=True, slots=True)
class Totals:
    subtotals: tuple[VatSubtotal, ...]
    net: Money  # BT-109: sum of line nets
    vat: Money  # BT-110
    gross: Money  # BT-112


_CATEGORY_ORDER = {
    VatCategory.STANDARD.value: 0,
    VatCategory.ZERO.value: 1,
    VatCategory.EXEMPT.value: 2,
    VatCategory.OUTSIDE_SCOPE.value: 3,
}


class Taxed(Protocol):
    """What the totals read of a line: a ``TaxableLine``, an invoice line or a charge line."""

    @property
    def net(self) -> Money: ...

    @property
    def treatment(self) -> VatTreatment: ...


def compute_totals(lines: Iterable[Taxed]) -> Totals:
    """Group lines by treatment, sum their nets, then compute and round VAT once per group."""
    subtotals = tuple(_subtotal(treatment, Money(taxable)) for treatment, taxable in _grouped(lines))
    net = total(s.taxable for s in subtotals)
    vat = total(s.vat for s in subtotals)
    return Totals(subtotals, net, vat, net + vat)


def _grouped(lines: Iterable[Taxed]) -> list[tuple[VatTreatment, Decimal]]:
    """(treatment, sum of the line nets) per treatment, in the order of ``_order`` (sums of cents: exact)."""
    # Lines share a few treatment objects: summed first by object identity (an int key), then merged by
    # equality, so that a treatment is hashed once per object rather than twice per line. The objects stay
    # referenced by ``treatments`` meanwhile, so no id() is reused. Every sum starts from 0.00, as a sum of
    # Money does (a lone −0.00 line sums to 0.00).
    treatments: dict[int, VatTreatment] = {}
    sums: dict[int, Decimal] = {}
    for line in lines:
        key = id(line.treatment)
        if key in sums:
            sums[key] += line.net.amount
        else:
            treatments[key] = line.treatment
            sums[key] = _ZERO + line.net.amount
    groups: dict[VatTreatment, Decimal] = {}
    for key, amount in sums.items():
        groups[treatments[key]] = groups.get(treatments[key], _ZERO) + amount
    ordered = sorted(groups, key=_order) if len(groups) > 1 else list(groups)
    return [(treatment, groups[treatment]) for treatment in ordered]


def _order(treatment: VatTreatment) -> tuple[int, Decimal, str]:
    return _CATEGORY_ORDER[treatment.category._value_], -treatment.rate, treatment.exemption_code or ""


def _subtotal(treatment: VatTreatment, taxable: Money) -> VatSubtotal:
    return VatSubtotal(treatment, taxable, vat_of(taxable, treatment))
