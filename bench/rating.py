"""Rating speed: rows per second and peak memory of each engine, against a baseline that reads and writes the
same Parquet without rating.

    .venv/bin/python bench/rating.py                       # 1M and 10M rows, every engine where it makes sense
    .venv/bin/python bench/rating.py --rows 100000000 --engines duckdb
    .venv/bin/python bench/rating.py --rows 1000000 --engines reference,duckdb,spark

Data: bench/cdr_generator.py (seeded; kept in --folder between runs). Every measurement runs in a fresh
process; its peak RSS is the largest sum of the resident memory of that process and its children (Spark's
JVM) sampled every 50 ms; its time is the wall time of the engine call (input and output files included,
process start and imports not). The baseline is DuckDB copying the input Parquet to a Parquet file with the
same settings as the DuckDB engine (threads, memory limit, compression), so the ratio is what rating costs.
The reference engine holds its whole input in memory (it is the oracle), so it runs at 1M rows only.

Targets on the 2-core bench machine (issue 4): DuckDB at least 3M CDRs/s end to end at 10M rows and within
1.5× of the baseline; peak RSS at most 1.5 GB at 100M rows.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
REFERENCE_MAX_ROWS = 1_000_000
SPARK_MAX_ROWS = 10_000_000


def _rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/status", encoding="ascii") as status:
                total += next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0)
            with open(f"/proc/{current}/task/{current}/children", encoding="ascii") as children:
                todo += [int(child) for child in children.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def measure(*args: str) -> tuple[dict[str, float], float]:
    """Run this script as a child doing one measurement; its JSON result and its peak RSS in MB."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    child = subprocess.Popen([sys.executable, __file__, "--child", *args], stdout=subprocess.PIPE, env=env, text=True)
    peak = 0
    while child.poll() is None:
        peak = max(peak, _rss_kb(child.pid))
        time.sleep(0.05)
    output = child.stdout.read() if child.stdout else ""
    if child.returncode != 0:
        raise SystemExit(f"measurement {args} failed ({child.returncode})")
    return json.loads(output.strip().splitlines()[-1]), peak / 1024


def child(kind: str, source: str, subscribers: str, output: str) -> dict[str, float]:
    import pyarrow.parquet as pq

    from telbill.adapters.engines.duckdb import DuckDbEngine

    if kind == "baseline":
        import duckdb

        engine = DuckDbEngine()
        started = time.perf_counter()
        with duckdb.connect(config={"memory_limit": engine.memory_limit, "preserve_insertion_order": False}) as con:
            con.execute(
                f"COPY (SELECT * FROM read_parquet('{source}')) TO '{output}' "
                f"(FORMAT parquet, COMPRESSION {engine.compression})"
            ).fetchall()
        return {"seconds": time.perf_counter() - started}
    from telbill.adapters.engines import engine as engine_named
    from telbill.app.rating import RatingJob
    from telbill.core.rating.records import Subscriber
    from telbill.core.rating.tables import rating_tables
    from tests.catalogs.conftest import seed_catalog

    catalog = seed_catalog("telenet-clic-bureau")
    tables = rating_tables(catalog, catalog.versions[-1])
    columns = pq.read_table(subscribers).to_pydict()  # columns, not a dict per row: 600 000 subscribers at 100M
    people = tuple(map(Subscriber, columns["subscriber"], columns["subscription_id"], columns["billing_day"]))
    del columns
    rater = engine_named(kind)
    if kind == "spark":  # start the session before the clock: a cluster's is running already
        from telbill.adapters.engines.spark import session

        session()
    started = time.perf_counter()
    summary = rater.rate_file(RatingJob(Path(source), Path(output), tables, people))
    return {"seconds": time.perf_counter() - started, "rows": summary.rows, "amount": float(summary.amount.amount)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--engines", default="reference,duckdb,spark")
    parser.add_argument("--folder", type=Path, default=Path("/tmp/telbill-bench-rating"))
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        print(json.dumps(child(*options.child)))
        return
    sys.path.insert(0, str(PROJECT))
    from bench.cdr_generator import generate

    print(f"{'rows':>12} {'engine':<10} {'seconds':>8} {'rows/s':>12} {'peak RSS':>10} {'× baseline':>10}")
    for rows in options.rows:
        folder = options.folder / f"{rows}-{options.seed}"
        source, subscribers = folder / "cdr.parquet", folder / "subscribers.parquet"
        if not source.exists():
            started = time.perf_counter()
            generate(folder, rows, options.seed)
            size = source.stat().st_size / 1e6
            print(f"{rows:>12,} generated in {time.perf_counter() - started:.1f} s ({size:.0f} MB)")
        baseline, peak = measure("baseline", str(source), str(subscribers), str(folder / "copy.parquet"))
        _line(rows, "baseline", baseline["seconds"], peak, 1.0)
        for name in options.engines.split(","):
            if (name == "reference" and rows > REFERENCE_MAX_ROWS) or (name == "spark" and rows > SPARK_MAX_ROWS):
                continue
            output = folder / f"rated-{name}.parquet"
            result, peak = measure(name, str(source), str(subscribers), str(output))
            _line(rows, name, result["seconds"], peak, result["seconds"] / baseline["seconds"])


def _line(rows: int, name: str, seconds: float, peak_mb: float, ratio: float) -> None:
    speed = rows / seconds
    print(f"{rows:>12,} {name:<10} {seconds:>8.2f} {speed:>12,.0f} {peak_mb:>8,.0f} MB {ratio:>10.2f}", flush=True)


if __name__ == "__main__":
    main()
