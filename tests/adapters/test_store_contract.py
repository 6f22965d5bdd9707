"""The storage ports (telbill.app.store) over SQL: one contract, run on SQLite and on PostgreSQL.

Every value written comes back equal; a transaction is all or nothing; numbering is gap-free; issued
documents cannot be changed; concurrent transactions skip each other's accounts (PostgreSQL).
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text, update
from sqlalchemy.exc import DBAPIError

from telbill.adapters.db import make_engine, migrations, upgrade
from telbill.adapters.db import tables as t
from telbill.core.accounts import Account, Mandate, PaymentMethod, SequenceType
from telbill.core.billing.charges import BilledRecurring, PendingCharge
from telbill.core.billing.invoice import DocumentReference
from telbill.core.catalog.inputs import Order
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.money import Money
from telbill.core.subscriptions import Event, EventKind, Subscription
from tests.adapters.conftest import Backend
from tests.adapters.sql_documents import credit_note, indemnity, invoice
from tests.adapters.sql_seeds import professional, residential


def direct_debit(account_id: str) -> Account:
    account = residential(account_id)
    mandate = Mandate("UMR-0001", date(2025, 12, 1), "BE21001234567803", "GEBABEBB", SequenceType.RECURRING)
    return Account(
        account.id, account.party, account.segment, account.catalog_id, 15, PaymentMethod.DIRECT_DEBIT, mandate, 14
    )


def clic_bureau(sub_id: str = "SUB-1", account_id: str = "ACC-1") -> Subscription:
    events = (
        Event(EventKind.REQUEST_INSTALLATION, date(2026, 3, 1)),
        Event(EventKind.ACTIVATE, date(2026, 3, 10)),
        Event(EventKind.ADD_OPTION, date(2026, 3, 20), "SPEEDBOOST-1GB"),
    )
    return Subscription(sub_id, account_id, "CLIC-BUREAU", ("SAFESPOT-PRO",), events, ("+3223456789", "+32470123456"))


def charge(charge_id: str, day: date = date(2026, 3, 10), quantity: str | None = None) -> PendingCharge:
    order = Order("INSTALL-BUSINESS", None if quantity is None else Decimal(quantity), (("floor", "2"), ("é", "ü")))
    return PendingCharge(charge_id, "SUB-1", order, day, "installation")


def with_accounts(backend: Backend, *ids: str) -> None:
    with backend.uow() as uow:
        for account_id in ids:
            uow.accounts.add(professional(account_id))
        uow.commit()


def expect_error(code: str, kind: ErrorKind) -> pytest.RaisesExc[TelbillError]:
    return pytest.raises(TelbillError, check=lambda e: (e.code, e.kind) == (code, kind))


# --- accounts -------------------------------------------------------------------------------------------


def test_accounts_come_back_equal(backend: Backend) -> None:
    accounts = [professional("ACC-2"), direct_debit("ACC-3"), residential("ACC-1")]
    with backend.uow() as uow:
        for account in accounts:
            uow.accounts.add(account)
        uow.commit()
    with backend.uow() as uow:
        assert uow.accounts.get("ACC-3") == accounts[1]
        assert uow.accounts.many(["ACC-3", "NOPE", "ACC-1"]) == [accounts[1], accounts[2]]
        assert uow.accounts.ids() == ["ACC-1", "ACC-2", "ACC-3"]


def test_account_errors(backend: Backend) -> None:
    with_accounts(backend, "ACC-1")
    with backend.uow() as uow:
        with expect_error("account.not_found", ErrorKind.NOT_FOUND):
            uow.accounts.get("ACC-9")
        with expect_error("account.exists", ErrorKind.CONFLICT):
            uow.accounts.add(residential("ACC-1"))
        assert uow.accounts.get("ACC-1") == professional("ACC-1")


def test_many_reads_more_ids_than_one_statement_may_carry(backend: Backend) -> None:
    ids = [f"ACC-{n:05d}" for n in range(2100)]
    with backend.uow() as uow:
        for account_id in ids[::100]:
            uow.accounts.add(residential(account_id))
        uow.commit()
    with backend.uow() as uow:
        assert [a.id for a in uow.accounts.many(ids)] == ids[::100]


def test_ids_that_an_array_literal_must_quote_are_found_as_they_are(backend: Backend) -> None:
    # PostgreSQL receives the ids as the text of an array: each double-quoted, \\ and " escaped
    ids = ['ACC-"quoted"', "ACC-back\\slash", "ACC-comma,brace}", "ACC-{NULL}", "NULL", "ACC- é ✓ "]
    with backend.uow() as uow:
        for account_id in ids:
            uow.accounts.add(residential(account_id))
        uow.commit()
    with backend.uow() as uow:
        assert [a.id for a in uow.accounts.many([*ids, "ACC-"])] == ids
        assert set(uow.lock_accounts(ids)) == set(ids)


# --- subscriptions --------------------------------------------------------------------------------------


def test_subscriptions_come_back_equal_and_grouped_by_account(backend: Backend) -> None:
    with_accounts(backend, "ACC-1", "ACC-2")
    subs = [clic_bureau("SUB-2"), clic_bureau("SUB-1"), Subscription("SUB-3", "ACC-2", "CLIC-BUREAU")]
    with backend.uow() as uow:
        for subscription in subs:
            uow.subscriptions.add(subscription)
        uow.commit()
    with backend.uow() as uow:
        assert uow.subscriptions.get("SUB-2") == subs[0]
        assert uow.subscriptions.for_accounts(["ACC-1", "ACC-2", "ACC-9"]) == {
            "ACC-1": [subs[1], subs[0]],
            "ACC-2": [subs[2]],
        }


def test_save_rewrites_the_event_log(backend: Backend) -> None:
    with_accounts(backend, "ACC-1")
    with backend.uow() as uow:
        uow.subscriptions.add(clic_bureau())
        uow.commit()
    later = clic_bureau().with_event(Event(EventKind.TERMINATE, date(2026, 6, 1)))
    with backend.uow() as uow:
        uow.subscriptions.save(later)
        uow.commit()
    with backend.uow() as uow:
        assert uow.subscriptions.get("SUB-1") == later
        shorter = Subscription("SUB-1", "ACC-1", "CLIC-BUREAU", (), (Event(EventKind.ACTIVATE, date(2026, 3, 1)),))
        uow.subscriptions.save(shorter)
        assert uow.subscriptions.get("SUB-1") == shorter


def test_subscription_errors(backend: Backend) -> None:
    with_accounts(backend, "ACC-1")
    with backend.uow() as uow:
        uow.subscriptions.add(clic_bureau())
        with expect_error("subscription.exists", ErrorKind.CONFLICT):
            uow.subscriptions.add(clic_bureau())
        with expect_error("subscription.not_found", ErrorKind.NOT_FOUND):
            uow.subscriptions.get("SUB-9")
        with expect_error("subscription.not_found", ErrorKind.NOT_FOUND):
            uow.subscriptions.save(clic_bureau("SUB-9"))
        with expect_error("subscriptions.reference", ErrorKind.NOT_FOUND):
            uow.subscriptions.add(clic_bureau("SUB-8", "ACC-9"))


# --- pending charges ------------------------------------------------------------------------------------


def test_charges_are_insert_or_ignore_by_id(backend: Backend) -> None:
    with_accounts(backend, "ACC-1", "ACC-2")
    first = charge("C-1", quantity="2.5")
    with backend.uow() as uow:
        assert uow.charges.add("ACC-1", first) is True
        assert uow.charges.add("ACC-1", first) is False
        uow.commit()
    with backend.uow() as uow:
        assert uow.charges.add("ACC-2", charge("C-1", date(2026, 1, 1))) is False  # known: left as it was
        assert uow.charges.unbilled(["ACC-1", "ACC-2"], date(2026, 12, 31)) == {"ACC-1": [first]}


def test_unbilled_charges_until_a_day_and_until_billed(backend: Backend) -> None:
    with_accounts(backend, "ACC-1", "ACC-2")
    march, april, other = charge("C-1"), charge("C-2", date(2026, 4, 2)), charge("C-3", date(2026, 3, 1))
    with backend.uow() as uow:
        uow.charges.add("ACC-1", april)
        uow.charges.add("ACC-1", march)
        uow.charges.add("ACC-2", other)
        uow.documents.add(invoice("F2026-000001"))
        uow.commit()
    with backend.uow() as uow:
        assert uow.charges.unbilled(["ACC-1", "ACC-2"], date(2026, 4, 1)) == {"ACC-1": [march], "ACC-2": [other]}
        uow.charges.mark_billed(["C-1", "C-3"], "F2026-000001")
        assert uow.charges.unbilled(["ACC-1", "ACC-2"], date(2026, 4, 2)) == {"ACC-1": [april]}
        uow.commit()
    for twice in (["C-2", "C-1"], ["C-2", "C-9"]):  # billed already; unknown
        with backend.uow() as uow:
            uow.charges.mark_billed(twice, "F2026-000001")
            with expect_error("charge.billed", ErrorKind.CONFLICT):
                uow.flush()


def test_a_charge_marked_twice_in_one_batch_is_refused_and_the_batch_marks_nothing(backend: Backend) -> None:
    with_accounts(backend, "ACC-1")
    with backend.uow() as uow:
        uow.charges.add("ACC-1", charge("C-1"))
        uow.charges.add("ACC-1", charge("C-2"))
        uow.documents.add(invoice("F2026-000001"))
        uow.commit()
    with backend.uow() as uow:
        uow.charges.mark_billed(["C-1", "C-2"], "F2026-000001")
        uow.charges.mark_billed(["C-2"], "F2026-000001")  # the same charge on a second document of the batch
        with expect_error("charge.billed", ErrorKind.CONFLICT):
            uow.flush()
    with backend.uow() as uow:  # rolled back: both still wait for an invoice
        assert [c.id for c in uow.charges.unbilled(["ACC-1"], date(2026, 12, 31))["ACC-1"]] == ["C-1", "C-2"]


def test_amounts_beyond_the_column_are_refused_not_rounded(backend: Backend) -> None:
    with_accounts(backend, "ACC-1")
    with backend.uow() as uow, expect_error("db.decimal_scale", ErrorKind.INVALID):
        uow.charges.add("ACC-1", charge("C-1", quantity="1.0000001"))


# --- documents ------------------------------------------------------------------------------------------


def test_documents_come_back_equal(backend: Backend) -> None:
    with_accounts(backend, "ACC-1")
    first = invoice("F2026-000001")
    documents = [first, credit_note("C2026-000001", first), indemnity("F2026-000002")]
    with backend.uow() as uow:
        for stored in documents:
            uow.documents.add(stored)
        assert uow.documents.get("F2026-000001") == first  # the reads of a transaction see its writes
        uow.commit()
    with backend.uow() as uow:
        for stored in documents:
            assert uow.documents.get(stored.document.number) == stored
        assert uow.documents.for_account("ACC-1") == [documents[0], documents[2], documents[1]]
        assert uow.documents.for_account("ACC-2") == []
        with expect_error("document.not_found", ErrorKind.NOT_FOUND):
            uow.documents.get("F2026-000009")


def test_document_totals_are_stored_for_queries(backend: Backend) -> None:
    with_accounts(backend, "ACC-1")
    stored = invoice("F2026-000001")
    with backend.uow() as uow:
        uow.documents.add(stored)
        uow.commit()
        docs = t.documents
        row = uow.connection.execute(select(docs.c.total_net, docs.c.total_vat, docs.c.total_gross)).one()
    totals = stored.document.totals
    assert tuple(row) == (totals.net.amount, totals.vat.amount, totals.gross.amount)


def test_billed_recurring_and_latest_invoices(backend: Backend) -> None:
    with_accounts(backend, "ACC-1", "ACC-2")
    april, may = invoice("F2026-000002"), invoice("F2026-000003", issue=date(2026, 5, 1))
    same_day = invoice("F2026-000001", "ACC-2")
    with backend.uow() as uow:
        for stored in (april, may, credit_note("C2026-000001", april, date(2026, 6, 1)), same_day):
            uow.documents.add(stored)
        uow.documents.add(invoice("F2026-000004", "ACC-2"))
        uow.commit()
    with backend.uow() as uow:
        billed = uow.documents.billed_recurring(["ACC-1", "ACC-9"])
        latest = uow.documents.latest_invoices(["ACC-1", "ACC-2", "ACC-9"])
    line = ("SUB-1", "CLIC-BUREAU", date(2026, 4, 1))
    assert list(billed) == ["ACC-1"]  # in no particular order: the core adds them up
    assert Counter(billed["ACC-1"]) == Counter(
        [
            BilledRecurring(*line, Money.of("69.64")),
            BilledRecurring(*line, Money.of("69.64")),
            BilledRecurring(*line, Money.of("-35.94")),
        ]
    )
    assert latest == {
        "ACC-1": DocumentReference("F2026-000003", date(2026, 5, 1)),  # the credit note is no invoice
        "ACC-2": DocumentReference("F2026-000004", date(2026, 4, 1)),  # same day: the higher number
    }


def test_an_issued_document_cannot_be_changed_through_the_adapter(backend: Backend) -> None:
    with_accounts(backend, "ACC-1")
    original = invoice("F2026-000001")
    with backend.uow() as uow:
        uow.documents.add(original)
        uow.commit()
    with backend.uow() as uow:
        uow.documents.add(invoice("F2026-000002"))
        uow.documents.add(indemnity("F2026-000001"))  # the same number, other contents
        with expect_error("document.exists", ErrorKind.CONFLICT):
            uow.commit()
    with backend.uow() as uow, expect_error("document.exists", ErrorKind.CONFLICT):
        uow.documents.add(original)
        uow.documents.add(original)
    with backend.uow() as uow:
        assert uow.documents.for_account("ACC-1") == [original]  # nothing half-written
    assert backend.count(t.document_lines) == len(original.document.lines)


@pytest.mark.parametrize(
    "statement",
    [
        update(t.documents).values(total_gross=Decimal("0.00")),
        update(t.document_lines).where(t.document_lines.c.line_no == 1).values(net=Decimal("1.00")),
        t.document_lines.delete(),
        t.documents.delete(),
    ],
    ids=["update document", "update line", "delete lines", "delete document"],
)
def test_the_database_refuses_to_change_issued_documents(backend: Backend, statement: object) -> None:
    with_accounts(backend, "ACC-1")
    original = invoice("F2026-000001")
    with backend.uow() as uow:
        uow.documents.add(original)
        uow.commit()
    with backend.uow() as uow, pytest.raises(DBAPIError, match=r"telbill\.document_immutable"):
        uow.connection.execute(statement)  # type: ignore[call-overload]
    with backend.uow() as uow:
        assert uow.documents.get("F2026-000001") == original


# --- bill runs ------------------------------------------------------------------------------------------


def test_processed_marks_are_unique_per_period(backend: Backend) -> None:
    with_accounts(backend, "ACC-1", "ACC-2", "ACC-3")
    with backend.uow() as uow:
        assert uow.bill_runs.processed("2026-04", ["ACC-1", "ACC-2"]) == set()
        uow.bill_runs.mark_processed("2026-04", ["ACC-1", "ACC-2"])
        uow.bill_runs.mark_processed("2026-05", ["ACC-1"])
        uow.commit()
    with backend.uow() as uow:
        assert uow.bill_runs.processed("2026-04", ["ACC-1", "ACC-2", "ACC-3"]) == {"ACC-1", "ACC-2"}
        assert uow.bill_runs.processed("2026-05", ["ACC-1", "ACC-2", "ACC-3"]) == {"ACC-1"}
        with expect_error("billrun.processed", ErrorKind.CONFLICT):
            uow.bill_runs.mark_processed("2026-04", ["ACC-3", "ACC-2"])
    with backend.uow() as uow:
        assert uow.bill_runs.processed("2026-04", ["ACC-3"]) == set()


# --- numbering and transactions -------------------------------------------------------------------------


def test_numbers_are_gap_free_across_commits_and_rollbacks(backend: Backend) -> None:
    with backend.uow() as uow:
        assert (uow.numbers.allocate("F2026", 1), uow.numbers.allocate("F2026", 3)) == (1, 2)
        assert uow.numbers.allocate("C2026", 2) == 1
        uow.commit()
    with backend.uow() as uow:
        assert uow.numbers.allocate("F2026", 10) == 5  # never committed: given back
    with backend.uow() as uow:
        assert uow.numbers.allocate("F2026", 1) == 5
        assert uow.numbers.allocate("C2026", 1) == 3
        uow.commit()
        with expect_error("numbering.count", ErrorKind.INVALID):
            uow.numbers.allocate("F2026", 0)


def test_leaving_without_commit_writes_nothing(backend: Backend) -> None:
    with backend.uow() as uow:
        uow.accounts.add(professional("ACC-1"))
        uow.commit()
        uow.accounts.add(professional("ACC-2"))  # after the commit: a new transaction, never committed
    with pytest.raises(RuntimeError), backend.uow() as uow:
        uow.accounts.add(professional("ACC-3"))
        raise RuntimeError("boom")
    with backend.uow() as uow:
        assert uow.accounts.ids() == ["ACC-1"]


def test_lock_accounts_gives_every_account_to_a_single_transaction(backend: Backend) -> None:
    with_accounts(backend, "ACC-1", "ACC-2", "ACC-3")
    with backend.uow() as uow:
        assert uow.lock_accounts(["ACC-2", "ACC-1"]) == ["ACC-2", "ACC-1"]


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"], indirect=True)  # SQLite: BEGIN IMMEDIATE makes others wait
def test_lock_accounts_skips_the_accounts_another_transaction_holds(backend: Backend) -> None:
    with_accounts(backend, "ACC-1", "ACC-2", "ACC-3")
    with backend.uow() as first, backend.uow() as second:
        assert first.lock_accounts(["ACC-1", "ACC-2"]) == ["ACC-1", "ACC-2"]
        assert second.lock_accounts(["ACC-1", "ACC-2", "ACC-3"]) == ["ACC-3"]
    with backend.uow() as third:
        assert third.lock_accounts(["ACC-1", "ACC-2", "ACC-3"]) == ["ACC-1", "ACC-2", "ACC-3"]


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgres"], indirect=True)  # SQLite: one writing transaction at a time
def test_a_second_allocation_waits_for_the_first_transaction(backend: Backend) -> None:
    got: list[int] = []
    with backend.uow() as first:
        assert first.numbers.allocate("F2026", 5) == 1

        def allocate() -> None:
            with backend.uow() as second:
                got.append(second.numbers.allocate("F2026", 1))
                second.commit()

        waiter = threading.Thread(target=allocate)
        waiter.start()
        waiter.join(0.5)
        assert waiter.is_alive() and got == []  # blocked on the series row
    waiter.join(10)  # the first rolled back: its five numbers are given back
    assert got == [1]
    with backend.uow() as uow:
        assert uow.connection.scalar(text("SELECT next_value FROM number_series")) == 2


# --- schema ---------------------------------------------------------------------------------------------


def test_the_migrated_schema_is_the_declared_one(backend: Backend) -> None:
    with backend.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, t.every_table()) == []


def test_migrations_go_down_and_up_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    upgrade(url)
    settings = migrations.config(url)
    command.downgrade(settings, "base")
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            assert inspect(connection).get_table_names() == ["alembic_version"]
        upgrade(engine)
        with engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) == {*t.every_table().tables, "alembic_version"}
    finally:
        engine.dispose()
