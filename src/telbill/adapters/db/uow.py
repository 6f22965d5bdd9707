"""``SqlUnitOfWork``: the ``UnitOfWork`` port on one SQL connection and one transaction.

Contract (``telbill.app.store``): each ``with`` block opens a connection and a transaction; ``commit()``
writes the deferred rows and commits; leaving the block without a commit rolls back, numbers included.
``lock_accounts`` takes row locks with ``FOR NO KEY UPDATE SKIP LOCKED`` on PostgreSQL, so concurrent bill runs
share the accounts; on SQLite the transaction began with ``BEGIN IMMEDIATE`` (``engine.py``), which already
holds the one writer lock, so every account is returned.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine, select

from telbill.adapters.db import tables as t
from telbill.adapters.db.deferred import Transaction, chunks
from telbill.adapters.db.repositories import (
    SqlAccounts,
    SqlBillRuns,
    SqlCharges,
    SqlDocuments,
    SqlNumbers,
    SqlSubscriptions,
)
from telbill.adapters.db.repositories_access import (
    SqlAccess,
    SqlBillRunRecords,
    SqlIdempotencyKeys,
    SqlIdentities,
    SqlListings,
    SqlSessions,
)
from telbill.adapters.db.repositories_care import (
    SqlCompensationCredits,
    SqlInterventions,
    SqlOutages,
    SqlTickets,
)
from telbill.adapters.db.repositories_receivables import (
    SqlCollections,
    SqlDunningHistory,
    SqlLedgers,
    SqlReceivables,
    SqlReviews,
    SqlStatements,
)
from telbill.adapters.db.repositories_usage import SqlUsage
from telbill.core.errors import ErrorKind, TelbillError

_Make = Callable[["SqlUnitOfWork", Transaction], Any]
_REPOSITORIES: dict[str, _Make] = {
    "accounts": lambda _, tx: SqlAccounts(tx),
    "subscriptions": lambda _, tx: SqlSubscriptions(tx),
    "charges": lambda _, tx: SqlCharges(tx),
    "documents": lambda _, tx: SqlDocuments(tx),
    "bill_runs": lambda _, tx: SqlBillRuns(tx),
    "numbers": lambda _, tx: SqlNumbers(tx),
    "tickets": lambda _, tx: SqlTickets(tx),
    "outages": lambda _, tx: SqlOutages(tx),
    "interventions": lambda _, tx: SqlInterventions(tx),
    "compensation_credits": lambda _, tx: SqlCompensationCredits(tx),
    # the receivables repositories share the rows they defer (and refer to them: never the reverse, no cycle),
    # the access ones nothing but are made together
    "_receivables": lambda _, tx: SqlReceivables(tx),
    "ledgers": lambda uow, _: SqlLedgers(uow._receivables),
    "dunning": lambda uow, _: SqlDunningHistory(uow._receivables),
    "statements": lambda uow, _: SqlStatements(uow._receivables),
    "reviews": lambda uow, _: SqlReviews(uow._receivables),
    "collections": lambda uow, _: SqlCollections(uow._receivables),
    "_access": lambda _, tx: SqlAccess(tx),
    "identities": lambda uow, _: uow._access.identities,
    "sessions": lambda uow, _: uow._access.sessions,
    "idempotency": lambda uow, _: uow._access.idempotency,
    "listings": lambda uow, _: uow._access.listings,
    "bill_run_jobs": lambda uow, _: uow._access.bill_run_jobs,
    "usage": lambda _, tx: SqlUsage(tx),
}


class SqlUnitOfWork:
    accounts: SqlAccounts
    subscriptions: SqlSubscriptions
    charges: SqlCharges
    documents: SqlDocuments
    bill_runs: SqlBillRuns
    numbers: SqlNumbers
    tickets: SqlTickets  # service assurance (repositories_care.py)
    outages: SqlOutages
    interventions: SqlInterventions
    compensation_credits: SqlCompensationCredits
    ledgers: SqlLedgers  # receivables (repositories_receivables.py)
    dunning: SqlDunningHistory
    statements: SqlStatements
    reviews: SqlReviews
    collections: SqlCollections
    identities: SqlIdentities  # access: staff, tokens, logins (repositories_access.py)
    sessions: SqlSessions
    idempotency: SqlIdempotencyKeys
    listings: SqlListings
    bill_run_jobs: SqlBillRunRecords
    usage: SqlUsage  # usage records and their quarantine (repositories_usage.py)
    _receivables: SqlReceivables
    _access: SqlAccess

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._connection: Connection | None = None
        self._tx: Transaction | None = None

    def __enter__(self) -> Self:
        if self._connection is not None:
            raise TelbillError("uow.nested", "this unit of work is open already", ErrorKind.CONFLICT)
        self._connection = self.engine.connect()
        try:
            self._connection.begin()  # now, not at the first statement: SQLite takes its writer lock here
        except BaseException:
            self._connection.close()
            self._connection = None
            raise
        for name in _REPOSITORIES:  # those of an earlier block were bound to its connection
            self.__dict__.pop(name, None)
        self._tx = Transaction(self._connection)
        return self

    def __getattr__(self, name: str) -> Any:
        """A repository, made on first use in this block: a request that reads one listing does not build the
        twenty repositories of every domain (only called for attributes not set yet)."""
        make = _REPOSITORIES.get(name)
        if make is None or self._tx is None:
            raise AttributeError(name)
        made = make(self, self._tx)
        setattr(self, name, made)
        return made

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        connection = self._connection
        self._connection = self._tx = None
        if connection is not None:
            try:
                connection.rollback()  # nothing when committed; everything since the last commit otherwise
            finally:
                connection.close()

    @property
    def connection(self) -> Connection:
        """The open connection, for other adapters and tests that need plain SQL in this transaction."""
        if self._connection is None:
            raise TelbillError("uow.closed", "the unit of work is not open", ErrorKind.CONFLICT)
        return self._connection

    def flush(self) -> None:
        """Write the deferred rows now (reads and ``commit`` do it anyway): their errors surface here."""
        if self._tx is None:
            raise TelbillError("uow.closed", "the unit of work is not open", ErrorKind.CONFLICT)
        self._tx.flush()
        if "_receivables" in self.__dict__:
            self._receivables.flush()

    def commit(self) -> None:
        """Write the deferred rows and commit. Work after a commit runs in a new transaction, begun by the
        first statement (and rolled back unless committed again)."""
        if self._tx is None or self._connection is None:
            raise TelbillError("uow.closed", "the unit of work is not open", ErrorKind.CONFLICT)
        self._tx.flush()
        if "_receivables" in self.__dict__:
            self._receivables.flush()
        self._connection.commit()

    def lock_accounts(self, account_ids: Sequence[str]) -> list[str]:
        if self._tx is None:
            raise TelbillError("uow.closed", "the unit of work is not open", ErrorKind.CONFLICT)
        if self._tx.dialect != "postgresql":
            return list(account_ids)
        locked: set[str] = set()
        for part in chunks(account_ids):
            query = (
                select(t.accounts.c.id)
                .where(self._tx.among(t.accounts.c.id, part))
                .order_by(t.accounts.c.id)
                # NO KEY UPDATE: bill runs exclude each other, but other domains may still insert rows
                # that refer to these accounts (their foreign key checks take KEY SHARE locks)
                .with_for_update(skip_locked=True, key_share=True)
            )
            locked.update(self._tx.scalars(query))
        return [account_id for account_id in account_ids if account_id in locked]
