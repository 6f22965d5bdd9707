"""Does DuckDB's Parquet writer write every ENUM value it is given? Figures, not a unit test.

    .venv/bin/python bench/duckdb_enum_check.py --values 666666 --rows 3000000 --writes 4
    .venv/bin/python bench/duckdb_enum_check.py --values 2 20 60 --rows 10000000 --writes 3 --threads 2

Each write: a query over ``range(rows)`` gives row ``i`` the string ``'v' || (hash(i) % values)``, cast to an
ENUM of ``values`` values (``--source join``: taken from a lookup table whose column is the ENUM, joined on the
number, as the rating engine takes its labels), and ``COPY … TO`` Parquet with the rating engine's settings
(``preserve_insertion_order = false``, its ``memory_limit``, snappy). The file is read back with pyarrow
(not DuckDB, so a reader bug cannot hide a writer bug or pass for one) and every row's value is compared with
the string recomputed from its ``i``; the script prints, per write, the rows whose value differs, and how many
of those are empty strings. Pure duckdb and pyarrow: no telbill import.

Found (DuckDB 2.0.0, pyarrow 26.0.1, 2 cores, 2026-11-22; docs/algorithms/rating.md §8), no wrong row anywhere:
- the ENUM labels the rating engine still writes (2 to a few dozen values): 2, 20 and 60 values, 10M rows,
  ``--threads 2``, three writes each, cast and joined (``--source join --nulls 10 --payload 2``): 180M rows, 0 wrong;
- the large ENUM seen failing inside the engine (666,666 values, 0 to 27 empty strings per 3M-row write): 3M rows,
  four writes cast and four joined, two joined with nulls and payload; 10M rows joined, two writes; 3M rows with
  ``--memory-limit 200MB --row-group 50000``, two writes (and two with 60,000 values): 0 wrong. The writer
  alone, fed this way, does not reproduce it; the smallest conditions are not known.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq


def write(
    path: Path,
    values: int,
    rows: int,
    threads: int | None,
    memory_limit: str,
    row_group: int | None,
    source: str,
    nulls: int,
    payload: int,
) -> float:
    config: dict[str, object] = {"memory_limit": memory_limit, "preserve_insertion_order": False}
    if threads is not None:
        config["threads"] = threads
    with tempfile.TemporaryDirectory(prefix="enum-spill-", dir=path.parent) as spill:
        config["temp_directory"] = spill
        con = duckdb.connect(config=config)
        try:
            con.execute(f"CREATE TYPE label AS ENUM (SELECT 'v' || i FROM range({values}) t(i))")
            number = f"hash(i) % {values}"
            extra = "".join(f", md5(CAST(i * {k + 1} AS VARCHAR)) AS p{k}" for k in range(payload))
            if source == "cast":
                label = f"CAST('v' || ({number}) AS label)"
                query = f"SELECT i, {_nulled(label, nulls)} AS s{extra} FROM range({rows}) t(i)"
            else:
                con.execute(f"CREATE TABLE lookup AS SELECT n, CAST('v' || n AS label) AS s FROM range({values}) t(n)")
                query = (
                    f"SELECT i, {_nulled('l.s', nulls)} AS s{extra} "
                    f"FROM range({rows}) r(i) LEFT JOIN lookup l ON l.n = {number}"
                )
            options = "FORMAT parquet, COMPRESSION snappy"
            if row_group is not None:
                options += f", ROW_GROUP_SIZE {row_group}"
            started = time.perf_counter()
            con.execute(f"COPY ({query}) TO '{path}' ({options})").fetchall()
            return time.perf_counter() - started
        finally:
            con.close()


def _nulled(label: str, nulls: int) -> str:
    """The label, or NULL for ``nulls`` rows in a hundred (as the engine nulls the labels of rejected rows)."""
    return label if not nulls else f"CASE WHEN i % 100 < {nulls} THEN NULL ELSE {label} END"


def _expected(values: int, nulls: int) -> str:
    return _nulled(f"'v' || (hash(i) % {values})", nulls)


def wrong_rows(path: Path, values: int, nulls: int) -> tuple[int, int, int]:
    """Rows whose value is not the one of their ``i``, of them empty strings, and all rows (read with pyarrow)."""
    wrong = empty = total = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=1_000_000, columns=["i", "s"]):
        s = batch.column(1)
        if pa.types.is_dictionary(s.type):
            s = s.cast(pa.string())
        total += len(batch)
        # the expected string, from DuckDB's hash: recomputed in DuckDB over the batch's i
        expected = duckdb.sql(f"SELECT {_expected(values, nulls)} AS s FROM batch").to_arrow_table().column(0)
        same = pc.or_kleene(pc.equal(s, expected), pc.and_(pc.is_null(s), pc.is_null(expected)))
        differs = pc.invert(pc.fill_null(same, False))
        wrong += pc.sum(differs).as_py() or 0
        empty += pc.sum(pc.fill_null(pc.equal(s, ""), False)).as_py() or 0
    return wrong, empty, total


def wrong_rows_duckdb(path: Path, values: int, nulls: int) -> int:
    """The same comparison with DuckDB's own Parquet reader."""
    query = f"SELECT count(*) FROM read_parquet('{path}') WHERE s IS DISTINCT FROM ({_expected(values, nulls)})"
    return int(duckdb.sql(query).fetchall()[0][0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--values", type=int, nargs="+", default=[666_666])
    parser.add_argument("--rows", type=int, default=3_000_000)
    parser.add_argument("--writes", type=int, default=4)
    parser.add_argument("--threads", type=int, default=None, help="DuckDB's default (the cores) when left out")
    parser.add_argument("--memory-limit", default="768MB", help="the rating engine's default")
    parser.add_argument("--row-group", type=int, default=None, help="ROW_GROUP_SIZE (DuckDB's default 122,880)")
    parser.add_argument("--source", choices=("cast", "join"), default="cast")
    parser.add_argument("--nulls", type=int, default=0, help="NULL labels per hundred rows")
    parser.add_argument("--payload", type=int, default=0, help="extra 32-character string columns (wider rows)")
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "enumcheck")
    options = parser.parse_args()
    options.folder.mkdir(parents=True, exist_ok=True)
    path = options.folder / f"enum-{os.getpid()}.parquet"
    print(
        f"duckdb {duckdb.__version__}, pyarrow {pa.__version__}, threads {options.threads or 'default'}, "
        f"memory_limit {options.memory_limit}, row group {options.row_group or 'default'}, source {options.source}, "
        f"nulls {options.nulls}/100, payload {options.payload}"
    )
    print(f"{'values':>8} {'rows':>12} {'write':>5} {'seconds':>8} {'wrong':>7} {'empty':>7} {'wrong (duckdb)':>14}")
    for values in options.values:
        for attempt in range(1, options.writes + 1):
            arguments = (options.threads, options.memory_limit, options.row_group, options.source, options.nulls)
            seconds = write(path, values, options.rows, *arguments, options.payload)
            wrong, empty, total = wrong_rows(path, values, options.nulls)
            by_duckdb = wrong_rows_duckdb(path, values, options.nulls)
            assert total == options.rows, (total, options.rows)
            line = f"{values:>8,} {total:>12,} {attempt:>5} {seconds:>8.2f} {wrong:>7,} {empty:>7,} {by_duckdb:>14,}"
            print(line, flush=True)
            path.unlink()


if __name__ == "__main__":
    main()
