"""The connection a unit of work's repositories share, with the writes they defer.

Why defer: the bill run adds documents one by one (the port's shape), but a database pays per round trip.
Documents, their lines and the charges they bill are queued and written in bulk (``bulk.py``: one COPY or
executemany per table; one statement for the charge marks) before the next read of this transaction and
before commit, so a batch of 500 accounts costs a handful of statements, and every read still sees every
earlier write of its transaction.

Contract: ``flush`` writes in foreign-key order (documents, lines, charge marks). It refuses a document
number that is already issued (``document.exists``) and a charge that is unknown or billed already
(``charge.billed``), as ``TelbillError`` with kind CONFLICT; the caller's transaction must then roll back.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Connection,
    CursorResult,
    Executable,
    Table,
    Text,
    any_,
    bindparam,
    cast,
    func,
    select,
    text,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import StatementError
from sqlalchemy.types import NullType

from telbill.adapters.db import tables as t
from telbill.adapters.db.bulk import BulkInsert
from telbill.core.errors import ErrorKind, TelbillError

T = TypeVar("T")

# Below SQLite's historical limit of 999 host parameters per statement (32766 since 3.32).
IN_LIST_SIZE = 900
# A list of ids goes as one parameter (``among``): a bill-run batch is read in one statement per table.
ARRAY_SIZE = 10_000

# A batch's charges are marked billed in one statement on PostgreSQL (the pairs as two arrays side by side,
# rather than a thousand UPDATEs, each parsed, bound and run by the server), and in one executemany of the
# driver on SQLite, which runs them in C: SQLAlchemy's executemany processed every row's parameters in Python.
_MARK_BILLED_PG = text(
    "UPDATE pending_charges SET billed_document = marks.document_number"
    " FROM unnest(CAST(:charge_ids AS TEXT[]), CAST(:document_numbers AS TEXT[]))"
    " AS marks(charge_id, document_number)"
    " WHERE pending_charges.id = marks.charge_id AND pending_charges.billed_document IS NULL"
)
_MARK_BILLED_SQLITE = "UPDATE pending_charges SET billed_document = ? WHERE id = ? AND billed_document IS NULL"


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
        """``column IN values``, the values bound as one parameter rather than one each (SQLAlchemy expands
        and processes hundreds of parameters in Python, and the database binds and plans them).

        PostgreSQL gets ``= ANY(array)``; an array of text goes as its literal, cast by the server (psycopg
        adapts a list element by element in Python: 0.9 ms for 1,000 ids, against 0.2 ms to write the
        literal). SQLite gets ``IN (SELECT value FROM json_each(:ids))`` for text, which it answers through
        the column's index as it does a list (900 ids: 0.6 ms against 1.1 ms); other values, a list."""
        texts = all(type(value) is str for value in values)
        if self.dialect == "postgresql":
            array = postgresql.ARRAY(column.type)
            if texts:
                # untyped (NullType), so that the server reads the parameter as the array itself, once: bound as
                # text and then cast, it is parsed again for every row (a 5,000-row scan: 0.4 s, not 1 ms)
                return column == any_(cast(bindparam(None, _array_literal(values), type_=NullType()), array))
            return column == any_(bindparam(None, list(values), type_=array))
        if texts:
            listed = func.json_each(bindparam(None, json.dumps(list(values)), type_=Text)).table_valued("value")
            return column.in_(select(listed.c.value))
        return column.in_(values)

    def parts(self, values: Sequence[T]) -> Iterator[Sequence[T]]:
        """``values`` in as few chunks as ``among`` takes: up to 10,000 ids in one parameter; other values in
        lists of 900 (SQLite's historical limit of parameters)."""
        texts = all(type(value) is str for value in values)
        return chunks(values, ARRAY_SIZE if texts or self.dialect == "postgresql" else IN_LIST_SIZE)

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
        for part in self.parts(numbers):
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
        ids = [mark["charge_id"] for mark in marks]
        numbers = [mark["document_number"] for mark in marks]
        if self.dialect == "postgresql":
            arrays = {"charge_ids": _array_literal(ids), "document_numbers": _array_literal(numbers)}
            marked = self.connection.execute(_MARK_BILLED_PG, arrays).rowcount
        else:
            cursor = self.connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            try:
                cursor.executemany(_MARK_BILLED_SQLITE, list(zip(numbers, ids, strict=True)))
                marked = cursor.rowcount  # pysqlite adds up the rows of every statement of an executemany
            finally:
                cursor.close()
        # a charge marked twice (twice in the batch, or billed earlier) or unknown is a row not updated
        if marked != len(marks):
            raise TelbillError(
                "charge.billed",
                f"{len(marks) - marked} of the charges {ids} are unknown or billed already",
                ErrorKind.CONFLICT,
            )


def _array_literal(values: Sequence[str]) -> str:
    """PostgreSQL's text form of an array of text: every element double-quoted, with its backslashes and
    double quotes escaped by a backslash (``{"A1","say \\"hi\\""}``)."""
    if not values:
        return "{}"
    flat = "".join(values)
    if '"' in flat or "\\" in flat:
        values = [value.replace("\\", "\\\\").replace('"', '\\"') for value in values]
    return '{"' + '","'.join(values) + '"}'


def issued_already(numbers: Sequence[str]) -> TelbillError:
    return TelbillError(
        "document.exists",
        f"{', '.join(numbers)} issued already: an issued document is never changed; correct it with a new one",
        ErrorKind.CONFLICT,
    )
