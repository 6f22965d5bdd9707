"""Pricing rule kinds, as data. Each rule states one way a row of a price sheet turns inputs into an amount.

The arithmetic lives in ``pricing.py``; this module only says what a catalog may declare. Every rule
carries the sheet's own words where the sheet has a row for a part of it (``label``), so the seed-coverage
test can find each priced row of the sheet in the catalog.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from telbill.core.catalog.fields import CODE_PATTERN, Amount, Percent


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Price(Frozen):
    """A price as the sheet prints it: VAT-excluded (htva), VAT-included (tvac), or both.

    The catalog's ``price_basis`` says which figure is authoritative; the other is derived with the one
    rounding function. When both are printed, ``catalog check`` reports pairs that disagree.
    """

    htva: Amount | None = None
    tvac: Amount | None = None

    @model_validator(mode="after")
    def _one_figure_at_least(self) -> Price:
        if self.htva is None and self.tvac is None:
            raise ValueError("a price needs htva or tvac (or both)")
        return self


class Flat(Frozen):
    rule: Literal["flat"]
    price: Price


class PerUnit(Frozen):
    """Price × quantity of a unit (metre, page, line, hour); optionally a minimum amount per order."""

    rule: Literal["per_unit"]
    unit: str
    price: Price
    minimum_per_order: Price | None = None
    minimum_label: str | None = None


class PerStartedUnit(Frozen):
    """Price per started block of ``block`` units: 50 minutes in quarter hours = 4 blocks."""

    rule: Literal["per_started_unit"]
    unit: str
    block: int = Field(gt=0)
    price: Price


class Period(Frozen):
    days: int = Field(gt=0)
    price: Price
    label: str | None = None


class IndivisiblePeriods(Frozen):
    """Indivisible periods; an asked duration is covered by the cheapest combination of them."""

    rule: Literal["indivisible_periods"]
    periods: tuple[Period, ...] = Field(min_length=1)


class BandCharge(Enum):
    ONCE = "once"  # the band's price once when the quantity reaches into the band ("1 to 3 days")
    PER_UNIT = "per_unit"  # the band's price per unit inside the band ("each extra day")


class Band(Frozen):
    from_: int = Field(alias="from", ge=1)
    to: int | None = None
    charge: BandCharge
    price: Price
    label: str | None = None


class TieredBands(Frozen):
    """Bands over a quantity; each band reached adds its price once or per unit inside it."""

    rule: Literal["tiered_bands"]
    unit: str
    bands: tuple[Band, ...] = Field(min_length=1)


class PercentBase(Enum):
    UNPAID_TOTAL = "unpaid_total"  # the total of the unpaid invoices (input ``unpaid_total``)
    ITEM_PRICE = "item_price"  # the standard price of another item of the catalog (input ``of``)


class Percentage(Frozen):
    rule: Literal["percentage"]
    percent: Percent
    base: PercentBase
    of_items: tuple[Annotated[str, Field(pattern=CODE_PATTERN)], ...] = ()
    minimum: Price | None = None


class OverlapResolution(Enum):
    FIRST_TIER_WINS = "first_tier_wins"


class CountTier(Frozen):
    from_: int = Field(alias="from", ge=1)
    to: int | None = None
    price: Price | None = None  # None: free
    label: str | None = None


class CountTiers(Frozen):
    """The n-th occurrence within a period is priced by the tier that holds n (the first 4 changes free…)."""

    rule: Literal["count_tiers"]
    counted: str
    within: Literal["calendar_year", "contract_year"]
    tiers: tuple[CountTier, ...] = Field(min_length=1)
    overlap: OverlapResolution | None = None  # how the sheet's own overlapping tiers are read


class Free(Frozen):
    rule: Literal["free"]


class OnQuote(Frozen):
    """Priced case by case ("frais évalués", "sur devis"): the order gives the amount (input ``amount``)."""

    rule: Literal["on_quote"]


class CappedDeposit(Frozen):
    """A deposit the operator sets per order, never above ``cap`` (input ``amount``)."""

    rule: Literal["capped_deposit"]
    cap: Price


class FeeBasis(Enum):
    BASE = "base"  # the base subscription fee
    BASE_AND_COMPLEMENTARY = "base_and_complementary"  # plus the complementary subscription fee, if any


class FeeMultiple(Frozen):
    """An amount stated in the subscriber's own monthly fees: 2 months of base subscription, 150 %…"""

    rule: Literal["fee_multiple"]
    percent: Percent  # 200 = two months
    of: FeeBasis


class RemainingFees(Frozen):
    """A percentage of the recurring fees still due until the end of the first contract year."""

    rule: Literal["remaining_fees"]
    percent: Percent
    until: Literal["end_of_first_year"]


class Variant(Frozen):
    value: str
    price: Price
    label: str | None = None


class Variants(Frozen):
    """The price depends on a declared parameter (e.g. the device range)."""

    rule: Literal["variants"]
    parameter: str
    variants: tuple[Variant, ...] = Field(min_length=1)


class NotAvailable(Frozen):
    """Listed by the sheet but not sold (to this segment)."""

    rule: Literal["not_available"]
    label: str | None = None


Rule = Annotated[
    Flat
    | PerUnit
    | PerStartedUnit
    | IndivisiblePeriods
    | TieredBands
    | Percentage
    | CountTiers
    | Free
    | OnQuote
    | CappedDeposit
    | FeeMultiple
    | RemainingFees
    | Variants
    | NotAvailable,
    Field(discriminator="rule"),
]
