"""Columns read as the driver gives them, each distinct value converted once: for loads of many rows.

Why: SQLAlchemy converts every value of a typed column on SQLite (ISO text → ``date``, a REAL → ``Decimal``
through a format), which for a ledger load of 100,000 rows cost more than SQLite's own work. A ledger's
values repeat (a few days, a few amounts), so each distinct one is converted once per load, exactly as
SQLAlchemy would (``Date``: ISO text; ``Numeric(14, 2)``: ``"%.2f" % value``). PostgreSQL's driver gives
``date`` and ``Decimal`` already: the values pass as they are.

Contract: ``raw(column)`` selects the column unprocessed; ``Dates(tx)`` and ``Cents(tx)`` are callables that
convert one raw value of a column without nulls (``Dates.optional``: one with), built once per load.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, type_coerce
from sqlalchemy.types import NullType

from telbill.adapters.db.deferred import Transaction

_NEW = object()  # not converted yet


def raw(column: ColumnElement[Any]) -> ColumnElement[Any]:
    return type_coerce(column, NullType())


class Dates:
    def __init__(self, tx: Transaction) -> None:
        self.text = tx.dialect == "sqlite"
        self.seen: dict[Any, Any] = {}

    def __call__(self, value: Any) -> date:
        if not self.text:
            return value  # type: ignore[no-any-return]
        known = self.seen.get(value, _NEW)
        if known is _NEW:
            known = self.seen[value] = date.fromisoformat(value)
        return known  # type: ignore[no-any-return]

    def optional(self, value: Any) -> date | None:
        return None if value is None else self(value)


class Cents:
    def __init__(self, tx: Transaction) -> None:
        self.number = tx.dialect == "sqlite"
        self.seen: dict[Any, Any] = {}

    def __call__(self, value: Any) -> Decimal:
        if not self.number:
            return value  # type: ignore[no-any-return]
        known = self.seen.get(value, _NEW)
        if known is _NEW:
            known = self.seen[value] = Decimal(f"{value:.2f}")
        return known  # type: ignore[no-any-return]
