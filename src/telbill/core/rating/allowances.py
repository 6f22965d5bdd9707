"""Allowances: usage included per billing period, consumed in time order per subscription.

Contract: the records of one subscription and one billing period that a rule sends to the same allowance
draw on it in the order of their start time (ties: record id). Each takes what it needs while some is left;
the record that crosses the boundary is split — its first units included, the rest charged at its own tariff
— and every later record is charged in full. The result does not depend on the order the records arrive in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telbill.core.rating.tables import RatingTables
from telbill.core.rating.tariff import Classified

GroupKey = tuple[str, object, str]  # (subscription, period start, allowance)


def consume(quantity: int, needs: Iterable[int]) -> list[int]:
    """How much of ``quantity`` each need in turn receives: all of it while enough is left, then what is left,
    then nothing."""
    left = quantity
    granted = []
    for need in needs:
        take = min(need, left)
        granted.append(take)
        left -= take
    return granted


def included_units(tables: RatingTables, classified: Sequence[Classified]) -> dict[int, int]:
    """Included units per position in ``classified`` (records outside every allowance get none)."""
    groups: dict[GroupKey, list[int]] = {}
    for position, item in enumerate(classified):
        if item.allowance is not None:
            key = (item.placed.subscription_id, item.placed.period_start, item.allowance)
            groups.setdefault(key, []).append(position)
    included = dict.fromkeys(range(len(classified)), 0)
    for (_, _, allowance), positions in groups.items():
        in_order = sorted(positions, key=lambda p: classified[p].placed.record.order_key)
        needs = (classified[p].rated_units for p in in_order)
        for position, granted in zip(in_order, consume(tables.allowance_quantity(allowance), needs), strict=True):
            included[position] = granted
    return included
