"""In-memory fakes of the receivables ports (``telbill.app.store``: ``Ledgers``, ``DunningHistory``,
``Statements``, ``Reviews``, ``Collections``): the reference semantics the SQL adapter must match. They live
in ``ReceivablesState``, part of the fake store's ``State``, and are attached by ``FakeUnitOfWork``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from telbill.app.store import StoredDocument
from telbill.core.accounts import Account
from telbill.core.billing.charges import ChargeKind
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.receivables.collections import Collection, CollectionState
from telbill.core.receivables.dunning import Taken
from telbill.core.receivables.ledger import Allocation, Entry, Ledger, Posting, ledger_of
from telbill.core.receivables.matching import Match
from telbill.core.receivables.postings import DocumentFacts, facts_of
from telbill.core.receivables.statements import Statement


@dataclass
class ReceivablesState:
    entries: dict[str, tuple[str, Entry]] = field(default_factory=dict)  # entry id → (account, entry)
    allocations: list[tuple[str, Allocation]] = field(default_factory=list)
    dunning: dict[str, list[Taken]] = field(default_factory=dict)
    statements: dict[str, tuple[Statement, str]] = field(default_factory=dict)
    reviews: dict[str, tuple[Match, str | None]] = field(default_factory=dict)  # line id → (match, resolution)
    collections: dict[str, Collection] = field(default_factory=dict)


class FakeLedgers:
    def __init__(self, state: ReceivablesState, accounts: dict[str, Account], documents: dict[str, StoredDocument]):
        self.state, self.accounts, self.documents = state, accounts, documents

    def for_accounts(self, account_ids: Sequence[str]) -> dict[str, Ledger]:
        entries: dict[str, list[Entry]] = {account_id: [] for account_id in account_ids}
        allocations: dict[str, list[Allocation]] = {account_id: [] for account_id in account_ids}
        for account_id, entry in self.state.entries.values():
            if account_id in entries:
                entries[account_id].append(entry)
        for account_id, allocation in self.state.allocations:
            if account_id in allocations:
                allocations[account_id].append(allocation)
        return {a: ledger_of(a, entries[a], allocations[a]) for a in account_ids}

    def open_for_accounts(self, account_ids: Sequence[str]) -> dict[str, Ledger]:
        return {a: ledger.carry_forward() for a, ledger in self.for_accounts(account_ids).items()}

    def add(self, account_id: str, posting: Posting) -> None:
        for entry in posting.entries:
            if entry.id in self.state.entries:
                raise TelbillError("ledger.duplicate", f"entry {entry.id} is booked already", ErrorKind.CONFLICT)
            self.state.entries[entry.id] = (account_id, entry)
        self.state.allocations += [(account_id, allocation) for allocation in posting.allocations]

    def add_all(self, postings: Iterable[tuple[str, Posting]]) -> None:
        for account_id, posting in postings:
            self.add(account_id, posting)

    def unposted(self, account_ids: Sequence[str] | None = None) -> list[tuple[str, DocumentFacts]]:
        wanted = None if account_ids is None else set(account_ids)
        found = [
            d for d in self.documents.values()
            if (wanted is None or d.account_id in wanted) and d.document.number not in self.state.entries
        ]  # fmt: skip
        found.sort(key=lambda d: (d.document.issue_date, d.document.number))
        return [(d.account_id, _facts(d)) for d in found]

    def documents_by_communication(self, communications: Sequence[str]) -> dict[str, tuple[str, str]]:
        wanted = set(communications)
        return {
            d.document.structured_communication.digits: (d.account_id, d.document.number)
            for d in self.documents.values()
            if d.document.structured_communication is not None and d.document.structured_communication.digits in wanted
        }

    def holders(self) -> list[tuple[str, str]]:
        return sorted((account.id, account.party.name) for account in self.accounts.values())


def _facts(stored: StoredDocument) -> DocumentFacts:
    compensation = any(meta.kind is ChargeKind.COMPENSATION for meta in stored.meta)
    return facts_of(stored.document, stored.out_of_scope, compensation)


class FakeDunningHistory:
    def __init__(self, state: ReceivablesState) -> None:
        self.state = state

    def for_accounts(self, account_ids: Sequence[str]) -> dict[str, tuple[Taken, ...]]:
        return {a: tuple(self.state.dunning[a]) for a in account_ids if a in self.state.dunning}

    def add_all(self, taken: Sequence[tuple[str, Taken]]) -> None:
        for account_id, action in taken:
            self.state.dunning.setdefault(account_id, []).append(action)


class FakeStatements:
    def __init__(self, state: ReceivablesState) -> None:
        self.state = state

    def known(self, statement_ids: Sequence[str]) -> set[str]:
        return {i for i in statement_ids if i in self.state.statements}

    def add(self, statement: Statement, source: str) -> None:
        if statement.id in self.state.statements:
            message = f"statement {statement.id} is imported already"
            raise TelbillError("statement.imported", message, ErrorKind.CONFLICT)
        self.state.statements[statement.id] = (statement, source)


class FakeReviews:
    def __init__(self, state: ReceivablesState) -> None:
        self.state = state

    def add(self, match: Match) -> None:
        self.state.reviews[match.line.id] = (match, None)

    def pending(self) -> list[Match]:
        return [match for match, resolution in self.state.reviews.values() if resolution is None]

    def get(self, line_id: str) -> Match:
        found = self.state.reviews.get(line_id)
        if found is None or found[1] is not None:
            raise TelbillError("review.not_found", f"no line {line_id} waits for review", ErrorKind.NOT_FOUND)
        return found[0]

    def close(self, line_id: str, resolution: str) -> None:
        self.state.reviews[line_id] = (self.get(line_id), resolution)


class FakeCollections:
    def __init__(self, state: ReceivablesState) -> None:
        self.state = state

    def add(self, collections: Sequence[Collection]) -> None:
        for collection in collections:
            if collection.end_to_end in self.state.collections:
                raise TelbillError("collection.exists", f"{collection.end_to_end} is sent already", ErrorKind.CONFLICT)
            self.state.collections[collection.end_to_end] = collection

    def by_end_to_end(self, end_to_end_ids: Sequence[str]) -> dict[str, Collection]:
        return {i: self.state.collections[i] for i in end_to_end_ids if i in self.state.collections}

    def for_accounts(self, account_ids: Sequence[str]) -> dict[str, list[Collection]]:
        found: dict[str, list[Collection]] = {}
        for collection in self.state.collections.values():
            if collection.account_id in account_ids:
                found.setdefault(collection.account_id, []).append(collection)
        return found

    def mark(self, end_to_end: str, state: CollectionState, payment: str | None = None) -> None:
        collection = self.state.collections[end_to_end]
        self.state.collections[end_to_end] = replace(collection, state=state, payment=payment)
