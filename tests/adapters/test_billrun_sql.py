"""The real bill run (telbill.app.billing) over the SQL adapter, on SQLite and PostgreSQL: exactly once.

Run twice, it bills nothing twice; killed in the middle of a transaction, the next run finishes the work;
two runs at once share the accounts. Whatever happens, invoice numbers run 1..N without a gap.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select, text

from telbill.adapters.db import tables as t
from telbill.app.billing import BillingDeps, BillRunRequest, run_bill_run
from telbill.core.billing.numbering import INVOICE_SERIES
from tests.adapters.conftest import Backend
from tests.adapters.sql_seeds import SELLER, add_customers, bill, customers, seed_catalog
from tests.app.fakes import FakeUnitOfWork, State
from tests.conftest import PROJECT

FEBRUARY, FEBRUARY_FIRST = "2026-02", date(2026, 2, 1)
CHILD = [sys.executable, "-m", "tests.adapters.billrun_child"]
CHILD_NAME = "telbill-billrun-child"  # application_name of the children's PostgreSQL sessions


def invoice_sequences(backend: Backend) -> list[int]:
    numbers = backend.scalars(select(t.documents.c.number).where(t.documents.c.type == "380"))
    return sorted(INVOICE_SERIES.parse(number)[1] for number in numbers)


def documents_per_account(backend: Backend, period: str) -> Counter[str]:
    return Counter(backend.scalars(select(t.documents.c.account_id).where(t.documents.c.period == period)))


def test_billing_twice_doubles_nothing(backend: Backend) -> None:
    add_customers(backend.engine, 7)
    first = bill(backend.engine, FEBRUARY, FEBRUARY_FIRST, batch_size=3)
    again = bill(backend.engine, FEBRUARY, FEBRUARY_FIRST, batch_size=3)
    assert (first.billed, first.invoices, first.credit_notes) == (7, 7, 0)
    assert (again.billed, again.already_processed, again.documents) == (0, 7, [])
    march = bill(backend.engine, "2026-03", date(2026, 3, 1))
    assert first.documents == [INVOICE_SERIES.format(2026, n) for n in range(1, 8)]
    assert march.documents == [INVOICE_SERIES.format(2026, n) for n in range(8, 15)]
    assert invoice_sequences(backend) == list(range(1, 15))
    installs = backend.scalars(
        select(t.document_lines.c.document_number).where(t.document_lines.c.item_code == "INSTALL-BUSINESS")
    )
    assert sorted(installs) == first.documents[1::2]  # customers 2, 4, 6: billed on February's invoice only
    with backend.uow() as uow:
        assert uow.charges.unbilled([a.id for a, _, _ in customers(7)], date(2026, 12, 31)) == {}


def test_the_sql_adapter_bills_what_the_in_memory_fakes_bill(backend: Backend) -> None:
    add_customers(backend.engine, 4)
    state = State()
    with FakeUnitOfWork(state) as fake:
        for account, subscription, charge in customers(4):
            fake.accounts.add(account)
            fake.subscriptions.add(subscription)
            if charge is not None:
                fake.charges.add(account.id, charge)
        fake.commit()
    deps = BillingDeps(lambda: FakeUnitOfWork(state), seed_catalog, SELLER)
    for period, day in ((FEBRUARY, FEBRUARY_FIRST), ("2026-03", date(2026, 3, 1))):
        expected = run_bill_run(deps, BillRunRequest(period, day, 3))
        assert bill(backend.engine, period, day, batch_size=3).documents == expected.documents
    with backend.uow() as uow:
        assert {n: uow.documents.get(n) for n in state.documents} == state.documents


def start_child(backend: Backend, *options: str) -> subprocess.Popen[str]:
    url = backend.url + ("?application_name=" + CHILD_NAME if backend.name == "postgres" else "")
    command = [*CHILD, url, FEBRUARY, FEBRUARY_FIRST.isoformat(), *options]
    return subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(child: subprocess.Popen[str]) -> dict[str, Any]:
    out, err = child.communicate(timeout=300)
    assert child.returncode == 0, err
    result: dict[str, Any] = json.loads(out)
    return result


def wait_for_killed_sessions(backend: Backend) -> None:
    """A killed client's PostgreSQL session ends (and releases its locks) a moment after the process."""
    if backend.name != "postgres":
        return
    query = text("SELECT pid FROM pg_stat_activity WHERE application_name = :name")
    for _ in range(500):
        with backend.engine.connect() as connection:
            if not connection.execute(query, {"name": CHILD_NAME}).all():
                return
        time.sleep(0.01)
    raise AssertionError("the killed bill run's session is still open after 5 s")


def assert_billed_exactly_once(backend: Backend, accounts: int) -> None:
    assert backend.count(t.billed_accounts) == accounts
    per_account = documents_per_account(backend, FEBRUARY)
    assert len(per_account) == accounts and set(per_account.values()) == {1}
    assert invoice_sequences(backend) == list(range(1, accounts + 1))


@pytest.mark.slow
def test_a_killed_run_is_finished_by_the_next(backend: Backend) -> None:
    accounts = 2000
    add_customers(backend.engine, accounts)
    child = start_child(backend, "--batch-size", "20", "--commit-delay", "0.02")
    billed = 0
    while child.poll() is None and (billed := backend.count(t.billed_accounts)) < accounts // 5:
        time.sleep(0.005)
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL, "the bill run ended before it could be killed"
    wait_for_killed_sessions(backend)
    billed = backend.count(t.billed_accounts)
    assert 0 < billed < accounts and billed % 20 == 0  # whole batches: the open one left nothing behind
    # what was committed is whole: every processed account has its invoice, numbered without a gap
    assert sum(documents_per_account(backend, FEBRUARY).values()) == billed
    assert invoice_sequences(backend) == list(range(1, billed + 1))
    rerun = finish(start_child(backend, "--batch-size", "20"))
    assert (rerun["billed"], rerun["already_processed"]) == (accounts - billed, billed)
    assert_billed_exactly_once(backend, accounts)


@pytest.mark.slow
def test_two_runs_at_once_bill_every_account_once(backend: Backend) -> None:
    accounts = 2000
    add_customers(backend.engine, accounts)
    children = [start_child(backend, "--batch-size", "20", "--commit-delay", "0.002") for _ in range(2)]
    results = [finish(child) for child in children]
    assert sum(result["billed"] for result in results) == accounts
    assert_billed_exactly_once(backend, accounts)
