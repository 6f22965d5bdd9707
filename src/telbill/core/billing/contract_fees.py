"""Fees that the contract itself charges, derived from a subscription's timeline (seed 004, section 1).

- Early termination within the commitment (the first year): ``percent`` of the recurring fees that remain
  due until the first anniversary of activation. "Remaining fees" are computed exactly as the invoices
  would have charged them: period by period, prorated by actual days, each period rounded once.
- Reactivation after a suspension: the catalog's reactivation fee, on the day of the reactivation.
- A device (GSM) not returned within ``device_return_days`` calendar days of the connection.

Each returns ``PendingCharge``s with a deterministic id, so deriving them twice charges them once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from telbill.core.billing.charges import PendingCharge, PricingAt, monthly_fee
from telbill.core.billing.cycles import period_containing, prorate
from telbill.core.catalog.inputs import Order
from telbill.core.catalog.schema import ContractPolicies
from telbill.core.money import Money, total
from telbill.core.period import DateRange
from telbill.core.subscriptions import DeviceLoan, EventKind, Timeline


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    for candidate in (day.day, 30, 29, 28):  # 31 January + 1 month = 28 (or 29) February
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")


def remaining_fees(pricing_at: PricingAt, timeline: Timeline, until: date, billing_day: int) -> Money:
    """The recurring fees the subscription would still have been billed from its termination to ``until``."""
    assert timeline.terminated is not None
    codes = {s.item_code for s in timeline.spans if s.end == timeline.terminated}
    amounts: list[Money] = []
    start = timeline.terminated
    while start < until:
        period = period_containing(start, billing_day)
        part = DateRange(start, min(until, period.end))
        context = pricing_at(period.start)
        amounts += [prorate(monthly_fee(context, code).net, part.days, period) for code in sorted(codes)]
        start = part.end
    return total(amounts)


@dataclass(frozen=True, slots=True)
class ContractFacts:
    subscription_id: str
    timeline: Timeline
    reactivations: tuple[date, ...]
    billing_day: int


def early_termination(pricing_at: PricingAt, policies: ContractPolicies, facts: ContractFacts) -> PendingCharge | None:
    timeline = facts.timeline
    if policies.early_termination_fee is None or timeline.terminated is None or timeline.activated is None:
        return None
    anniversary = add_months(timeline.activated, policies.commitment_months)
    if timeline.terminated >= anniversary:
        return None
    remaining = remaining_fees(pricing_at, timeline, anniversary, facts.billing_day)
    if remaining.is_zero():
        return None
    order = Order(policies.early_termination_fee, None, (("remaining_fees", str(remaining)),))
    reason = f"terminated {timeline.terminated}, before {anniversary}"
    return PendingCharge(
        f"{facts.subscription_id}:early-termination", facts.subscription_id, order, timeline.terminated, reason
    )


def reactivation_fees(policies: ContractPolicies, facts: ContractFacts) -> list[PendingCharge]:
    if policies.reactivation_fee is None:
        return []
    return [
        PendingCharge(
            f"{facts.subscription_id}:reactivation:{day.isoformat()}",
            facts.subscription_id,
            Order(policies.reactivation_fee),
            day,
            f"reactivated {day}",
        )
        for day in facts.reactivations
    ]


def device_not_returned(
    policies: ContractPolicies, subscription_id: str, loan: DeviceLoan, today: date
) -> PendingCharge | None:
    """Charged the day after the last day to return the device, once that day has come."""
    if policies.device_not_returned_fee is None:
        return None
    deadline = loan.connected + timedelta(days=policies.device_return_days)
    if (loan.returned is not None and loan.returned <= deadline) or today <= deadline:
        return None
    due = deadline + timedelta(days=1)
    reason = f"device {loan.device_id} connected {loan.connected}, not returned by {deadline}"
    return PendingCharge(
        f"{subscription_id}:device-not-returned:{loan.device_id}",
        subscription_id,
        Order(policies.device_not_returned_fee),
        due,
        reason,
    )


def reactivation_days(events: tuple[tuple[EventKind, date], ...]) -> tuple[date, ...]:
    return tuple(day for kind, day in events if kind is EventKind.REACTIVATE)


__all__ = ["ContractFacts", "DeviceLoan", "early_termination", "reactivation_fees", "remaining_fees"]
