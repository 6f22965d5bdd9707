"""Service-assurance clauses as catalog data: business calendars, SLA classes and compensation rules.

Declared here so the catalog schema can state every clause of the seeds; the clocks and amounts are
computed by ``telbill.core.care`` (sla.py, coverage.py, compensation.py; docs/compensation.md).
"""

from __future__ import annotations

from datetime import time
from enum import Enum
from typing import Annotated, Literal

from pydantic import Field

from telbill.core.catalog.fields import CODE_PATTERN, Percent
from telbill.core.catalog.rules import FeeBasis, Frozen, Price

Code = Annotated[str, Field(pattern=CODE_PATTERN)]


class Weekday(Enum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"


class Calendar(Frozen):
    """When the clock runs: every hour (24/24) or working hours on working days outside public holidays."""

    code: Code
    label: str
    timezone: str = "Europe/Brussels"
    always_open: bool = False
    weekdays: tuple[Weekday, ...] = ()
    opens: time | None = None
    closes: time | None = None
    public_holidays: Literal["BE"] | None = None


class DeadlineKind(Enum):
    END_OF_NEXT_WORKING_DAY = "end_of_next_working_day"  # repaired before the end of the next working day
    WORKING_HOURS = "working_hours"  # within N hours counted on the class calendar
    WORKING_DAYS = "working_days"  # within N working days


class Deadline(Frozen):
    kind: DeadlineKind
    amount: int | None = Field(default=None, gt=0)


class SlaClass(Frozen):
    code: Code
    label: str
    lines: tuple[str, ...]  # the line types the class covers: classic, duo, isdn2, twin, isdn30, r2…
    calendar: Code
    deadline: Deadline
    complementary: bool = False  # a complementary subscription (Privilege Garantie, Office) on a base line


class DelayMeasure(Enum):
    WORKING_HOURS = "working_hours"
    ELAPSED_HOURS = "elapsed_hours"
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"


class Trigger(Enum):
    REPAIR = "repair"
    INSTALLATION = "installation"
    PORTING = "porting"


class DelayTier(Frozen):
    above: int = Field(ge=0)  # strictly more than this many units of the measure
    percent: Percent
    label: str | None = None


class DelayTiers(Frozen):
    """The highest tier the delay exceeds gives a percentage of the monthly fee (not cumulative)."""

    rule: Literal["delay_tiers"]
    measure: DelayMeasure
    of: FeeBasis
    tiers: tuple[DelayTier, ...] = Field(min_length=1)


class FeesPerDelayDay(Frozen):
    """``percent`` of the monthly fees for every started day of delay past the deadline."""

    rule: Literal["fees_per_delay_day"]
    percent: Percent
    of: FeeBasis


class InterruptionRefund(Frozen):
    """Refund of the subscription fees for the length of the interruption (pro rata by the day)."""

    rule: Literal["interruption_refund"]
    of: FeeBasis
    more_than_consecutive_days: int | None = None  # only for interruptions longer than this many days


class ThresholdAndDaily(Frozen):
    """A lump sum once the deadline is missed, plus an amount per day of delay beyond a given day."""

    rule: Literal["threshold_and_daily"]
    lump_sum: Price
    lump_sum_label: str | None = None
    daily: Price
    daily_label: str | None = None
    daily_beyond: Literal["deadline", "day_3", "end_of_next_working_day"]


class FeeMultipleOnce(Frozen):
    rule: Literal["fee_multiple_once"]
    percent: Percent
    of: FeeBasis


class PerUnitPerDay(Frozen):
    """An amount per unit (a ported number) and per day of delay; the sheet's cap is the amount itself."""

    rule: Literal["per_unit_per_day"]
    unit: str
    price: Price


CompensationRule = Annotated[
    DelayTiers | FeesPerDelayDay | InterruptionRefund | ThresholdAndDaily | FeeMultipleOnce | PerUnitPerDay,
    Field(discriminator="rule"),
]


class Compensation(Frozen):
    """A clause that makes the operator owe the customer; always outside the scope of VAT (category O)."""

    code: Code
    label: str
    language: str | None = None
    section: str | None = None
    trigger: Trigger
    sla_classes: tuple[Code, ...] = ()
    lines: tuple[str, ...] = ()
    on_request: bool = False  # paid only when the customer asks for it
    calendar: Code | None = None  # for clauses with their own deadline (installation)
    deadline: Deadline | None = None
    rule: CompensationRule
    interpretation: str | None = None
