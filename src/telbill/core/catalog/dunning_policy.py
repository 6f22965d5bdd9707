"""The dunning policy as catalog data: which steps chase a late payer, when, and which item each charges.

Declared here so each catalog version states its own ladder; ``telbill.core.receivables.dunning`` decides
with it. A ladder is zero or more reminders, then at most one suspension, then at most one handover to a
collection agency, each ``days`` after the due date of the oldest overdue item, strictly later than the
step before. A step's ``fee`` names a catalog item, priced for the customer's segment like any other item
(seed 004: ``REMINDER-FEE`` is EUR 13 residential / EUR 15 professional). The reactivation fee after a
suspension is the contract's (``ContractPolicies.reactivation_fee``): reactivating charges it, whatever the
reason of the suspension.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from pydantic import Field, model_validator

from telbill.core.catalog.fields import CODE_PATTERN
from telbill.core.catalog.rules import Frozen

Code = Annotated[str, Field(pattern=CODE_PATTERN)]


class DunningStepKind(Enum):
    REMINDER = "reminder"
    SUSPENSION = "suspension"
    COLLECTION = "collection"  # handover to a collection agency


_ORDER = {DunningStepKind.REMINDER: 0, DunningStepKind.SUSPENSION: 1, DunningStepKind.COLLECTION: 2}


class DunningStep(Frozen):
    step: DunningStepKind
    days: int = Field(gt=0)  # after the due date of the oldest overdue item
    fee: Code | None = None  # the catalog item this step charges


class DunningPolicy(Frozen):
    steps: tuple[DunningStep, ...] = Field(min_length=1)
    returned_debit_fee: Code | None = None  # charged when a direct debit comes back unpaid
    interpretation: str | None = None  # how the operator's rules were read, and why

    @model_validator(mode="after")
    def _a_ladder(self) -> DunningPolicy:
        for before, after in zip(self.steps, self.steps[1:], strict=False):
            if after.days <= before.days:
                raise ValueError(f"step {after.step.value} on day {after.days} does not come after day {before.days}")
            if _ORDER[after.step] < _ORDER[before.step]:
                raise ValueError(f"a {after.step.value} cannot follow a {before.step.value}")
            if after.step is before.step is not DunningStepKind.REMINDER:
                raise ValueError(f"a ladder has one {after.step.value} at most")
        return self
