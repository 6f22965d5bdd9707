"""Engines for SQLite and PostgreSQL, set up for the unit of work's transaction contract.

Contract:
- ``make_engine(url)`` takes the URL the caller read (``$TELBILL_DATABASE_URL``, else
  ``DEFAULT_DATABASE_URL``); ``postgresql://`` and ``postgres://`` URLs get the psycopg 3 driver.
- SQLite: every connection gets ``foreign_keys=ON``, ``journal_mode=WAL`` (readers do not block the writer,
  a killed process leaves a consistent file) and a ``busy_timeout`` (a second writer waits instead of
  failing). pysqlite's own implicit BEGIN is switched off and every transaction starts with
  ``BEGIN IMMEDIATE``: the write lock is taken up front, so writers are serialized and one never fails
  halfway with "database is locked" after reading. This is what makes ``lock_accounts`` a no-op there.
- PostgreSQL: READ COMMITTED (the default); concurrency is handled by row locks (``FOR UPDATE``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

DATABASE_URL_VARIABLE = "TELBILL_DATABASE_URL"
DEFAULT_DATABASE_URL = "sqlite:///var/telbill.sqlite"
SQLITE_BUSY_TIMEOUT_MS = 60_000


def database_url(url: str) -> str:
    """The SQLAlchemy URL of a user-facing URL: PostgreSQL URLs get the psycopg 3 driver."""
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme) :]
    return url


def make_engine(url: str, echo: bool = False) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created when missing."""
    parsed = make_url(database_url(url))
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, echo=echo)
        _set_up_sqlite(engine)
        return engine
    return create_engine(parsed, echo=echo, pool_pre_ping=True)


def _set_up_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # None: pysqlite issues no BEGIN of its own; "begin" below issues ours
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
