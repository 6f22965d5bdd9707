"""Database backends for the SQL adapter tests: ``backend`` is ``sqlite`` or ``postgres``, migrated and empty.

- SQLite: the schema is migrated once per session into a template file, copied for every test.
- PostgreSQL: one database per session (per xdist worker), created on the server of
  ``$TELBILL_TEST_PG_URL``, migrated once, emptied before every test (TRUNCATE, which fires no row trigger)
  and dropped at the end, so parallel runs and other suites never share tables.
  When no server answers: the tests FAIL under CI (``CI=true``), and are skipped elsewhere, saying why.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pytest
from sqlalchemy import Engine, Executable, create_engine, func, select, text
from sqlalchemy.engine import make_url

from telbill.adapters.db import SqlUnitOfWork, make_engine, upgrade
from telbill.adapters.db import tables as t
from telbill.adapters.db.engine import database_url

PG_URL_VARIABLE = "TELBILL_TEST_PG_URL"
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/test"


@dataclass
class Backend:
    name: str
    url: str
    engine: Engine
    # for looking on while another process writes: on SQLite a plain reader, which takes no writer lock
    reader: Engine

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)

    def count(self, table: t.Table) -> int:
        with self.reader.connect() as connection:
            return int(connection.scalar(select(func.count()).select_from(table)) or 0)

    def scalars(self, statement: Executable) -> list[Any]:
        with self.reader.connect() as connection:
            return list(connection.scalars(statement))


def _unreachable(url: str, error: Exception) -> NoReturn:
    message = f"no PostgreSQL server answers at {url} ({error}); set {PG_URL_VARIABLE}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """The URL of a fresh, migrated database of this session on the test server."""
    server = os.environ.get(PG_URL_VARIABLE, DEFAULT_PG_URL)
    try:
        import psycopg

        admin = psycopg.connect(server, autocommit=True, connect_timeout=5)
    except Exception as error:  # ImportError (no [postgres] extra) or a server that does not answer
        _unreachable(server, error)
    name = f"telbill_test_{os.getpid()}_{secrets.token_hex(4)}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        url = make_url(database_url(server)).set(database=name).render_as_string(hide_password=False)
        try:
            upgrade(url)
            yield url
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_engine(pg_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("schema") / "template.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # the last connection closing checkpoints the WAL into the file
    assert not path.with_name(path.name + "-wal").exists()
    return path


def _empty_postgres(engine: Engine) -> None:
    names = ", ".join(table.name for table in t.every_table().sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "postgres":
        engine: Engine = request.getfixturevalue("pg_engine")
        _empty_postgres(engine)
        yield Backend("postgres", request.getfixturevalue("pg_url"), engine, engine)
        return
    path = tmp_path / "telbill.sqlite"
    shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
    url = f"sqlite:///{path}"
    engine, reader = make_engine(url), create_engine(url)
    yield Backend("sqlite", url, engine, reader)
    engine.dispose()
    reader.dispose()
