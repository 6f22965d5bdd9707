"""In-memory fakes of the storage ports (telbill.app.store): the reference semantics the SQL adapter must
match, and the fast way to test use cases. A transaction is a deep copy of the state, kept on commit."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from types import TracebackType
from typing import Self

from telbill.app.store import StoredDocument
from telbill.core.accounts import Account
from telbill.core.billing.charges import BilledRecurring, ChargeKind, PendingCharge
from telbill.core.billing.invoice import DocumentReference, DocumentType
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.subscriptions import Subscription
from tests.app.fakes_access import (
    AccessState,
    FakeBillRunRecords,
    FakeIdempotencyKeys,
    FakeIdentities,
    FakeListings,
    FakeSessions,
)
from tests.app.fakes_care import CareState, FakeCompensationCredits, FakeInterventions, FakeOutages, FakeTickets
from tests.app.fakes_receivables import (
    FakeCollections,
    FakeDunningHistory,
    FakeLedgers,
    FakeReviews,
    FakeStatements,
    ReceivablesState,
)
from tests.app.fakes_usage import FakeUsage, UsageState


@dataclass
class State:
    accounts: dict[str, Account] = field(default_factory=dict)
    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    charges: dict[str, tuple[str, PendingCharge, str | None]] = field(default_factory=dict)
    documents: dict[str, StoredDocument] = field(default_factory=dict)
    processed: set[tuple[str, str]] = field(default_factory=set)
    series: dict[str, int] = field(default_factory=dict)
    receivables: ReceivablesState = field(default_factory=ReceivablesState)
    care: CareState = field(default_factory=CareState)
    usage: UsageState = field(default_factory=UsageState)
    access: AccessState = field(default_factory=AccessState)


def _missing(what: str, key: str) -> TelbillError:
    return TelbillError(f"{what}.not_found", f"no {what} {key}", ErrorKind.NOT_FOUND)


class FakeAccounts:
    def __init__(self, state: State) -> None:
        self.state = state

    def add(self, account: Account) -> None:
        if account.id in self.state.accounts:
            raise TelbillError("account.exists", f"account {account.id} exists", ErrorKind.CONFLICT)
        self.state.accounts[account.id] = account

    def get(self, account_id: str) -> Account:
        if account_id not in self.state.accounts:
            raise _missing("account", account_id)
        return self.state.accounts[account_id]

    def many(self, account_ids: Sequence[str]) -> list[Account]:
        return [self.state.accounts[i] for i in account_ids if i in self.state.accounts]

    def ids(self) -> list[str]:
        return sorted(self.state.accounts)


class FakeSubscriptions:
    def __init__(self, state: State) -> None:
        self.state = state

    def add(self, subscription: Subscription) -> None:
        self.state.subscriptions[subscription.id] = subscription

    def get(self, subscription_id: str) -> Subscription:
        if subscription_id not in self.state.subscriptions:
            raise _missing("subscription", subscription_id)
        return self.state.subscriptions[subscription_id]

    def save(self, subscription: Subscription) -> None:
        self.state.subscriptions[subscription.id] = subscription

    def for_accounts(self, account_ids: Sequence[str]) -> dict[str, list[Subscription]]:
        wanted = set(account_ids)
        found: dict[str, list[Subscription]] = {}
        for subscription in sorted(self.state.subscriptions.values(), key=lambda s: s.id):
            if subscription.account_id in wanted:
                found.setdefault(subscription.account_id, []).append(subscription)
        return found


class FakeCharges:
    def __init__(self, state: State) -> None:
        self.state = state

    def add(self, account_id: str, charge: PendingCharge) -> bool:
        if charge.id in self.state.charges:
            return False
        self.state.charges[charge.id] = (account_id, charge, None)
        return True

    def add_all(self, charges: Sequence[tuple[str, PendingCharge]]) -> None:
        for account_id, charge in charges:
            self.add(account_id, charge)

    def unbilled(self, account_ids: Sequence[str], through: date) -> dict[str, list[PendingCharge]]:
        wanted = set(account_ids)
        found: dict[str, list[PendingCharge]] = {}
        for account_id, charge, billed in self.state.charges.values():
            if account_id in wanted and billed is None and charge.day <= through:
                found.setdefault(account_id, []).append(charge)
        return found

    def mark_billed(self, charge_ids: Sequence[str], document_number: str) -> None:
        for charge_id in charge_ids:
            account_id, charge, _ = self.state.charges[charge_id]
            self.state.charges[charge_id] = (account_id, charge, document_number)


class FakeDocuments:
    def __init__(self, state: State) -> None:
        self.state = state

    def add(self, stored: StoredDocument) -> None:
        number = stored.document.number
        if number in self.state.documents:
            raise TelbillError("document.exists", f"{number} is issued already", ErrorKind.CONFLICT)
        self.state.documents[number] = stored

    def get(self, number: str) -> StoredDocument:
        if number not in self.state.documents:
            raise _missing("document", number)
        return self.state.documents[number]

    def for_account(self, account_id: str) -> list[StoredDocument]:
        return [d for d in self.state.documents.values() if d.account_id == account_id]

    def billed_recurring(self, account_ids: Sequence[str]) -> dict[str, list[BilledRecurring]]:
        wanted = set(account_ids)
        found: dict[str, list[BilledRecurring]] = {}
        for stored in self.state.documents.values():
            if stored.account_id not in wanted:
                continue
            for line, meta in zip(stored.document.lines, stored.meta, strict=True):
                if meta.kind is ChargeKind.RECURRING and meta.subscription_id and meta.period_start:
                    billed = BilledRecurring(meta.subscription_id, line.item_code, meta.period_start, meta.signed_net)
                    found.setdefault(stored.account_id, []).append(billed)
        return found

    def latest_invoices(self, account_ids: Sequence[str]) -> dict[str, DocumentReference]:
        latest: dict[str, DocumentReference] = {}
        # in-scope invoices last, so that they win over out-of-scope ones (see the port's docstring)
        in_order = sorted(
            self.state.documents.values(), key=lambda d: (not d.out_of_scope, d.document.issue_date, d.document.number)
        )
        for stored in in_order:
            if stored.account_id in account_ids and stored.document.type is DocumentType.INVOICE:
                latest[stored.account_id] = DocumentReference(stored.document.number, stored.document.issue_date)
        return latest


class FakeBillRuns:
    def __init__(self, state: State) -> None:
        self.state = state

    def processed(self, period: str, account_ids: Sequence[str]) -> set[str]:
        return {i for i in account_ids if (period, i) in self.state.processed}

    def mark_processed(self, period: str, account_ids: Sequence[str]) -> None:
        for account_id in account_ids:
            if (period, account_id) in self.state.processed:
                raise TelbillError("billrun.processed", f"{account_id} billed twice for {period}", ErrorKind.CONFLICT)
            self.state.processed.add((period, account_id))


class FakeNumbers:
    def __init__(self, state: State) -> None:
        self.state = state

    def allocate(self, series: str, count: int) -> int:
        first = self.state.series.get(series, 1)
        self.state.series[series] = first + count
        return first


class FakeUnitOfWork:
    """One transaction over a shared ``State``: works on a copy, publishes it on commit."""

    def __init__(self, shared: State) -> None:
        self.shared = shared
        self.commits = 0

    def __enter__(self) -> Self:
        self.state = copy.deepcopy(self.shared)
        self.accounts = FakeAccounts(self.state)
        self.subscriptions = FakeSubscriptions(self.state)
        self.charges = FakeCharges(self.state)
        self.documents = FakeDocuments(self.state)
        self.bill_runs = FakeBillRuns(self.state)
        self.numbers = FakeNumbers(self.state)
        receivables = self.state.receivables
        self.ledgers = FakeLedgers(receivables, self.state.accounts, self.state.documents)
        self.dunning = FakeDunningHistory(receivables)
        self.statements = FakeStatements(receivables)
        self.reviews = FakeReviews(receivables)
        self.collections = FakeCollections(receivables)
        self.tickets = FakeTickets(self.state.care)
        self.outages = FakeOutages(self.state.care)
        self.interventions = FakeInterventions(self.state.care)
        self.usage = FakeUsage(self.state.usage)
        self.identities = FakeIdentities(self.state.access, self.state.accounts)
        self.sessions, self.idempotency = FakeSessions(self.state.access), FakeIdempotencyKeys(self.state.access)
        self.listings, self.bill_run_jobs = FakeListings(self.state), FakeBillRunRecords(self.state.access)
        self.compensation_credits = FakeCompensationCredits(self.state.care)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        del self.state

    def commit(self) -> None:
        self.shared.__dict__.update(copy.deepcopy(self.state).__dict__)
        self.commits += 1

    def lock_accounts(self, account_ids: Sequence[str]) -> list[str]:
        return list(account_ids)
