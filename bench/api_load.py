"""Load on the operator API over the loopback: invoice lists and usage lists, at a fixed offered rate.

Usage: ``.venv/bin/python bench/api_load.py [--backends sqlite,postgres] [--rate 600] [--seconds 10]``.
Each backend gets a fresh database: ``--accounts`` customers (half Telenet CLIC BUREAU with a number, half
Belgacom lines) billed February to June 2026 (five bill runs), and ``--usage`` records in June for each of the
first 300 Telenet customers; a read-only staff token. The server is ``telbill serve --workers N`` (uvicorn;
by default two processes, one per core) in a child process; PostgreSQL is a fresh database on
``TELBILL_BENCH_PG_URL`` (else ``TELBILL_TEST_PG_URL``, else the test server), dropped afterwards.

The load generator is open-loop (asyncio, HTTP/1.1 keep-alive on ``--connections`` connections): request *i* is
due at start + i / rate whatever happened before, and its latency is measured from that instant, so a slow
server cannot hide its queue (no coordinated omission). Half the requests ask an account's latest invoices
(``GET /api/v1/customerBill?billingAccount.id=…&limit=20``), half its usage (``GET /api/v1/usage?…&limit=20``),
accounts drawn with a fixed seed. Bounded: a one-second warm-up, then ``--seconds`` at ``--rate``.
Target (issue 7): at least 500 requests/s with p99 at most 50 ms and no error, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "src"))

from telbill.app import bootstrap  # noqa: E402
from telbill.app.access import Role  # noqa: E402
from telbill.app.billing import BillRunRequest, run_bill_run  # noqa: E402
from telbill.app.identities import NewStaff, create_staff, issue_token  # noqa: E402
from telbill.app.usage import UsageDeps, import_usage  # noqa: E402
from telbill.core.accounts import Account  # noqa: E402
from telbill.core.billing.parties import Language, Party  # noqa: E402
from telbill.core.catalog.schema import Segment  # noqa: E402
from telbill.core.rating.intake import RawUsage  # noqa: E402
from telbill.core.subscriptions import Event, EventKind, Subscription  # noqa: E402

try:  # the load generator shares the cores with the server: uvloop spends less of them per request
    from uvloop import run as run_loop
except ImportError:  # pragma: no cover - uvloop is a dependency of telbill except on Windows
    run_loop = asyncio.run

CATALOGS = PROJECT / "catalogs"
TELBILL = PROJECT / ".venv" / "bin" / "telbill"
USAGE_ACCOUNTS = 300
WORKERS: list[str] = []  # set by --workers


def number(i: int) -> str:
    return f"+32255{i:05d}"


def load(settings: bootstrap.Settings, accounts: int, usage: int) -> tuple[list[str], list[str]]:
    """The customers, five bill runs, usage; the ids of all accounts and of those with usage."""
    deps = bootstrap.billing_deps(settings)
    pro = Party(
        "Bureau Dupont SRL", "Rue de la Loi 16", "1000", "Bruxelles", "BE", Language.FR, "BE0403170701", "0403170701"
    )
    home = Party("An Peeters", "Meir 1", "2000", "Antwerpen", "BE", Language.NL)
    activated = (Event(EventKind.ACTIVATE, date(2026, 1, 10)),)
    ids, with_usage = [], []
    with deps.unit_of_work() as uow:
        for i in range(accounts):
            account_id = f"A{i:06d}"
            ids.append(account_id)
            if i % 2 == 0:
                uow.accounts.add(Account(account_id, pro, Segment.PROFESSIONAL, "telenet-clic-bureau"))
                uow.subscriptions.add(
                    Subscription(f"S{i:06d}", account_id, "CLIC-BUREAU", ("SAFESPOT-PRO",), activated, (number(i),))
                )
                if len(with_usage) < USAGE_ACCOUNTS:
                    with_usage.append(account_id)
            else:
                uow.accounts.add(Account(account_id, home, Segment.RESIDENTIAL, "belgacom-fees-indemnities"))
                uow.subscriptions.add(Subscription(f"S{i:06d}", account_id, "DIRECTORY-LINE-SIMPLE", (), activated))
        uow.commit()
    for month in range(2, 7):
        run_bill_run(deps, BillRunRequest(f"2026-{month:02d}", date(2026, month, 1)))
    rows = []
    start = datetime(2026, 6, 2, 8, 0)
    for n, account_id in enumerate(with_usage):
        i = int(account_id[1:])
        for k in range(usage):
            at = (start + timedelta(minutes=37 * k + n)).isoformat() + "+02:00"
            service = ("voice", "sms", "data")[k % 3]
            destination = None if service == "data" else "+3224445566"
            quantity = {"voice": 95, "sms": 1, "data": 2_500_000}[service]
            rows.append(
                RawUsage(len(rows) + 1, f"R{i:06d}-{k:04d}", number(i), at, service, "BE", destination, str(quantity))
            )
    if rows:
        import_usage(UsageDeps(deps.unit_of_work, deps.catalog), rows, "bench")
    return ids, with_usage


def settle(settings: bootstrap.Settings) -> None:
    """PostgreSQL: VACUUM ANALYZE after the bulk load, as a database in service has its statistics and visibility
    map (and autovacuum does not wake on the fresh tables in the middle of the measure)."""
    if settings.database_url.startswith("postgresql"):
        import psycopg

        with psycopg.connect(settings.database_url, autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")


def token(settings: bootstrap.Settings) -> str:
    services = bootstrap.web_services(settings)
    try:
        create_staff(services.access, NewStaff("bench", "bench@operator.example", "Bench", Role.READ_ONLY))
        return issue_token(services.access, "bench", "bench").secret
    finally:
        services.close()


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"invoices": [], "usage": []})
    errors: list[str] = field(default_factory=list)


async def _request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, raw: bytes) -> int:
    writer.write(raw)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
    if length is None:
        raise RuntimeError("no content-length")
    await reader.readexactly(int(length.group(1)))
    return status


async def _connection(
    host: str, port: int, queue: asyncio.Queue[tuple[float, str, bytes] | None], results: Results, record: bool
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while (item := await queue.get()) is not None:
            due, kind, raw = item
            try:
                status = await _request(reader, writer, raw)
            except (OSError, RuntimeError, asyncio.IncompleteReadError) as error:
                results.errors.append(f"{kind}: {error!r}")
                reader, writer = await asyncio.open_connection(host, port)
                continue
            if status != 200:
                results.errors.append(f"{kind}: HTTP {status}")
            if record:
                results.latencies[kind].append(time.perf_counter() - due)
    finally:
        writer.close()


def _requests(host: str, bearer: str, invoices: list[str], usage: list[str], count: int) -> list[tuple[str, bytes]]:
    chance = random.Random(7)
    made = []
    for i in range(count):
        kind = "invoices" if i % 2 == 0 else "usage"
        account = chance.choice(invoices if kind == "invoices" else usage)
        path = "customerBill" if kind == "invoices" else "usage"
        raw = (
            f"GET /api/v1/{path}?billingAccount.id={account}&limit=20 HTTP/1.1\r\nHost: {host}\r\n"
            f"Authorization: Bearer {bearer}\r\nAccept: application/json\r\n\r\n"
        ).encode()
        made.append((kind, raw))
    return made


async def offer(
    host: str, port: int, requests: list[tuple[str, bytes]], rate: float, connections: int, record: bool
) -> tuple[Results, float]:
    results = Results()
    queue: asyncio.Queue[tuple[float, str, bytes] | None] = asyncio.Queue()
    workers = [asyncio.create_task(_connection(host, port, queue, results, record)) for _ in range(connections)]
    start = time.perf_counter() + 0.05
    for i, (kind, raw) in enumerate(requests):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        queue.put_nowait((due, kind, raw))
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.gather(*workers)
    return results, time.perf_counter() - start


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def serve(settings: bootstrap.Settings) -> tuple[subprocess.Popen[str], int]:
    env = dict(os.environ, TELBILL_DATABASE_URL=settings.database_url, TELBILL_CATALOG_DIR=str(CATALOGS), COLUMNS="200")
    server = subprocess.Popen(
        [str(TELBILL), "serve", "--host", "127.0.0.1", "--port", "18600", *WORKERS],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert server.stdout is not None
    line = server.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if found is None:
        server.kill()
        raise SystemExit(f"the server did not start: {line}{server.stdout.read()}")
    return server, int(found.group(1))


def measure(name: str, settings: bootstrap.Settings, args: argparse.Namespace) -> bool:
    began = time.perf_counter()
    invoices, usage = load(settings, args.accounts, args.usage)
    settle(settings)
    bearer = token(settings)
    print(
        f"[{name}] loaded {args.accounts} accounts, {len(usage) * args.usage} usage records "
        f"in {time.perf_counter() - began:.1f} s",
        flush=True,
    )
    server, port = serve(settings)
    try:
        host = f"127.0.0.1:{port}"
        warm = _requests(host, bearer, invoices, usage, int(args.rate))
        run_loop(offer("127.0.0.1", port, warm, args.rate, args.connections, record=False))
        load_requests = _requests(host, bearer, invoices, usage, int(args.rate * args.seconds))
        results, elapsed = run_loop(offer("127.0.0.1", port, load_requests, args.rate, args.connections, True))
    finally:
        server.terminate()
        server.wait(timeout=30)
    every = [x for values in results.latencies.values() for x in values]
    throughput = len(every) / elapsed
    p99 = percentile(every, 0.99) * 1000
    ok = throughput >= 500 and p99 <= 50 and not results.errors
    print(
        f"[{name}] offered {args.rate:.0f}/s for {args.seconds} s: {len(every)} answered in {elapsed:.2f} s "
        f"= {throughput:.0f} requests/s, {len(results.errors)} errors",
        flush=True,
    )
    for kind, values in (("all", every), *results.latencies.items()):
        p50, p90, p99 = (percentile(values, q) * 1000 for q in (0.5, 0.9, 0.99))
        top = max(values, default=0) * 1000
        print(f"[{name}]   {kind:<8} p50 {p50:6.1f} ms  p90 {p90:6.1f} ms  p99 {p99:6.1f} ms  max {top:6.1f} ms")
    for error in results.errors[:5]:
        print(f"[{name}]   error: {error}")
    print(f"[{name}] {'PASS' if ok else 'FAIL'}: ≥ 500 requests/s, p99 ≤ 50 ms, no error", flush=True)
    return ok


def postgres_database() -> tuple[str, str, str]:
    import psycopg
    from sqlalchemy.engine import make_url

    server = (
        os.environ.get("TELBILL_BENCH_PG_URL")
        or os.environ.get("TELBILL_TEST_PG_URL")
        or "postgresql://postgres@127.0.0.1:5432/test"
    )
    name = f"telbill_api_bench_{secrets.token_hex(4)}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    return server, name, url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--rate", type=float, default=600.0, help="requests per second offered")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--usage", type=int, default=60, help="usage records per account with usage")
    parser.add_argument("--workers", type=int, default=2, help="server processes (telbill serve --workers)")
    args = parser.parse_args()
    WORKERS[:] = ["--workers", str(args.workers)]
    outcomes = []
    for backend in args.backends.split(","):
        if backend == "sqlite":
            with tempfile.TemporaryDirectory(prefix="telbill-api-bench-") as folder:
                settings = bootstrap.Settings(CATALOGS, f"sqlite:///{folder}/bench.sqlite")
                outcomes.append(measure("sqlite", settings, args))
        else:
            import psycopg

            server, name, url = postgres_database()
            try:
                outcomes.append(measure("postgres", bootstrap.Settings(CATALOGS, url), args))
            finally:
                with psycopg.connect(server, autocommit=True) as connection:
                    connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    sys.exit(0 if all(outcomes) else 1)


if __name__ == "__main__":
    main()
