"""A read-only engine for the units of work that only read (the API's GET routes, the portal's pages).

Why: ``engine.py`` starts every SQLite transaction with ``BEGIN IMMEDIATE``, which takes the one writer lock
even to read, so concurrent readers would queue behind each other and behind a bill run. Readers here begin
a *deferred* transaction (WAL gives each a consistent snapshot while a writer works) with
``PRAGMA query_only`` on, so a bug that writes fails instead of writing; on PostgreSQL the session is
``default_transaction_read_only`` and its transactions are REPEATABLE READ: every statement of a reading unit of
work sees the same snapshot, as on SQLite (a bill list reads its ledger stamp and then the documents not yet
posted; under READ COMMITTED a payment booked between the two could hide a document from both). A read-only
transaction never fails to serialize, and one snapshot per transaction costs less than one per statement.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

from telbill.adapters.db.engine import SQLITE_BUSY_TIMEOUT_MS, database_url

# libpq options: a space inside a value is escaped with a backslash
_PG_OPTIONS = r"-c default_transaction_read_only=on -c default_transaction_isolation=repeatable\ read"


def make_reader(url: str) -> Engine:
    parsed = make_url(database_url(url))
    if parsed.get_backend_name() != "sqlite":
        return _postgres_reader(parsed)
    engine = create_engine(parsed, pool_size=10, max_overflow=20)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # no implicit BEGIN of pysqlite: ours below
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA query_only=ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


def _postgres_reader(url: URL) -> Engine:
    # no pre-ping (a round trip per request); connections are recycled every half hour instead
    engine = create_engine(url, pool_recycle=1800, pool_size=10, max_overflow=20, connect_args={"options": _PG_OPTIONS})
    # A reading transaction ends with COMMIT, which for a transaction that cannot write is what ROLLBACK is:
    # psycopg forgets every prepared statement after a ROLLBACK (DDL may have been undone), so ending with one
    # would keep it from ever preparing the few statements the lists repeat (parsed and planned once per
    # connection instead of per request). A failed transaction still ends rolled back (COMMIT answers ROLLBACK).
    engine.dialect.do_rollback = _commit  # type: ignore[method-assign]
    return engine


def _commit(dbapi_connection: Any) -> None:
    dbapi_connection.commit()
