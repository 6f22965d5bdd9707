"""The receivables repositories of ``telbill.app.store`` over SQL (``tests/app/fakes_receivables.py`` is the
reference semantics).

Contract: ``SqlReceivables(tx)`` holds what the five repositories of one transaction share; each repository
is made on it (``SqlLedgers(store)``…) and it refers to none of them: no reference cycle, so what a
transaction loaded (ledgers, open items) is freed as the unit of work ends, not left to the cyclic
collector (a 100,000-line import left 300,000 objects to it). Ledger entries, their
allocations and review lines are deferred and written in bulk (``bulk.BulkInsert``) before any read of
these repositories and when the unit of work flushes or commits, so importing a statement of 100,000
lines costs a handful of statements. A ledger entry booked twice is refused (``ledger.duplicate``,
CONFLICT), as by the fakes. Batch reads query per chunk of ids, never per row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from itertools import groupby
from typing import Any

from sqlalchemy import (
    Table,
    exists,
    func,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from telbill.adapters.db import tables as t
from telbill.adapters.db import tables_receivables as r
from telbill.adapters.db.bulk import BulkInsert
from telbill.adapters.db.deferred import Transaction, chunks
from telbill.adapters.db.open_items import OpenItems
from telbill.adapters.db.raw import cents, dates, money, raw
from telbill.adapters.db.write_behind import WriteBehind
from telbill.core.accounts import SequenceType
from telbill.core.billing.charges import ChargeKind
from telbill.core.billing.invoice import DocumentType
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.money import Money
from telbill.core.receivables.collections import Collection, CollectionState
from telbill.core.receivables.dunning import ActionKind, Taken
from telbill.core.receivables.ledger import Allocation, Entry, EntryKind, Ledger, Posting, ledger_of
from telbill.core.receivables.matching import Match, Outcome, Suggestion
from telbill.core.receivables.postings import DocumentFacts
from telbill.core.receivables.statements import Statement, StatementLine

Row = Any


# ledger entries and allocations are deferred as tuples of their tables' columns in order (``BulkInsert.run_tuples``,
# ``r.ENTRY_COLUMNS``): no dict per row
_LedgerRows = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]  # ledger entries, allocations
BEHIND = 20_000  # ledger entries a batch written behind holds (``add_all`` on PostgreSQL)


class SqlReceivables:
    """What the receivables repositories of one transaction share: the rows they defer, the open items."""

    def __init__(self, tx: Transaction) -> None:
        self.tx = tx
        self.entries: list[tuple[Any, ...]] = []  # rows deferred, in the order of ``r.ENTRY_COLUMNS``
        self.allocations: list[tuple[Any, ...]] = []  # of ``r.ALLOCATION_COLUMNS``
        self.reviews: list[dict[str, Any]] = []
        self.open_items = OpenItems(tx)

    def flush(self) -> None:
        """Write the deferred rows, the core's deferred documents first: ledger entries, allocations and what is
        left of the entries they booked or settled (``open_items.py``), then review lines."""
        self.tx.flush()
        self.write_ledger(self.take_ledger())
        reviews, self.reviews = self.reviews, []
        if reviews:
            self._insert(r.review_lines, reviews)

    def take_ledger(self) -> _LedgerRows:
        """The deferred ledger rows, which are then no longer deferred (the caller writes them)."""
        rows = (self.entries, self.allocations)
        self.entries, self.allocations = [], []
        return rows

    def write_ledger(self, rows: _LedgerRows) -> None:
        entries, allocations = rows
        if entries:
            self._insert(r.ledger_entries, entries)
        if allocations:
            self._insert(r.ledger_allocations, allocations)
        if entries or allocations:
            self.open_items.written(entries, allocations)

    def _insert(self, table: Table, rows: list[dict[str, Any]] | list[tuple[Any, ...]]) -> None:
        connection = self.tx.connection
        bulk = BulkInsert(table, connection.dialect)
        try:
            if isinstance(rows[0], dict):  # review lines; ledger rows come as tuples (``r.ENTRY_COLUMNS``)
                bulk.run(connection, rows)
            else:
                bulk.run_tuples(connection, rows)
        except connection.dialect.loaded_dbapi.IntegrityError as error:
            code = "ledger.duplicate" if table is not r.review_lines else "review.exists"
            raise TelbillError(code, f"{table.name}: a row is stored already ({error})", ErrorKind.CONFLICT) from None


_KINDS = {kind.value: kind for kind in EntryKind}  # a dict lookup, cheaper than EntryKind(value) per row
_ENTRY_COLUMNS = tuple(r.ledger_entries.c[name] for name in ("id", "account_id", "kind", "day", "amount", "due_date",
                                                             "communication", "reference"))  # fmt: skip
_ALLOCATION_COLUMNS = tuple(r.ledger_allocations.c[name] for name in ("account_id", "credit_id", "debit_id", "amount",
                                                                      "day"))  # fmt: skip


class SqlLedgers:
    def __init__(self, store: SqlReceivables) -> None:
        self.store, self.tx = store, store.tx

    def for_accounts(self, account_ids: Sequence[str]) -> dict[str, Ledger]:
        self.store.flush()
        entries: dict[str, list[Entry]] = {account_id: [] for account_id in account_ids}
        allocations: dict[str, list[Allocation]] = {account_id: [] for account_id in account_ids}
        entry_rows, allocation_rows = select(*_ENTRY_COLUMNS), select(*_ALLOCATION_COLUMNS)
        for part in chunks(account_ids):
            # rows unpacked by position: a named attribute costs more than the rest of the row's conversion
            query = entry_rows.where(self.tx.among(r.ledger_entries.c.account_id, part))
            for entry_id, account_id, kind, day, amount, due, communication, reference in self.tx.execute(query):
                entries[account_id].append(Entry(entry_id, _KINDS[kind], day, Money(amount), due, communication,
                                                 reference))  # fmt: skip
            query = allocation_rows.where(self.tx.among(r.ledger_allocations.c.account_id, part))
            for account_id, credit_id, debit_id, amount, day in self.tx.execute(query):
                allocations[account_id].append(Allocation(credit_id, debit_id, Money(amount), day))
        ledgers = {a: ledger_of(a, entries[a], allocations[a]) for a in account_ids}
        self.store.open_items.loaded(ledgers.values())
        return ledgers

    def open_for_accounts(self, account_ids: Sequence[str]) -> dict[str, Ledger]:
        """Per account, its entries with something left and what is left (``ledger_open_items``): the cost
        is that of what is open, whatever the length of the accounts' histories."""
        self.store.flush()
        items: dict[str, list[tuple[Entry, Decimal]]] = {account_id: [] for account_id in account_ids}
        entries, open_items = r.ledger_entries, r.ledger_open_items
        query = select(*map(raw, _ENTRY_COLUMNS), raw(open_items.c.remaining))
        query = query.join(open_items, open_items.c.entry_id == entries.c.id)
        day_of, cents_of, money_of = dates(self.tx), cents(self.tx), money(self.tx)
        for part in self.tx.parts(account_ids):
            rows = self.tx.execute(query.where(self.tx.among(open_items.c.account_id, part)))
            for entry_id, account_id, kind, day, amount, due, communication, reference, remaining in rows:
                # stored amounts are in cents (``tables.Exact`` checked them on the way in)
                entry = Entry(entry_id, _KINDS[kind], day_of(day), money_of(amount), day_of(due),
                              communication, reference)  # fmt: skip
                items[account_id].append((entry, cents_of(remaining)))
        ledgers = {
            account_id: Ledger.carried_amounts(account_id, open_items) for account_id, open_items in items.items()
        }
        self.store.open_items.loaded(ledgers.values())
        return ledgers

    def add(self, account_id: str, posting: Posting) -> None:
        if not posting.entries:
            raise TelbillError("ledger.posting", "a posting books at least one entry", ErrorKind.CONFLICT)
        key = posting.entries[0].id
        self.store.entries += [  # as the table's columns: ``r.ENTRY_COLUMNS``
            (e.id, account_id, e.kind._value_, e.day, e.amount.amount, e.due, e.communication, e.reference)
            for e in posting.entries
        ]
        self.store.allocations += [  # ``r.ALLOCATION_COLUMNS``
            (key, n, account_id, a.credit_id, a.debit_id, a.amount.amount, a.day)
            for n, a in enumerate(posting.allocations, start=1)
        ]

    def add_all(self, postings: Iterable[tuple[str, Posting]]) -> None:
        """On PostgreSQL, every ``BEHIND`` entries are written on a second thread while ``postings`` builds the
        next ones (``write_behind.py``: the server inserts on its own core meanwhile); elsewhere, ``add``."""
        if self.tx.dialect != "postgresql":
            for account_id, posting in postings:
                self.add(account_id, posting)
            return
        self.store.flush()  # what was deferred before goes first, and the connection is left to the writer
        store = self.store
        with WriteBehind(store.write_ledger) as behind:
            for account_id, posting in postings:
                self.add(account_id, posting)
                if len(store.entries) >= BEHIND:
                    behind.send(store.take_ledger())
            behind.send(store.take_ledger())

    def unposted(self, account_ids: Sequence[str] | None = None) -> list[tuple[str, DocumentFacts]]:
        """In the order of issue (day, then number). Columns are read raw (``raw.py``): a catch-up after a bill
        run reads as many documents as the run issued."""
        self.store.flush()
        docs, lines, entries = t.documents, t.document_lines, r.ledger_entries
        compensation = exists().where(
            lines.c.document_number == docs.c.number, lines.c.kind == ChargeKind.COMPENSATION.value
        )
        query = (
            select(*map(raw, _FACT_COLUMNS), raw(compensation).label("compensation"))  # not the parties' JSON
            .outerjoin(entries, entries.c.id == docs.c.number)
            .where(entries.c.id.is_(None))
        )
        if account_ids is None:
            rows = list(self.tx.execute(query))
        else:
            # as few chunks as ``among`` takes (one up to 10,000 ids): each chunk's anti-join scans the ledger
            rows = [
                row
                for part in self.tx.parts(account_ids)
                for row in self.tx.execute(query.where(self.tx.among(docs.c.account_id, part)))
            ]
        facts_of = _facts_reader(self.tx)
        found = [(row[2], facts_of(row)) for row in rows]
        found.sort(key=lambda pair: (pair[1].issue_date, pair[1].number))
        return found

    def documents_by_communication(self, communications: Sequence[str]) -> dict[str, tuple[str, str]]:
        self.store.flush()
        docs = t.documents
        query = select(docs.c.structured_communication, docs.c.account_id, docs.c.number)
        found: dict[str, tuple[str, str]] = {}
        for part in self.tx.parts(communications):  # up to 10,000 in one statement, not 900
            rows = self.tx.execute(query.where(self.tx.among(docs.c.structured_communication, part)))
            found.update({c: (a, n) for c, a, n in rows})
        return found

    def holders(self) -> list[tuple[str, str]]:
        self.store.flush()
        query = select(t.accounts.c.id, t.accounts.c.name).order_by(t.accounts.c.id)
        return [(account_id, name) for account_id, name in self.tx.execute(query)]


_FACT_COLUMNS = tuple(t.documents.c[name] for name in ("number", "type", "account_id", "issue_date", "total_gross",
                                                        "due_date", "structured_communication", "preceding_number",
                                                        "out_of_scope"))  # fmt: skip


_TYPES = {kind.value: kind for kind in DocumentType}


def _facts_reader(tx: Transaction) -> Callable[[Row], DocumentFacts]:
    """A row of ``_FACT_COLUMNS`` and the compensation flag, read raw, as ``DocumentFacts``."""
    day_of, money_of = dates(tx), money(tx)

    def facts(row: Row) -> DocumentFacts:
        number, kind, _, issued, gross, due, communication, preceding, out_of_scope, compensation = row
        return DocumentFacts(number, _TYPES[kind], day_of(issued), money_of(gross), day_of(due), communication,
                             preceding, bool(out_of_scope), bool(compensation))  # fmt: skip

    return facts


class SqlDunningHistory:
    def __init__(self, store: SqlReceivables) -> None:
        self.store, self.tx = store, store.tx

    def for_accounts(self, account_ids: Sequence[str]) -> dict[str, tuple[Taken, ...]]:
        actions = r.dunning_actions
        found: dict[str, tuple[Taken, ...]] = {}
        for part in chunks(account_ids):
            query = select(actions).where(self.tx.among(actions.c.account_id, part))
            rows = self.tx.execute(query.order_by(actions.c.account_id, actions.c.seq))
            for account_id, taken in groupby(rows, lambda row: row.account_id):
                found[account_id] = tuple(
                    Taken(ActionKind(a.kind), a.day, a.step, tuple(a.subscriptions)) for a in taken
                )
        return found

    def add_all(self, taken: Sequence[tuple[str, Taken]]) -> None:
        """Each account's actions numbered after the last it holds: one read and one insert for a whole batch."""
        if not taken:
            return
        actions = r.dunning_actions
        last: dict[str, int] = {}
        query = select(actions.c.account_id, func.max(actions.c.seq)).group_by(actions.c.account_id)
        for part in self.tx.parts(sorted({account_id for account_id, _ in taken})):
            rows = self.tx.execute(query.where(self.tx.among(actions.c.account_id, part)))
            last.update((account_id, seq) for account_id, seq in rows)
        added = []
        for account_id, action in taken:
            seq = last[account_id] = last.get(account_id, 0) + 1
            added.append({"account_id": account_id, "seq": seq, "kind": action.kind.value, "day": action.day,
                         "step": action.step, "subscriptions": list(action.subscriptions)})  # fmt: skip
        self.tx.execute(actions.insert(), added)


class SqlStatements:
    def __init__(self, store: SqlReceivables) -> None:
        self.store, self.tx = store, store.tx

    def known(self, statement_ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for part in chunks(statement_ids):
            found.update(
                self.tx.scalars(select(r.bank_statements.c.id).where(self.tx.among(r.bank_statements.c.id, part)))
            )
        return found

    def add(self, statement: Statement, source: str) -> None:
        row = {"id": statement.id, "account": statement.account, "number": statement.number, "day": statement.day,
               "opening": statement.opening.amount, "closing": statement.closing.amount,
               "line_count": len(statement.lines), "source": source}  # fmt: skip
        try:
            self.tx.execute(r.bank_statements.insert(), [row])
        except IntegrityError:
            raise TelbillError(
                "statement.imported", f"statement {statement.id} is imported already", ErrorKind.CONFLICT
            ) from None


class SqlReviews:
    def __init__(self, store: SqlReceivables) -> None:
        self.store, self.tx = store, store.tx

    def add(self, match: Match) -> None:
        line = match.line
        self.store.reviews.append(
            {"line_id": line.id, "booked": line.booked, "amount": line.amount.amount,
             "communication": line.communication, "structured": line.structured,
             "counterparty_name": line.counterparty_name,
             "counterparty_account": line.counterparty_account, "end_to_end": line.end_to_end,
             "return_reason": line.return_reason, "source": line.source, "reason": match.reason,
             "suggestions": [[s.account_id, s.document, s.reason] for s in match.suggestions], "resolution": None}
        )  # fmt: skip

    def pending(self) -> list[Match]:
        self.store.flush()
        query = select(r.review_lines).where(r.review_lines.c.resolution.is_(None)).order_by(r.review_lines.c.line_id)
        return [_review(row) for row in self.tx.execute(query)]

    def get(self, line_id: str) -> Match:
        self.store.flush()
        lines = r.review_lines
        row = self.tx.execute(select(lines).where(lines.c.line_id == line_id, lines.c.resolution.is_(None))).first()
        if row is None:
            raise TelbillError("review.not_found", f"no line {line_id} waits for review", ErrorKind.NOT_FOUND)
        return _review(row)

    def close(self, line_id: str, resolution: str) -> None:
        self.get(line_id)
        self.tx.execute(update(r.review_lines).where(r.review_lines.c.line_id == line_id).values(resolution=resolution))


def _review(row: Row) -> Match:
    line = StatementLine(row.line_id, row.booked, Money(row.amount), row.communication, row.structured,
                         row.counterparty_name, row.counterparty_account, row.end_to_end, row.return_reason,
                         row.source)  # fmt: skip
    suggestions = tuple(Suggestion(account_id, document, reason) for account_id, document, reason in row.suggestions)
    return Match(line, Outcome.REVIEW, suggestions=suggestions, reason=row.reason)


class SqlCollections:
    def __init__(self, store: SqlReceivables) -> None:
        self.store, self.tx = store, store.tx

    def add(self, collections: Sequence[Collection]) -> None:
        if collections:
            self.store.flush()
            self.store._insert(r.sepa_collections, [_collection_row(c) for c in collections])

    def by_end_to_end(self, end_to_end_ids: Sequence[str]) -> dict[str, Collection]:
        table = r.sepa_collections
        found: dict[str, Collection] = {}
        for part in chunks(end_to_end_ids):
            for row in self.tx.execute(select(table).where(self.tx.among(table.c.end_to_end, part))):
                found[row.end_to_end] = _collection(row)
        return found

    def for_accounts(self, account_ids: Sequence[str]) -> dict[str, list[Collection]]:
        table = r.sepa_collections
        found: dict[str, list[Collection]] = {}
        for part in chunks(account_ids):
            query = select(table).where(self.tx.among(table.c.account_id, part)).order_by(table.c.end_to_end)
            for row in self.tx.execute(query):
                found.setdefault(row.account_id, []).append(_collection(row))
        return found

    def mark(self, end_to_end: str, state: CollectionState, payment: str | None = None) -> None:
        table = r.sepa_collections
        query = update(table).where(table.c.end_to_end == end_to_end).values(state=state.value, payment=payment)
        if self.tx.execute(query).rowcount != 1:
            raise TelbillError("collection.not_found", f"no direct debit {end_to_end}", ErrorKind.NOT_FOUND)


def _collection_row(c: Collection) -> dict[str, Any]:
    return {"end_to_end": c.end_to_end, "account_id": c.account_id, "document": c.document,
            "communication": c.communication, "amount": c.amount.amount, "mandate": c.mandate,
            "mandate_signed": c.mandate_signed, "iban": c.iban, "bic": c.bic, "debtor": c.debtor,
            "sequence": c.sequence.value, "collection_date": c.collection_date, "message_id": c.message_id,
            "state": c.state.value, "payment": c.payment}  # fmt: skip


def _collection(row: Row) -> Collection:
    return Collection(row.end_to_end, row.account_id, row.document, row.communication, Money(row.amount), row.mandate,
                      row.mandate_signed, row.iban, row.bic, row.debtor, SequenceType(row.sequence),
                      row.collection_date, row.message_id, CollectionState(row.state), row.payment)  # fmt: skip
