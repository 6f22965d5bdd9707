"""Speed of the bill run: invoices per second, and the cost per account at N accounts against 1,000.

Usage: ``.venv/bin/python bench/billrun.py [--sizes 1000,100000] [--backends sqlite,postgres]``.
PostgreSQL: a fresh database on the server of ``TELBILL_BENCH_PG_URL`` (default the test server,
postgresql://postgres@127.0.0.1:5432/test), dropped afterwards. Each account: a Telenet CLIC BUREAU plan
with one or two options activated a month earlier and an installation fee, or a Belgacom line with a fee
(a requested document); the bill run bills the previous month pro rata and the current one in advance.
Targets (issue 3): at least 2,000 invoices/s; per-account cost at 100k within 1.3× of the cost at 1k.
Documents (PDF, UBL) are not rendered here: see bench/pdf_render.py and bench/ubl_render_validate.py.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from telbill.app import bootstrap  # noqa: E402
from telbill.app.billing import BillRunRequest, run_bill_run  # noqa: E402
from telbill.cli.billing import parallel_bill_run  # noqa: E402
from telbill.core.accounts import Account  # noqa: E402
from telbill.core.billing.charges import PendingCharge  # noqa: E402
from telbill.core.billing.parties import Language, Party  # noqa: E402
from telbill.core.catalog.inputs import Order  # noqa: E402
from telbill.core.catalog.schema import Segment  # noqa: E402
from telbill.core.subscriptions import Event, EventKind, Subscription  # noqa: E402

ACTIVATED = date(2026, 2, 10)
ISSUE = date(2026, 3, 1)


def accounts(n: int) -> list[tuple[Account, Subscription, PendingCharge]]:
    pro = Party("Bureau Dupont SRL", "Rue de la Loi 16", "1000", "Bruxelles", "BE", Language.FR,
                "BE0403170701", "0403170701")  # fmt: skip
    home = Party("An Peeters", "Meir 1", "2000", "Antwerpen", "BE", Language.NL)
    rows = []
    for i in range(n):
        account_id = f"A{i:07d}"
        activate = (Event(EventKind.ACTIVATE, ACTIVATED),)
        if i % 2 == 0:
            account = Account(account_id, pro, Segment.PROFESSIONAL, "telenet-clic-bureau")
            options = ("SAFESPOT-PRO",) if i % 4 == 0 else ("SAFESPOT-PRO", "SPEEDBOOST-1GB")
            subscription = Subscription(f"S{i:07d}", account_id, "CLIC-BUREAU", options, activate)
            fee = PendingCharge(f"C{i:07d}", subscription.id, Order("INSTALL-CONFORT"), ACTIVATED, "")
        else:
            account = Account(account_id, home, Segment.RESIDENTIAL, "belgacom-fees-indemnities")
            subscription = Subscription(f"S{i:07d}", account_id, "DIRECTORY-LINE-SIMPLE", (), activate)
            fee = PendingCharge(f"C{i:07d}", None, Order("DUPLICATE-INVOICE", 2), ACTIVATED, "")
        rows.append((account, subscription, fee))
    return rows


def load(uow_factory: bootstrap.UnitOfWorkFactory, n: int) -> None:
    rows = accounts(n)
    for start in range(0, n, 5000):
        with uow_factory() as uow:
            for account, subscription, fee in rows[start : start + 5000]:
                uow.accounts.add(account)
                uow.subscriptions.add(subscription)
                uow.charges.add(account.id, fee)
            uow.commit()


def measure(url: str, n: int, workers: int) -> tuple[float, int]:
    settings = bootstrap.Settings(PROJECT / "catalogs", url)
    deps = bootstrap.billing_deps(settings)
    load(deps.unit_of_work, n)
    for catalog_id in ("telenet-clic-bureau", "belgacom-fees-indemnities"):
        deps.catalog(catalog_id)  # loading and checking the catalogs is start-up work, not bill-run work
    request = BillRunRequest("2026-03", ISSUE, batch_size=1000)
    started = time.perf_counter()
    # with workers, their start-up (imports, catalogs) is counted: it is part of a parallel run
    report = parallel_bill_run(settings, request, workers) if workers > 1 else run_bill_run(deps, request)
    elapsed = time.perf_counter() - started
    assert report.billed == n, report
    return elapsed, len(report.documents)


def sqlite_url(folder: str, n: int) -> str:
    return f"sqlite:///{folder}/bench-{n}.sqlite"


def postgres_url(n: int) -> tuple[str, str]:
    import psycopg

    server = os.environ.get("TELBILL_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
    name = f"telbill_bench_{n}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return server.rsplit("/", 1)[0] + f"/{name}", name


def drop_postgres(name: str) -> None:
    import psycopg

    server = os.environ.get("TELBILL_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--workers", type=int, default=1, help="processes sharing the bill run")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    for backend in args.backends.split(","):
        per_account: dict[int, float] = {}
        for n in sizes:
            with tempfile.TemporaryDirectory() as folder:
                name = None
                url = sqlite_url(folder, n)
                if backend == "postgres":
                    url, name = postgres_url(n)
                try:
                    elapsed, documents = measure(url, n, args.workers)
                finally:
                    if name:
                        drop_postgres(name)
            per_account[n] = elapsed / n
            print(f"{backend:8} {args.workers} worker(s) {n:>7} accounts: {elapsed:7.2f} s, {documents} documents, "
                  f"{documents / elapsed:7.0f} documents/s, {1e6 * elapsed / n:6.0f} µs/account")  # fmt: skip
        smallest, largest = min(sizes), max(sizes)
        if largest != smallest:
            ratio = per_account[largest] / per_account[smallest]
            print(f"{backend:8} cost per account at {largest} / at {smallest}: {ratio:.2f}× (target ≤ 1.3×)")


if __name__ == "__main__":
    main()
