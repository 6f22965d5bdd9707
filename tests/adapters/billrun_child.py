"""A bill run in a process of its own, for the crash and concurrency tests of ``test_billrun_sql``.

    python -m tests.adapters.billrun_child URL PERIOD ISSUE_DATE [--batch-size N] [--commit-delay SECONDS]

Bills every account of the database at URL with the real use case and the SQL adapter, then prints the
report as one JSON line. ``--commit-delay`` waits between writing a batch and committing it, so that a test
can kill the process in the middle of a transaction whose rows are written but not committed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date

from sqlalchemy import Engine

from telbill.adapters.db import SqlUnitOfWork, make_engine
from telbill.app.billing import BillingDeps, BillRunRequest, run_bill_run
from tests.adapters.sql_seeds import SELLER, seed_catalog


class SlowCommit(SqlUnitOfWork):
    """Writes everything, waits, then commits: the widest window for a crash inside a transaction."""

    def __init__(self, engine: Engine, delay: float) -> None:
        super().__init__(engine)
        self.delay = delay

    def commit(self) -> None:
        self.flush()
        time.sleep(self.delay)
        super().commit()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("period")
    parser.add_argument("issue_date", type=date.fromisoformat)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--commit-delay", type=float, default=0.0)
    args = parser.parse_args(argv)
    engine = make_engine(args.url)
    try:
        deps = BillingDeps(lambda: SlowCommit(engine, args.commit_delay), seed_catalog, SELLER)
        report = run_bill_run(deps, BillRunRequest(args.period, args.issue_date, args.batch_size))
    finally:
        engine.dispose()
    summary = {"billed": report.billed, "already_processed": report.already_processed, "documents": report.documents}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
