"""Columns read as the driver gives them, each distinct value converted once: for loads of many rows.

Why: SQLAlchemy converts every value of a typed column on SQLite (ISO text → ``date``, a REAL → ``Decimal``
through a format), which for a ledger load of 100,000 rows cost more than SQLite's own work. A ledger's
values repeat (a few days, a few amounts), so each distinct one is converted once per load, exactly as
SQLAlchemy would (``Date``: ISO text; ``Numeric(14, 2)``: ``"%.2f" % value``). PostgreSQL's driver gives
``date`` and ``Decimal`` already: the values pass as they are.

Contract: ``raw(column)`` selects the column unprocessed; ``dates(tx)``, ``cents(tx)`` and ``money(tx)`` give the
function that converts one raw value (None stays None, but for ``money``), to be made once per load.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, type_coerce
from sqlalchemy.types import NullType

from telbill.adapters.db.bulk import Converted
from telbill.adapters.db.deferred import Transaction
from telbill.core.money import Money

Reader = Callable[[Any], Any]


def raw(column: ColumnElement[Any]) -> ColumnElement[Any]:
    return type_coerce(column, NullType())


def dates(tx: Transaction) -> Reader:
    """A raw ``Date`` value (or None) as a ``date``."""
    return _once(tx, date.fromisoformat)


def cents(tx: Transaction) -> Reader:
    """A raw ``Numeric(14, 2)`` value as a ``Decimal`` in cents."""
    return _once(tx, lambda value: Decimal(f"{value:.2f}"))


def money(tx: Transaction) -> Reader:
    """A raw ``Numeric(14, 2)`` value as ``Money``: one per distinct value (``Money`` is immutable)."""
    cents_of = cents(tx)
    return Converted(lambda value: Money._cents(cents_of(value))).__getitem__


def _once(tx: Transaction, convert: Reader) -> Reader:
    if tx.dialect != "sqlite":
        return _same
    converted = Converted(convert)
    converted[None] = None
    return converted.__getitem__


def _same(value: Any) -> Any:
    return value
