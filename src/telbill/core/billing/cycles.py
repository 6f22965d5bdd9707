"""Billing cycles: monthly periods anchored on the account's billing day, and the proration factor.

Contract:
- A billing period runs from the billing day of one month to the billing day of the next, half-open:
  with billing day 1 the period 2026-03 is [1 March, 1 April). Billing days are 1–28 so that every month
  has one.
- Proration by actual days: a recurring fee for part of a period is fee × active days / days in that
  period, rounded once with the one rounding function (docs/algorithms/proration.md).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from telbill.core.errors import TelbillError
from telbill.core.money import Money
from telbill.core.period import DateRange


def check_billing_day(day: int) -> int:
    if not 1 <= day <= 28:
        raise TelbillError("account.billing_day", f"billing day {day} is not between 1 and 28", field="billing_day")
    return day


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def period_of(year: int, month: int, billing_day: int = 1) -> DateRange:
    """The billing period named YYYY-MM: from the billing day of that month to that of the next."""
    check_billing_day(billing_day)
    next_year, next_month = _shift_month(year, month, 1)
    return DateRange(date(year, month, billing_day), date(next_year, next_month, billing_day))


def parse_period(text: str, billing_day: int = 1) -> DateRange:
    try:
        year, month = (int(part) for part in text.split("-"))
        return period_of(year, month, billing_day)
    except (ValueError, TypeError):
        raise TelbillError("period.syntax", f"{text!r} is not a period YYYY-MM", field="period") from None


def period_containing(day: date, billing_day: int = 1) -> DateRange:
    year, month = (day.year, day.month) if day.day >= billing_day else _shift_month(day.year, day.month, -1)
    return period_of(year, month, billing_day)


def periods_between(first: DateRange, last: DateRange, billing_day: int = 1) -> list[DateRange]:
    """Every period from ``first`` to ``last`` inclusive, in order."""
    periods = [first]
    while periods[-1].start < last.start:
        periods.append(period_containing(periods[-1].end, billing_day))
    return periods


def proration_factor(active: DateRange, period: DateRange) -> Decimal:
    """Share of ``period`` covered by ``active`` (exact fraction as a Decimal ratio of days)."""
    overlap = active.clip(period)
    return Decimal(0) if overlap is None else Decimal(overlap.days) / Decimal(period.days)


def prorate(fee: Money, active_days: int, period: DateRange) -> Money:
    """fee × active days / days of the period, rounded once. A whole period gives the fee exactly."""
    if active_days == period.days:
        return fee
    return Money.rounded(fee.amount * active_days / period.days)
