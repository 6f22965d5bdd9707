"""What a subscription is covered by: its line type, its SLA classes, and the monthly fees compensation counts in.

Catalog data says it (docs/compensation.md §2): a plan declares its line type with the feature ``line_type``
(``classic``, ``isdn30``, ``r2``…); an option that is a complementary subscription declares the SLA class it
buys with the feature ``sla_class`` (Privilege Garantie, Belgacom Office). The base class is the catalog's
first non-complementary class whose ``lines`` hold the line type. A plan without ``line_type`` (Telenet:
"Telenet ne propose pas de niveaux de qualité minimum") is covered by no class.

The fees are the **monthly fees as the customer pays them, VAT included**: « 1 mois de redevances
d'abonnement », like the TVAC figures the sheet pays for R2 and Privilege Garantie (docs/compensation.md
§1.1). Base: the plan's fee; complementary: the fees of the options that carry an ``sla_class``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from telbill.core.billing.charges import monthly_fee
from telbill.core.care.sla import SlaTerms, terms_of
from telbill.core.catalog.pricing import PricingContext
from telbill.core.catalog.rules import FeeBasis
from telbill.core.catalog.schema import Item
from telbill.core.errors import TelbillError
from telbill.core.money import Money, total

LINE_TYPE = "line_type"
SLA_CLASS = "sla_class"


@dataclass(frozen=True, slots=True)
class Fees:
    base: Money
    complementary: Money
    base_item: str | None = None
    complementary_items: tuple[str, ...] = ()

    def of(self, basis: FeeBasis) -> Money:
        return self.base if basis is FeeBasis.BASE else self.base + self.complementary

    def words(self, basis: FeeBasis) -> str:
        """``21.78``, or ``(21.78 + 24.20)`` with a complementary fee, for explanations."""
        if basis is FeeBasis.BASE or self.complementary.is_zero():
            return str(self.base)
        return f"({self.base} + {self.complementary})"


@dataclass(frozen=True, slots=True)
class Coverage:
    line_type: str | None
    classes: tuple[SlaTerms, ...]  # the base class first, then the complementary ones
    fees: Fees
    billing_day: int = 1

    def sla(self, code: str) -> SlaTerms | None:
        return next((terms for terms in self.classes if terms.code == code), None)

    @property
    def round_the_clock(self) -> bool:
        """A class works 24/24: interventions out of hours are included in the subscription."""
        return any(terms.calendar.always_open for terms in self.classes)


def feature(item: Item, name: str) -> str | None:
    return next((f.value for f in item.includes if f.feature == name), None)


def coverage_of(context: PricingContext, plan_code: str, options: Sequence[str], billing_day: int = 1) -> Coverage:
    """The coverage of a subscription on ``plan_code`` with ``options``, in the context's catalog version."""
    version = context.version
    plan = context.item(plan_code)
    line_type = feature(plan, LINE_TYPE)
    classes: list[SlaTerms] = []
    if line_type is not None:
        base = next((c for c in version.sla_classes if not c.complementary and line_type in c.lines), None)
        if base is None:
            raise TelbillError("sla.no_class", f"no SLA class of version {version.version} covers {line_type} lines")
        classes.append(terms_of(version, base.code))
    complements: list[str] = []
    for code in options:
        wanted = feature(context.item(code), SLA_CLASS)
        if wanted is not None:
            terms = terms_of(version, wanted)  # sla.unknown_class
            if not terms.complementary:
                raise TelbillError("sla.not_complementary", f"option {code} names {wanted}, not a complementary class")
            classes.append(terms)
            complements.append(code)
    fees = Fees(
        _gross(context, plan_code),
        total(_gross(context, code) for code in complements),
        plan_code,
        tuple(complements),
    )
    return Coverage(line_type, tuple(classes), fees, billing_day)


def _gross(context: PricingContext, code: str) -> Money:
    """The monthly fee VAT included: net + VAT of that one fee (the figure a TVAC sheet prints)."""
    return monthly_fee(context, code).indicative_gross
