"""How a transaction binds a list of ids (``adapters/db/deferred.py``): one parameter, read by the server once."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from telbill.adapters.db import tables as t
from telbill.adapters.db.deferred import Transaction, _array_literal


def sql(dialect: Any, values: list[Any]) -> str:
    tx = Transaction(cast(Connection, SimpleNamespace(dialect=dialect)))
    return str(select(t.accounts.c.id).where(tx.among(t.accounts.c.id, values)).compile(dialect=dialect))


def test_postgresql_takes_ids_as_an_untyped_array_literal() -> None:
    # "CAST(%(p)s AS VARCHAR(64)[])": the server reads the parameter as the array, once. Bound as text and then
    # cast ("CAST(%(p)s::VARCHAR AS …)"), the array would be parsed again for every row it filters.
    statement = sql(postgresql.psycopg.dialect(), ["A1", "A2"])  # type: ignore[attr-defined]
    assert "accounts.id = ANY (CAST(%(param_1)s AS VARCHAR(64)[]))" in statement


def test_sqlite_takes_ids_as_one_json_parameter_and_other_values_as_a_list() -> None:
    assert "IN (SELECT anon_1.value \nFROM json_each(?) AS anon_1)" in sql(sqlite.dialect(), ["A1", "A2"])
    assert "IN (__[POSTCOMPILE_id_1])" in sql(sqlite.dialect(), [1, 2])


def test_the_array_literal_quotes_every_id_and_escapes_quotes_and_backslashes() -> None:
    assert _array_literal([]) == "{}"
    assert _array_literal(["A1", "B,2", "NULL"]) == '{"A1","B,2","NULL"}'
    assert _array_literal(['say "hi"', "back\\slash"]) == '{"say \\"hi\\"","back\\\\slash"}'
