"""What a rating run reports: rows read, rated, rejected by reason, and the total amount."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from telbill.app.rating import RatingSummary
from telbill.core.money import Money
from telbill.core.rating.records import RejectReason


def summary_of(engine: str, output: Path, rows: Iterable[tuple[Any, ...]]) -> RatingSummary:
    """From (status, reason, count, sum of amounts) rows, as every engine computes them on its output."""
    rated, amount, rejected, total = 0, Decimal("0.00"), dict[RejectReason, int](), 0
    for status, reason, count, summed in rows:
        total += int(count)
        if status == "rated":
            rated += int(count)
            amount += Decimal(summed or 0)
        else:
            rejected[RejectReason(reason)] = rejected.get(RejectReason(reason), 0) + int(count)
    return RatingSummary(engine, output, total, rated, Money.of(amount), rejected)
