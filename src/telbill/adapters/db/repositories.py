"""The repositories of ``telbill.app.store`` over SQL (SQLAlchemy Core, no ORM on any path).

Contract: the semantics of the ports (``tests/app/fakes.py`` is the reference) on the transaction of one
``SqlUnitOfWork``. Every batch method queries per chunk of ids (``IN`` lists of at most ``IN_LIST_SIZE`` on
SQLite, ``= ANY(array)`` on PostgreSQL), never per row; reads flush the deferred writes first
(``deferred.py``). Errors are ``TelbillError``: ``<what>.not_found`` (NOT_FOUND), ``<what>.exists``
(CONFLICT) — the codes of the fakes; unlike the fakes, adding a subscription twice or saving an unknown one
is refused. After a refused write the transaction must be rolled back (PostgreSQL has aborted it anyway).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import groupby
from typing import Any

from sqlalchemy import Table, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from telbill.adapters.db import rows
from telbill.adapters.db import tables as t
from telbill.adapters.db.deferred import Transaction, issued_already
from telbill.app.store import StoredDocument
from telbill.core.accounts import Account
from telbill.core.billing.charges import BilledRecurring, ChargeKind, PendingCharge
from telbill.core.billing.invoice import DocumentReference, DocumentType
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.money import Money
from telbill.core.subscriptions import Subscription


def _missing(what: str, key: str) -> TelbillError:
    return TelbillError(f"{what}.not_found", f"no {what} {key}", ErrorKind.NOT_FOUND)


def _insert_new(tx: Transaction, table: Table, values: dict[str, Any]) -> bool:
    """Insert unless the primary key exists (race-safe: ON CONFLICT DO NOTHING); True when inserted."""
    dialect = postgresql if tx.dialect == "postgresql" else sqlite
    # RETURNING rather than rowcount, which drivers need not report for an INSERT
    statement = dialect.insert(table).values(values).on_conflict_do_nothing().returning(*table.primary_key)
    try:
        return tx.execute(statement).first() is not None
    except IntegrityError as error:  # a foreign key: the row refers to something unknown
        raise TelbillError(f"{table.name}.reference", str(error.orig), ErrorKind.NOT_FOUND) from error


class SqlAccounts:
    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    def add(self, account: Account) -> None:
        if not _insert_new(self.tx, t.accounts, rows.account_row(account)):
            raise TelbillError("account.exists", f"account {account.id} exists", ErrorKind.CONFLICT)

    def get(self, account_id: str) -> Account:
        found = self.many([account_id])
        if not found:
            raise _missing("account", account_id)
        return found[0]

    def many(self, account_ids: Sequence[str]) -> list[Account]:
        """The accounts that exist, in the order of ``account_ids``."""
        self.tx.flush()
        by_id: dict[str, Account] = {}
        for part in self.tx.parts(account_ids):
            query = select(t.accounts).where(self.tx.among(t.accounts.c.id, part))
            by_id.update((row["id"], rows.account_from_row(row)) for row in self.tx.execute(query).mappings().all())
        return [by_id[i] for i in account_ids if i in by_id]

    def ids(self) -> list[str]:
        self.tx.flush()
        return list(self.tx.scalars(select(t.accounts.c.id).order_by(t.accounts.c.id)))


class SqlSubscriptions:
    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    def add(self, subscription: Subscription) -> None:
        if not _insert_new(self.tx, t.subscriptions, rows.subscription_row(subscription)):
            raise TelbillError("subscription.exists", f"subscription {subscription.id} exists", ErrorKind.CONFLICT)
        self._insert_events(subscription)

    def get(self, subscription_id: str) -> Subscription:
        found = self._load(t.subscriptions.c.id == subscription_id)
        if not found:
            raise _missing("subscription", subscription_id)
        return found[0]

    def save(self, subscription: Subscription) -> None:
        """Write the subscription as it is now: its row, and its event log rewritten."""
        row = rows.subscription_row(subscription)
        query = update(t.subscriptions).where(t.subscriptions.c.id == subscription.id).values(row)
        if self.tx.execute(query).rowcount != 1:
            raise _missing("subscription", subscription.id)
        events = t.subscription_events
        self.tx.execute(delete(events).where(events.c.subscription_id == subscription.id))
        self._insert_events(subscription)

    def for_accounts(self, account_ids: Sequence[str]) -> dict[str, list[Subscription]]:
        found: dict[str, list[Subscription]] = {}
        for part in self.tx.parts(account_ids):
            for subscription in self._load(self.tx.among(t.subscriptions.c.account_id, part)):
                found.setdefault(subscription.account_id, []).append(subscription)
        return found

    def _insert_events(self, subscription: Subscription) -> None:
        if subscription.events:
            self.tx.execute(t.subscription_events.insert(), rows.event_rows(subscription))

    def _load(self, where: Any) -> list[Subscription]:
        """The subscriptions matching ``where``, by id, with their events: two queries."""
        self.tx.flush()
        subs, events = t.subscriptions, t.subscription_events
        found = self.tx.execute(select(subs).where(where).order_by(subs.c.id)).mappings().all()
        if not found:
            return []
        ids = select(subs.c.id).where(where).scalar_subquery()
        query = select(events).where(events.c.subscription_id.in_(ids)).order_by(events.c.subscription_id, events.c.seq)
        logs = {
            key: list(group)
            for key, group in groupby(self.tx.execute(query).mappings().all(), lambda e: e["subscription_id"])
        }
        return [rows.subscription_from_rows(row, logs.get(row["id"], [])) for row in found]


class SqlCharges:
    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    def add(self, account_id: str, charge: PendingCharge) -> bool:
        return _insert_new(self.tx, t.pending_charges, rows.charge_row(account_id, charge))

    def add_all(self, charges: Sequence[tuple[str, PendingCharge]]) -> None:
        if not charges:
            return
        dialect = postgresql if self.tx.dialect == "postgresql" else sqlite
        statement = dialect.insert(t.pending_charges).on_conflict_do_nothing()
        try:  # one executemany, not a statement with RETURNING per charge (200 µs each)
            self.tx.execute(statement, [rows.charge_row(account_id, charge) for account_id, charge in charges])
        except IntegrityError as error:  # a foreign key: a charge of an unknown account
            raise TelbillError("pending_charges.reference", str(error.orig), ErrorKind.NOT_FOUND) from error

    def unbilled(self, account_ids: Sequence[str], through: date) -> dict[str, list[PendingCharge]]:
        self.tx.flush()
        charges = t.pending_charges
        found: dict[str, list[PendingCharge]] = {}
        for part in self.tx.parts(account_ids):
            query = (
                select(charges)
                .where(
                    self.tx.among(charges.c.account_id, part),
                    charges.c.billed_document.is_(None),
                    charges.c.day <= through,
                )
                .order_by(charges.c.account_id, charges.c.day, charges.c.id)
            )
            for row in self.tx.execute(query).mappings().all():
                found.setdefault(row["account_id"], []).append(rows.charge_from_row(row))
        return found

    def mark_billed(self, charge_ids: Sequence[str], document_number: str) -> None:
        """Deferred to the next flush, where an unknown or already billed charge is refused."""
        self.tx.deferred.marks += [{"charge_id": i, "document_number": document_number} for i in charge_ids]


class SqlDocuments:
    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    def add(self, stored: StoredDocument) -> None:
        """Deferred to the next flush; an issued number is refused there (or here, if queued twice)."""
        number = stored.document.number
        deferred = self.tx.deferred
        if number in deferred.numbers:
            raise issued_already([number])
        deferred.numbers.add(number)
        deferred.documents.append(rows.document_row(stored))
        deferred.lines += rows.line_rows(stored)

    def get(self, number: str) -> StoredDocument:
        found = self._load(t.documents.c.number == number)
        if not found:
            raise _missing("document", number)
        return found[0]

    def for_account(self, account_id: str) -> list[StoredDocument]:
        """Issue date order, then number."""
        return self._load(t.documents.c.account_id == account_id)

    def billed_recurring(self, account_ids: Sequence[str]) -> dict[str, list[BilledRecurring]]:
        """Every recurring line ever issued to these accounts, with its signed amount (lines carry their
        account, so this reads one table through one index)."""
        self.tx.flush()
        lines = t.document_lines
        columns = (lines.c.account_id, lines.c.subscription_id, lines.c.item_code, lines.c.period_start)
        found: dict[str, list[BilledRecurring]] = {}
        for part in self.tx.parts(account_ids):
            query = (
                select(*columns, lines.c.signed_net)
                .where(self.tx.among(lines.c.account_id, part), lines.c.kind == ChargeKind.RECURRING.value)
                .where(lines.c.subscription_id.is_not(None), lines.c.period_start.is_not(None))
                .order_by(lines.c.account_id, lines.c.document_number, lines.c.line_no)
            )
            for account_id, subscription_id, item_code, start, signed_net in self.tx.execute(query).all():
                billed = BilledRecurring(subscription_id, item_code, start, Money(signed_net))
                found.setdefault(account_id, []).append(billed)
        return found

    def latest_invoices(self, account_ids: Sequence[str]) -> dict[str, DocumentReference]:
        """Per account, its latest invoice for services (in the scope of VAT) — the one a credit note of the bill
        run corrects; an account with only out-of-scope invoices gets its latest of those."""
        self.tx.flush()
        docs = t.documents
        latest: dict[str, DocumentReference] = {}
        for part in self.tx.parts(account_ids):
            query = (
                select(docs.c.account_id, docs.c.number, docs.c.issue_date)
                .where(self.tx.among(docs.c.account_id, part), docs.c.type == DocumentType.INVOICE.value)
                .order_by(docs.c.account_id, docs.c.out_of_scope.desc(), docs.c.issue_date, docs.c.number)
            )
            # rows come in ascending order: the last one of each account wins
            latest.update((a, DocumentReference(n, d)) for a, n, d in self.tx.execute(query).all())
        return latest

    def _load(self, where: Any) -> list[StoredDocument]:
        self.tx.flush()
        docs, lines = t.documents, t.document_lines
        query = select(docs).where(where).order_by(docs.c.issue_date, docs.c.number)
        found = self.tx.execute(query).mappings().all()
        if not found:
            return []
        numbers = select(docs.c.number).where(where).scalar_subquery()
        line_query = (
            select(lines).where(lines.c.document_number.in_(numbers)).order_by(lines.c.document_number, lines.c.line_no)
        )
        by_number = {
            key: list(group)
            for key, group in groupby(self.tx.execute(line_query).mappings().all(), lambda r: r["document_number"])
        }
        return [rows.stored_from_rows(row, by_number.get(row["number"], [])) for row in found]


class SqlBillRuns:
    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    def processed(self, period: str, account_ids: Sequence[str]) -> set[str]:
        self.tx.flush()
        billed = t.billed_accounts
        done: set[str] = set()
        for part in self.tx.parts(account_ids):
            query = select(billed.c.account_id).where(
                billed.c.period == period, self.tx.among(billed.c.account_id, part)
            )
            done.update(self.tx.scalars(query))
        return done

    def mark_processed(self, period: str, account_ids: Sequence[str]) -> None:
        """Refuses an account already marked for the period (``billrun.processed``): billed twice."""
        if not account_ids:
            return
        marks = [{"period": period, "account_id": account_id} for account_id in account_ids]
        try:
            self.tx.bulk_insert(t.billed_accounts, marks)
        except TelbillError as error:
            if error.code != "db.integrity":
                raise
            raise TelbillError(
                "billrun.processed",
                f"an account of {list(account_ids)} is billed already for {period}",
                ErrorKind.CONFLICT,
            ) from error


class SqlNumbers:
    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    def allocate(self, series: str, count: int) -> int:
        """One upsert: creates the series at 1 or moves it on by ``count``, and returns the first number.

        The row stays locked until the transaction ends (PostgreSQL: the upsert's row lock, as FOR UPDATE;
        SQLite: the writer lock of BEGIN IMMEDIATE), so concurrent runs take turns and a rollback gives the
        numbers back: gap-free."""
        if count < 1:
            raise TelbillError("numbering.count", f"cannot reserve {count} numbers", field="count")
        table = t.number_series
        dialect = postgresql if self.tx.dialect == "postgresql" else sqlite
        statement = (
            dialect.insert(table)
            .values(series=series, next_value=1 + count)
            .on_conflict_do_update(index_elements=[table.c.series], set_={"next_value": table.c.next_value + count})
            .returning(table.c.next_value)
        )
        next_value = self.tx.execute(statement).scalar_one()
        return int(next_value) - count
