"""Pricing: an order for a catalog item → one priced line with its provenance.

Every amount is computed on VAT-excluded (net) figures, because invoice lines carry net amounts (EN 16931).
A ``Price`` printed VAT-included is first turned into its net unit price by the catalog's price basis
(``unit_net``); quantities multiply that net unit price; the result is rounded with the one rounding
function. VAT is added per category on the invoice total, never here (see docs/algorithms/vat.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from telbill.core.catalog import rules as r
from telbill.core.catalog.inputs import Order
from telbill.core.catalog.rule_math import RuleResult, price_rule
from telbill.core.catalog.schema import Catalog, CatalogVersion, Item, Segment
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.money import Money
from telbill.core.tax.compute import PriceBasis, TaxableLine, Totals, compute_totals, gross_from_net, vat_of
from telbill.core.tax.treatment import VatTreatment


@dataclass(frozen=True, slots=True)
class Provenance:
    """Why a line is what it is: the same record later invoices carry for ``telbill explain``."""

    catalog_id: str
    catalog_version: str
    item_code: str
    rule: str
    inputs: tuple[tuple[str, str], ...]
    explanation: str


@dataclass(frozen=True, slots=True)
class PricedLine:
    """A priced order. ``quantity`` is what was asked; ``billed_quantity`` × ``unit_price`` = ``net`` is
    what an invoice line states (EN 16931 BR-LIN-04), in the UN/ECE ``unit_code``."""

    code: str
    label: str
    quantity: Decimal
    net: Money
    treatment: VatTreatment
    provenance: Provenance
    billed_quantity: Decimal = Decimal(1)
    unit_price: Money | None = None
    unit_code: str = "C62"

    def __post_init__(self) -> None:
        if self.unit_price is None:
            object.__setattr__(self, "unit_price", self.net)

    @property
    def indicative_vat(self) -> Money:
        """VAT of this line alone, for display only: invoice VAT is computed on the category total."""
        return vat_of(self.net, self.treatment)

    @property
    def indicative_gross(self) -> Money:
        return self.net + self.indicative_vat


@dataclass(frozen=True, slots=True)
class Quote:
    lines: tuple[PricedLine, ...]
    totals: Totals


@dataclass(frozen=True, slots=True, eq=False)  # identity: a context is a key of pricing memos
class PricingContext:
    catalog: Catalog
    version: CatalogVersion
    segment: Segment

    def item(self, code: str) -> Item:
        item = self.version.item(code)
        if item is None:
            raise TelbillError(
                "catalog.unknown_item",
                f"{code} is not an item of {self.catalog.id} version {self.version.version}",
                ErrorKind.NOT_FOUND,
                field=code,
            )
        return item


def unit_net(price: r.Price, treatment: VatTreatment, basis: PriceBasis) -> Money:
    """The net unit price of a printed price: the basis figure if printed, else derived from the other."""
    if treatment.rate == 0:
        # Without VAT both columns are the same amount; the basis figure wins if the sheet printed two.
        figure = price.tvac if basis is PriceBasis.GROSS and price.tvac is not None else price.htva
        return Money.of(figure if figure is not None else price.tvac)
    if basis is PriceBasis.GROSS and price.tvac is not None:
        return Money.rounded(price.tvac / (1 + treatment.factor))
    if price.htva is not None:
        return Money.of(price.htva)
    assert price.tvac is not None  # a Price has at least one figure
    return Money.rounded(price.tvac / (1 + treatment.factor))


def treatment_of(item: Item) -> VatTreatment:
    if item.vat is None:
        raise TelbillError("catalog.no_vat", f"{item.code} has no VAT treatment and cannot be priced", field=item.code)
    return item.vat


def rule_of(context: PricingContext, item: Item) -> r.Rule:
    rule = item.rule_for(context.segment)
    if rule is None:
        raise TelbillError(
            "pricing.no_segment_price",
            f"{item.code} has no price for {context.segment.value} customers",
            field=item.code,
        )
    return rule


def price_order(context: PricingContext, order: Order) -> PricedLine:
    item = context.item(order.code)
    treatment = treatment_of(item)
    rule = rule_of(context, item)

    def net_of(price: r.Price) -> Money:
        return unit_net(price, treatment, context.catalog.price_basis)

    result: RuleResult = price_rule(rule, order, net_of, _base_pricer(context, order))
    provenance = Provenance(
        context.catalog.id, context.version.version, item.code, rule.rule, order.params, result.explanation
    )
    if result.billed is None:
        return PricedLine(item.code, item.label, result.quantity, result.net, treatment, provenance)
    billed_quantity, unit_price, unit = result.billed
    return PricedLine(
        item.code, item.label, result.quantity, result.net, treatment, provenance, billed_quantity, unit_price, unit
    )


def _base_pricer(context: PricingContext, order: Order) -> Callable[[str], Money]:
    """For percentage rules: the standard price of another item, for the same quantity and parameters."""

    def price_of(code: str) -> Money:
        params = tuple((k, v) for k, v in order.params if k != "of")
        return price_order(context, Order(code, order.quantity, params)).net

    return price_of


def quote(context: PricingContext, orders: Sequence[Order]) -> Quote:
    lines = tuple(price_order(context, order) for order in orders)
    totals = compute_totals(TaxableLine(line.net, line.treatment) for line in lines)
    return Quote(lines, totals)


__all__ = [
    "PricedLine",
    "PricingContext",
    "Provenance",
    "Quote",
    "gross_from_net",
    "price_order",
    "quote",
    "unit_net",
]
