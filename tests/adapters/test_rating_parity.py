"""Parity: one generated data set of a million records (bench/cdr_generator.py, seed 7) rated by the three
engines — the reference (the core, record by record), DuckDB and Spark (the SQL plan) — gives the same
result for every record and the same total per subscription and billing period, to the cent.

The data set is checked to exercise what parity is about: allowance splits of minutes and data, records
charged after an allowance is spent, every tariff, every reject reason, several billing periods and days.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from bench.cdr_generator import generate

from telbill.adapters.engines import engine
from telbill.app.rating import RatingJob
from telbill.core.rating.records import RejectReason, Subscriber
from tests.adapters.rating_support import parquet_glob
from tests.core.rating_builders import telenet

ROWS = 1_000_000
COLUMNS = ("subscription_id", "period_start", "zone", "tariff", "allowance", "rated_units", "included_units",
           "charged_units", "amount", "status", "reason")  # fmt: skip


@pytest.mark.slow
def test_three_engines_rate_a_million_records_identically(tmp_path: Path) -> None:
    source, subscribers_file = generate(tmp_path / "data", ROWS, seed=7)
    subscribers = tuple(
        Subscriber(r["subscriber"], r["subscription_id"], r["billing_day"])
        for r in pq.read_table(subscribers_file).to_pylist()
    )
    outputs = {}
    for name in ("reference", "duckdb", "spark"):
        outputs[name] = tmp_path / f"rated-{name}.parquet"
        summary = engine(name).rate_file(RatingJob(source, outputs[name], telenet(), subscribers))
        assert summary.rows == ROWS
    con = duckdb.connect()
    for name, path in outputs.items():
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet('{parquet_glob(path)}')")
        assert con.execute(f"SELECT count(*), count(DISTINCT record_id) FROM {name}").fetchall() == [(ROWS, ROWS)]
    _exercises_everything(con)
    differs = " OR ".join(f"r.{c} IS DISTINCT FROM o.{c}" for c in COLUMNS)
    for other in ("duckdb", "spark"):
        mismatched = con.execute(
            f"SELECT count(*) FROM reference r FULL JOIN {other} o USING (record_id) WHERE {differs}"
        ).fetchall()
        assert mismatched == [(0,)], other
        per_subscriber = con.execute(f"""
            SELECT count(*) FROM (
              SELECT subscription_id, period_start, sum(amount) AS total FROM reference GROUP BY ALL
            ) r FULL JOIN (
              SELECT subscription_id, period_start, sum(amount) AS total FROM {other} GROUP BY ALL
            ) o USING (subscription_id, period_start)
            WHERE r.total IS DISTINCT FROM o.total""").fetchall()
        assert per_subscriber == [(0,)], other


def _exercises_everything(con: duckdb.DuckDBPyConnection) -> None:
    splits = dict(
        con.execute(
            "SELECT allowance, count(*) FROM reference WHERE included_units > 0 AND charged_units > 0 GROUP BY ALL"
        ).fetchall()
    )
    assert splits.get("VOICE-INCLUDED", 0) > 10 and splits.get("DATA-INCLUDED", 0) > 10, splits
    spent = con.execute(
        "SELECT count(*) FROM reference WHERE allowance IS NOT NULL AND included_units = 0 AND charged_units > 0"
    ).fetchall()[0][0]
    assert spent > 1000
    tariffs = {
        row[0] for row in con.execute("SELECT DISTINCT tariff FROM reference WHERE tariff IS NOT NULL").fetchall()
    }
    assert tariffs == {t.code for t in telenet().tariffs}
    reasons = {
        row[0] for row in con.execute("SELECT DISTINCT reason FROM reference WHERE reason IS NOT NULL").fetchall()
    }
    assert reasons == {r.value for r in RejectReason}
    periods = con.execute("SELECT count(DISTINCT period_start) FROM reference").fetchall()[0][0]
    assert periods > 28  # three months of periods on billing days 1 to 28
