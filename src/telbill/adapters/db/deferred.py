"""The connection a unit of work's repositories share, with the writes they defer.

Why defer: the bill run adds documents one by one (the port's shape), but a database pays per round trip.
Documents, their lines and the charges they bill are queued and written in bulk (``bulk.py``: one COPY or
executemany per table; one executemany for the charge marks) before the next read of this transaction and
before commit, so a batch of 500 accounts costs a handful of statements, and every read still sees every
earlier write of its transaction.

Contract: ``flush`` writes in foreign-key order (documents, lines, charge marks). It refuses a document
number that is already issued (``document.exists``) and a charge that is unknown or billed already
(``charge.billed``), as ``TelbillError`` with kind CONFLICT; the caller's transaction must then roll back.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Connection, CursorResult, Executable, Table, any_, bindparam, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import StatementError

from telbill.adapters.db import tables as t
from telbill.adapters.db.bulk import BulkInsert
from telbill.core.errors import ErrorKind, TelbillError

T = TypeVar("T")

# Below SQLite's historical limit of 999 host parameters per statement (32766 since 3.32).
IN_LIST_SIZE = 900

_MARK_BILLED = (
    update(t.pending_charges)
    .where(t.pending_charges.c.id == bindparam("charge_id"), t.pending_charges.c.billed_document.is_(None))
    .values(billed_document=bindparam("document_number"))
)


def chunks(items: Sequence[T], size: int = IN_LIST_SIZE) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class DeferredWrites:
    documents: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    marks: list[dict[str, Any]] = field(default_factory=list)
    numbers: set[str] = field(default_factory=set)  # document numbers queued, to refuse a repeat early

    def __bool__(self) -> bool:
        return bool(self.documents or self.marks)


class Transaction:
    """One open connection and transaction, as the repositories see it."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.dialect = connection.dialect.name
        self.deferred = DeferredWrites()

    def execute(
        self, statement: Executable, rows: list[dict[str, Any]] | None = None
    ) -> CursorResult[*tuple[Any, ...]]:
        """Run a statement; a ``TelbillError`` raised while binding a value (``tables.Exact``) comes out as
        itself, not wrapped in SQLAlchemy's ``StatementError``."""
        try:
            return self.connection.execute(statement, rows)
        except StatementError as error:
            if isinstance(error.orig, TelbillError):
                raise error.orig from None
            raise

    def among(self, column: ColumnElement[Any], values: Sequence[Any]) -> ColumnElement[bool]:
        """``column IN values``. PostgreSQL gets ``= ANY(array)``: one bound array rather than hundreds of
        parameters to bind and plan."""
        if self.dialect == "postgresql":
            return column == any_(bindparam(None, list(values), type_=postgresql.ARRAY(column.type)))
        return column.in_(values)

    def scalars(self, statement: Executable) -> list[Any]:
        return list(self.execute(statement).scalars())

    def flush(self) -> None:
        """Write what is queued; a no-op when nothing is."""
        if not self.deferred:
            return
        queued, self.deferred = self.deferred, DeferredWrites()
        if queued.documents:
            self._refuse_issued([row["number"] for row in queued.documents])
            self.bulk_insert(t.documents, queued.documents)
            self.bulk_insert(t.document_lines, queued.lines)
        if queued.marks:
            self._mark_billed(queued.marks)

    def _refuse_issued(self, numbers: Sequence[str]) -> None:
        for part in chunks(numbers):
            found = self.scalars(select(t.documents.c.number).where(self.among(t.documents.c.number, part)))
            if found:
                raise issued_already(sorted(found))

    def bulk_insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        """Insert many rows at once (``bulk.py``); a key that exists is ``db.integrity`` (CONFLICT)."""
        if not rows:
            return
        try:
            BulkInsert(table, self.connection.dialect).run(self.connection, rows)
        except self.connection.dialect.loaded_dbapi.IntegrityError as error:
            raise TelbillError("db.integrity", f"{table.name}: {error}", ErrorKind.CONFLICT) from error

    def _mark_billed(self, marks: list[dict[str, Any]]) -> None:
        result = self.execute(_MARK_BILLED, marks)
        # both drivers (pysqlite, psycopg 3) add up the rows an executemany touched; a driver that cannot
        # would skip this check, not fail it
        if self.connection.dialect.supports_sane_multi_rowcount and result.rowcount != len(marks):
            ids = [mark["charge_id"] for mark in marks]
            raise TelbillError(
                "charge.billed",
                f"{len(marks) - result.rowcount} of the charges {ids} are unknown or billed already",
                ErrorKind.CONFLICT,
            )


def issued_already(numbers: Sequence[str]) -> TelbillError:
    return TelbillError(
        "document.exists",
        f"{', '.join(numbers)} issued already: an issued document is never changed; correct it with a new one",
        ErrorKind.CONFLICT,
    )
