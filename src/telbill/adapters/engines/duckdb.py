"""The embedded default engine: the SQL plan (``plan.py``) on DuckDB, Parquet in, Parquet out, out of core.

Contract: memory is bounded by ``memory_limit`` whatever the input size — DuckDB streams the Parquet scans
and the output, spills what it must to a temporary folder, and the plan's only blocking operators hold one
row per subscriber and allowance, or the records of the few suspect subscribers (``suspect_units``, six
narrow columns, a temporary table that DuckDB evicts to the same folder beyond the limit and that is dropped
once the cuts are made).
The process adds the job's own Python objects (about 450 bytes per subscriber). Measured at 100 million
records and 666 666 subscribers: 1.14 GB peak with the default 768 MB (bench/rating.py, 2026-11-22). Output rows are
written as they come (no order is kept; ``record_id`` is the key).
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from telbill.adapters.engines.lookup import period_table, static_tables, subscriber_table
from telbill.adapters.engines.plan import DUCKDB, Plan
from telbill.adapters.engines.summary import summary_of
from telbill.app.rating import Progress, RatingJob, RatingSummary
from telbill.core.errors import TelbillError
from telbill.core.rating.records import RejectReason

# the share of the run each statement takes, for the progress bar (measured on generated data)
_WEIGHTS = {"bounds": 0.03, "suspects": 0.12, "cuts": 0.15, "rated": 0.65, "summary": 0.05}


class DuckDbEngine:
    name = "duckdb"

    def __init__(self, threads: int | None = None, memory_limit: str = "768MB", compression: str = "snappy") -> None:
        self.threads = threads
        self.memory_limit = memory_limit
        self.compression = compression

    def rate_file(self, job: RatingJob, progress: Progress | None = None) -> RatingSummary:
        with tempfile.TemporaryDirectory(prefix="telbill-duckdb-") as spill:
            connection = duckdb.connect(config=self._config(spill))
            try:
                # progress is tracked (for query_progress) but never printed by DuckDB itself
                connection.execute("SET enable_progress_bar = true; SET enable_progress_bar_print = false")
                return self._run(connection, job, _Stages(connection, progress))
            finally:
                connection.close()

    def _config(self, spill: str) -> dict[str, Any]:
        config: dict[str, Any] = {
            "memory_limit": self.memory_limit,
            "temp_directory": spill,
            "preserve_insertion_order": False,
        }
        if self.threads is not None:
            config["threads"] = self.threads
        return config

    def _run(self, con: duckdb.DuckDBPyConnection, job: RatingJob, stages: _Stages) -> RatingSummary:
        _load_lookups(con, job)
        con.execute(f"CREATE TEMP VIEW cdr AS {_input(con, job.source)}")
        bounds = "SELECT min(epoch_us(start)), max(epoch_us(start)) FROM cdr"
        ((first, last),) = stages.run("bounds", lambda: con.execute(bounds).fetchall())
        days = {s.billing_day for s in job.subscribers} or {1}
        con.register("periods_arrow", period_table(job.tables, days, first or 0, last or 0))
        con.execute("CREATE TEMP TABLE periods AS SELECT * FROM periods_arrow")
        plan = Plan(DUCKDB, job.tables.prefix_length)
        stages.run("suspects", lambda: con.execute(f"CREATE TEMP TABLE suspects AS {plan.suspects()}").fetchall())
        con.execute(f"CREATE TEMP TABLE suspect_subscribers AS {plan.suspect_subscribers()}")
        stages.run("cuts", lambda: _cuts(con, plan))
        job.output.parent.mkdir(parents=True, exist_ok=True)
        copy = f"COPY ({plan.rated()}) TO '{_quoted(job.output)}' (FORMAT parquet, COMPRESSION {self.compression})"
        stages.run("rated", lambda: con.execute(copy).fetchall())
        query = f"SELECT status, reason, count(*), sum(amount) FROM read_parquet('{_quoted(job.output)}') GROUP BY ALL"
        rows = stages.run("summary", lambda: con.execute(query).fetchall())
        stages.done()
        return summary_of(self.name, job.output, rows)


def _cuts(con: duckdb.DuckDBPyConnection, plan: Plan) -> list[Any]:
    con.execute(f"CREATE TEMP TABLE suspect_units AS {plan.suspect_units()}")
    result = con.execute(f"CREATE TEMP TABLE cuts AS {plan.cuts()}").fetchall()
    con.execute("DROP TABLE suspect_units")  # its memory goes back to the rated statement
    return result


def _load_lookups(con: duckdb.DuckDBPyConnection, job: RatingJob) -> None:
    """The lookup tables as DuckDB tables; the few codes the output repeats (tariffs, zones, statuses…) as
    ENUM types, which the Parquet writer stores as a dictionary without hashing every value again."""
    lookups = {**static_tables(job.tables), "subscribers": subscriber_table(job.subscribers)}
    for name, table in lookups.items():
        con.register(f"{name}_arrow", table)
    labels = {
        "status": "SELECT unnest(['rated', 'rejected'])",
        "reason": "SELECT unnest($reasons)",
        "tariff": "SELECT DISTINCT tariff FROM rates_arrow",
        "allowance": "SELECT DISTINCT allowance FROM rates_arrow WHERE allowance IS NOT NULL",
        "zone": "SELECT DISTINCT zone FROM prefixes_arrow",
    }
    # subscription ids go as strings, never as an ENUM: DuckDB 2.0's Parquet writer was seen writing an empty
    # string for a few values of a 666,666-value ENUM (docs/algorithms/rating.md §8), and a large ENUM's whole
    # dictionary is written with every row group (2.9 of 4.2 GB at 100M records); the few-valued labels above
    # fit in any row group's dictionary
    for kind, values in labels.items():
        parameters = {"reasons": [r.value for r in RejectReason]} if "$reasons" in values else None
        con.execute(f"CREATE TYPE telbill_{kind} AS ENUM ({values})", parameters)
    typed = {
        "rates": "* REPLACE (CAST(tariff AS telbill_tariff) AS tariff, "
        "CAST(allowance AS telbill_allowance) AS allowance)",
        "prefixes": "* REPLACE (CAST(zone AS telbill_zone) AS zone)",
    }
    for name in lookups:
        con.execute(f"CREATE TEMP TABLE {name} AS SELECT {typed.get(name, '*')} FROM {name}_arrow")
        con.unregister(f"{name}_arrow")


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def _input(con: duckdb.DuckDBPyConnection, source: Path) -> str:
    """The rating input as the plan reads it: the documented columns, typed, the start time with its zone."""
    if not source.exists():
        raise TelbillError("rating.input", f"{source}: no such file")
    where = _quoted(source)
    if source.suffix.lower() == ".csv":
        columns = (
            "{'record_id': 'VARCHAR', 'subscriber': 'VARCHAR', 'start': 'TIMESTAMPTZ', 'service': 'VARCHAR', "
            "'country': 'VARCHAR', 'destination': 'VARCHAR', 'quantity': 'BIGINT'}"
        )
        relation = f"read_csv('{where}', header = true, columns = {columns}, auto_detect = false)"
    else:
        relation = f"read_parquet('{where}')"
        types = dict(
            con.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM {relation})").fetchall()
        )
        if types.get("start") != "TIMESTAMP WITH TIME ZONE":
            raise TelbillError(
                "rating.input", f"{source}: 'start' must be a timestamp with time zone, not {types.get('start')}"
            )
    return (
        "SELECT CAST(record_id AS VARCHAR) AS record_id, CAST(subscriber AS VARCHAR) AS subscriber, start, "
        "CAST(service AS VARCHAR) AS service, CAST(country AS VARCHAR) AS country, "
        f"CAST(destination AS VARCHAR) AS destination, CAST(quantity AS BIGINT) AS quantity FROM {relation}"
    )


class _Stages:
    """Runs each statement in a worker thread while this one reports DuckDB's progress, weighted by stage."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, progress: Progress | None) -> None:
        self.connection = connection
        self.progress = progress
        self.finished = 0.0

    def run(self, stage: str, statement: Callable[[], list[Any]]) -> list[Any]:
        weight = _WEIGHTS[stage]
        result = statement() if self.progress is None else self._watched(statement, weight)
        self.finished += weight
        if self.progress is not None:
            self.progress(min(self.finished, 1.0))
        return result

    def _watched(self, statement: Callable[[], list[Any]], weight: float) -> list[Any]:
        outcome: dict[str, Any] = {}

        def work() -> None:
            try:
                outcome["result"] = statement()
            except BaseException as error:  # handed over to the caller below
                outcome["error"] = error

        worker = threading.Thread(target=work, daemon=True)
        worker.start()
        while worker.is_alive():
            worker.join(0.2)
            share = self.connection.query_progress()
            if share >= 0 and self.progress is not None:
                self.progress(min(self.finished + weight * share / 100, 1.0))
        if "error" in outcome:
            raise outcome["error"]
        result: list[Any] = outcome["result"]
        return result

    def done(self) -> None:
        if self.progress is not None:
            self.progress(1.0)
