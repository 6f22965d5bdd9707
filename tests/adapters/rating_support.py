"""Helpers of the rating engine tests: write rows as the rating input, read any engine's output."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from telbill.adapters.engines.lookup import INPUT_SCHEMA

Row = tuple[str | None, str | None, str | None, str | None, str | None, str | None, int | None]


def write_input(path: Path, rows: list[Row]) -> Path:
    columns = list(zip(*rows, strict=True))
    starts = [None if s is None else datetime.fromisoformat(s) for s in columns[2]]
    table = pa.table(
        {
            "record_id": pa.array(columns[0], pa.string()),
            "subscriber": pa.array(columns[1], pa.string()),
            "start": pa.array(starts, pa.timestamp("us", tz="UTC")),
            "service": pa.array(columns[3], pa.string()),
            "country": pa.array(columns[4], pa.string()),
            "destination": pa.array(columns[5], pa.string()),
            "quantity": pa.array(columns[6], pa.int64()),
        },
        schema=INPUT_SCHEMA,
    )
    pq.write_table(table, path)
    return path


def parquet_glob(path: Path) -> str:
    """A file (reference, duckdb) or Spark's folder of part files, as DuckDB reads it."""
    return str(path / "*.parquet") if path.is_dir() else str(path)


def read_output(path: Path) -> dict[str, dict[str, Any]]:
    rows = duckdb.sql(f"SELECT * FROM read_parquet('{parquet_glob(path)}')").fetchall()
    names = [d[0] for d in duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{parquet_glob(path)}')").fetchall()]
    return {row[0]: dict(zip(names, row, strict=True)) for row in rows}
