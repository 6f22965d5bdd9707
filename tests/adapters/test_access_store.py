"""The access repositories and listings: the same story on the fakes (the reference) and on SQL (SQLite and
PostgreSQL) leaves the same answers; and the read-only engine refuses to write."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from telbill.adapters.db import SqlUnitOfWork, make_engine
from telbill.adapters.db.readonly import make_reader
from telbill.adapters.security.passwords import Argon2Passwords, fast_passwords
from telbill.app.access import Role
from telbill.app.access_store import (
    ApiToken,
    CustomerLogin,
    DocumentFilter,
    KeyedResponse,
    PageRequest,
    SessionRecord,
    StaffMember,
)
from telbill.core.billing.invoice import DocumentType
from telbill.core.errors import ErrorKind, TelbillError
from tests.adapters.conftest import Backend
from tests.adapters.conftest import _empty_postgres as empty_postgres
from tests.adapters.sql_documents import credit_note, invoice
from tests.adapters.sql_seeds import professional
from tests.app.fakes import FakeUnitOfWork, State

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(params=["fake", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Any]]:
    if request.param == "fake":
        state = State()
        yield lambda: FakeUnitOfWork(state)
        return
    if request.param == "postgres":
        engine: Engine = request.getfixturevalue("pg_engine")
        empty_postgres(engine)
        yield lambda: SqlUnitOfWork(engine)
        return
    path = tmp_path / "telbill.sqlite"
    shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
    engine = make_engine(f"sqlite:///{path}")
    yield lambda: SqlUnitOfWork(engine)
    engine.dispose()


def _accounts(store: Callable[[], Any]) -> None:
    with store() as uow:
        for account_id in ("ACC-1", "ACC-2", "ACC-3"):
            uow.accounts.add(professional(account_id))
        uow.commit()


def _accounts_with_three_documents(store: Callable[[], Any]) -> Any:
    """Two invoices of April (ACC-1, ACC-2) and a credit note of May on ACC-1's; ACC-1's invoice."""
    _accounts(store)
    first = invoice("F2026-000001", "ACC-1", date(2026, 4, 1))
    with store() as uow:
        uow.documents.add(first)
        uow.documents.add(invoice("F2026-000002", "ACC-2", date(2026, 4, 1)))
        uow.documents.add(credit_note("C2026-000001", first, date(2026, 5, 1)))
        uow.commit()
    return first


def test_staff_tokens_and_logins_are_kept_and_found_and_duplicates_refused(store: Callable[[], Any]) -> None:
    _accounts(store)
    with store() as uow:
        uow.identities.add_staff(StaffMember("ann", "ann@example.org", "Ann", Role.BILLING, "hash"))
        uow.identities.add_token(ApiToken("t1", "ann", "ci", "ab" * 32, NOW))
        uow.identities.add_login(CustomerLogin("l1", "a@example.org", "ACC-1", "hash", None))
        uow.commit()
    with store() as uow:
        for duplicate in (
            StaffMember("ann", "x@example.org", "A", Role.ADMIN),
            StaffMember("bob", "ann@example.org", "B", Role.ADMIN),
        ):
            with pytest.raises(TelbillError) as refused:
                uow.identities.add_staff(duplicate)
            assert refused.value.kind is ErrorKind.CONFLICT
        with pytest.raises(TelbillError) as taken:
            uow.identities.add_login(CustomerLogin("l2", "a@example.org", "ACC-2", "hash", None))
        assert taken.value.code == "login.exists"
    with store() as uow:
        assert uow.identities.staff("ann").role is Role.BILLING
        assert uow.identities.staff_by_email("ann@example.org") is not None
        assert uow.identities.staff_by_email("nobody@example.org") is None
        assert [s.id for s in uow.identities.all_staff()] == ["ann"]
        assert uow.identities.token("t1") == ApiToken("t1", "ann", "ci", "ab" * 32, NOW)
        assert uow.identities.token("nope") is None
        uow.identities.revoke_token("t1")
        login = uow.identities.login_by_email("a@example.org")
        assert login is not None and login.account_id == "ACC-1"
        uow.identities.save_login(CustomerLogin("l1", "a@example.org", "ACC-1", "hash", "nl"))
        uow.commit()
    with store() as uow:
        assert [t.revoked for t in uow.identities.tokens_of("ann")] == [True]
        assert [x.language for x in uow.identities.logins_of("ACC-1")] == ["nl"]
        with pytest.raises(TelbillError) as missing:
            uow.identities.staff("nobody")
        assert missing.value.kind is ErrorKind.NOT_FOUND


def test_sessions_are_found_by_hash_dropped_and_expired(store: Callable[[], Any]) -> None:
    with store() as uow:
        for n, hours in ((1, 1), (2, 9)):
            uow.sessions.add(SessionRecord(f"h{n}", "staff", "ann", "csrf", NOW, NOW + timedelta(hours=hours)))
        uow.commit()
    with store() as uow:
        found = uow.sessions.get("h1")
        assert found is not None and found.expires == NOW + timedelta(hours=1)
        assert uow.sessions.drop_expired(NOW + timedelta(hours=2)) == 1
        uow.sessions.drop("h2")
        uow.commit()
    with store() as uow:
        assert uow.sessions.get("h1") is None and uow.sessions.get("h2") is None


def test_an_idempotency_key_is_claimed_once_completed_and_released(store: Callable[[], Any]) -> None:
    claimed = KeyedResponse("staff:ann", "k", "f" * 64, 0, b"", "", NOW)
    with store() as uow:
        assert uow.idempotency.claim(claimed) is None
        uow.commit()
    with store() as uow:
        assert uow.idempotency.claim(claimed) == claimed
        uow.idempotency.complete("staff:ann", "k", 201, b'{"id": 1}', "application/json")
        uow.commit()
    with store() as uow:
        again = uow.idempotency.claim(claimed)
        assert again is not None and (again.status, again.body) == (201, b'{"id": 1}')
        uow.idempotency.release("staff:ann", "k")
        assert uow.idempotency.claim(claimed) is None


def test_listings_page_accounts_documents_subscriptions_in_a_stable_order(store: Callable[[], Any]) -> None:
    first = _accounts_with_three_documents(store)
    with store() as uow:
        accounts = uow.listings.accounts(PageRequest(1, 1))
        assert ([a.id for a in accounts.items], accounts.total) == (["ACC-2"], 3)
        everything = uow.listings.documents(PageRequest(0, 10), DocumentFilter())
        assert [d.number for d in everything.items] == ["C2026-000001", "F2026-000002", "F2026-000001"]
        mine = uow.listings.documents(PageRequest(0, 10), DocumentFilter("ACC-1", DocumentType.INVOICE, "2026-04"))
        [only] = mine.items
        assert (only.number, only.gross, only.buyer_name) == (
            "F2026-000001",
            str(first.document.totals.gross),
            first.document.buyer.name,
        )
        assert only.communication == first.document.structured_communication.digits  # type: ignore[union-attr]
        assert uow.listings.document("C2026-000001").preceding_number == "F2026-000001"
        with pytest.raises(TelbillError):
            uow.listings.document("nope")
        assert uow.listings.subscription_ids(PageRequest(0, 10)).total == 0


def test_the_read_only_engine_reads_and_refuses_to_write(backend: Backend) -> None:
    with backend.uow() as uow:
        uow.accounts.add(professional("ACC-1"))
        uow.commit()
    reader = make_reader(backend.url)
    try:
        with SqlUnitOfWork(reader) as uow:
            assert uow.accounts.ids() == ["ACC-1"]
        with SqlUnitOfWork(reader) as uow, pytest.raises(Exception, match=r"(?i)read.only|readonly"):
            uow.connection.execute(text("DELETE FROM access_sessions"))
    finally:
        reader.dispose()


def test_a_reading_unit_of_work_sees_one_snapshot_whatever_is_committed_meanwhile(backend: Backend) -> None:
    with backend.uow() as uow:
        uow.accounts.add(professional("ACC-1"))
        uow.commit()
    reader = make_reader(backend.url)
    try:
        with SqlUnitOfWork(reader) as reading:
            assert reading.accounts.ids() == ["ACC-1"]
            with backend.uow() as uow:
                uow.accounts.add(professional("ACC-2"))
                uow.commit()
            assert reading.accounts.ids() == ["ACC-1"]
        with SqlUnitOfWork(reader) as reading:
            assert reading.accounts.ids() == ["ACC-1", "ACC-2"]
    finally:
        reader.dispose()


@pytest.mark.postgres
def test_a_reading_connection_prepares_the_statements_it_repeats_and_still_ends_a_failure(pg_engine: Engine) -> None:
    """Reading transactions end with COMMIT (a ROLLBACK would make psycopg forget its prepared statements), so a
    list repeated on one connection is parsed and planned once; a failed one still ends rolled back."""
    empty_postgres(pg_engine)
    with SqlUnitOfWork(pg_engine) as uow:
        uow.accounts.add(professional("ACC-1"))
        uow.commit()
    reader = make_reader(pg_engine.url.render_as_string(hide_password=False))
    try:
        for _ in range(8):
            with SqlUnitOfWork(reader) as uow:
                uow.listings.documents(PageRequest(0, 20), DocumentFilter("ACC-1"))
        with SqlUnitOfWork(reader) as uow:
            prepared = uow.connection.execute(text("SELECT statement FROM pg_prepared_statements")).scalars().all()
            assert any("FROM documents" in statement for statement in prepared)
        with SqlUnitOfWork(reader) as uow, pytest.raises(Exception, match=r"(?i)read.only|readonly"):
            uow.connection.execute(text("DELETE FROM access_sessions"))
        with SqlUnitOfWork(reader) as uow:
            assert uow.accounts.ids() == ["ACC-1"]
    finally:
        reader.dispose()


def test_argon2_hashes_verify_their_password_only_and_carry_their_parameters() -> None:
    for hasher in (fast_passwords(), Argon2Passwords()):
        hashed = hasher.hash("correct horse battery")
        assert hashed.startswith("$argon2id$")
        assert hasher.verify(hashed, "correct horse battery")
        assert not hasher.verify(hashed, "Correct horse battery")
        assert not hasher.verify("not a hash", "correct horse battery")


def test_the_ledger_stamp_counts_what_decides_a_bills_state(store: Callable[[], Any]) -> None:
    _accounts(store)
    with store() as uow:
        assert uow.listings.ledger_stamp("ACC-1") == (0, 0, 0)
        first = invoice("F2026-000001", "ACC-1", date(2026, 4, 1))
        uow.documents.add(first)
        uow.documents.add(credit_note("C2026-000001", first, date(2026, 5, 1)))
        uow.commit()
    with store() as uow:
        assert uow.listings.ledger_stamp("ACC-1") == (2, 0, 0)
        assert uow.listings.ledger_stamp("ACC-2") == (0, 0, 0)


def test_a_listing_by_account_carries_the_accounts_ledger_stamp(store: Callable[[], Any]) -> None:
    _accounts(store)
    with store() as uow:
        uow.documents.add(invoice("F2026-000001", "ACC-1", date(2026, 4, 1)))
        uow.commit()
    with store() as uow:
        [mine] = uow.listings.documents(PageRequest(0, 5), DocumentFilter("ACC-1")).items
        assert mine.ledger_stamp == uow.listings.ledger_stamp("ACC-1") == (1, 0, 0)
        [anyone] = uow.listings.documents(PageRequest(0, 5), DocumentFilter()).items
        assert anyone.ledger_stamp is None


def test_bill_run_jobs_are_saved_replaced_and_listed_latest_first(store: Callable[[], Any]) -> None:
    from dataclasses import replace

    from telbill.app.access_store import BillRunJob, JobState
    from telbill.core.money import Money

    first = BillRunJob("BR-1", "2026-04", date(2026, 4, 1), JobState.IN_PROGRESS, NOW, NOW)
    second = BillRunJob("BR-2", "2026-05", date(2026, 5, 1), JobState.IN_PROGRESS, NOW + timedelta(hours=1), NOW)
    with store() as uow:
        uow.bill_run_jobs.save(first)
        uow.bill_run_jobs.save(second)
        done = replace(
            first,
            state=JobState.COMPLETED,
            finished=NOW,
            accounts=2,
            accounts_done=2,
            invoices=1,
            documents=("F2026-000001",),
            total_signed_gross=Money.of("12.10"),
        )
        uow.bill_run_jobs.save(done)
        uow.commit()
    with store() as uow:
        assert uow.bill_run_jobs.get("BR-1") == done
        assert [j.id for j in uow.bill_run_jobs.recent(5)] == ["BR-2", "BR-1"]
        assert [j.id for j in uow.bill_run_jobs.of_period("2026-05")] == ["BR-2"]
        with pytest.raises(TelbillError):
            uow.bill_run_jobs.get("nope")


def test_unposted_facts_are_what_the_ledgers_unposted_answers_for_the_account(store: Callable[[], Any]) -> None:
    _accounts_with_three_documents(store)
    with store() as uow:
        for account in ("ACC-1", "ACC-2", "ACC-3"):
            expected = [facts for _, facts in uow.ledgers.unposted([account])]
            assert uow.listings.unposted_facts(account) == expected
        assert [f.number for f in uow.listings.unposted_facts("ACC-1")] == ["F2026-000001", "C2026-000001"]
