"""``ledger_open_items`` kept in step with the ledger: what is left of each entry not settled or used up.

Contract: ``OpenItems(tx)`` lives as long as one transaction's receivables store. ``written(entries,
allocations)`` is called with the rows of a flush, after they are inserted: a new entry is open for its
magnitude less what this flush allocated to or from it; an entry written before is open for what was left
less what this flush allocated (an allocation of the opposite sign, a returned direct debit, reopens it). What
was left is known without a read for every entry of a ledger this transaction loaded (``loaded``: the ledgers
themselves are kept, immutable, rather than a copy of their figures) or an entry it wrote; others are read
from the table (absent: nothing was left). The changed rows are replaced in two statements whatever their
number: one delete, one bulk insert. What is left can never go below zero or above the magnitude: the core
refuses such postings before the store sees them, and ``ledger.open_items`` is raised here if one got through.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from operator import itemgetter
from typing import Any, NoReturn

from sqlalchemy import delete, select

from telbill.adapters.db import tables_receivables as r
from telbill.adapters.db.bulk import BulkInsert
from telbill.adapters.db.deferred import Transaction
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.receivables.ledger import Ledger

ZERO = Decimal("0.00")
_ALLOCATION = itemgetter(*map(r.ALLOCATION_COLUMNS.index, ("credit_id", "debit_id", "amount", "account_id")))
_ENTRY = itemgetter(*map(r.ENTRY_COLUMNS.index, ("id", "account_id", "amount")))


class OpenItems:
    def __init__(self, tx: Transaction) -> None:
        self.tx = tx
        self.left: dict[str, Decimal] = {}  # entry id → what is left, as stored, for entries written
        self.ledgers: dict[str, Ledger] = {}  # the ledgers this transaction loaded, by account, as stored

    def loaded(self, ledgers: Iterable[Ledger]) -> None:
        """Ledgers as this transaction read them, complete or carried forward: what is left of their entries
        as stored (an entry a carried ledger does not hold has nothing left)."""
        self.ledgers.update((ledger.account_id, ledger) for ledger in ledgers)

    def written(self, entries: Sequence[tuple[Any, ...]], allocations: Sequence[tuple[Any, ...]]) -> None:
        moved: dict[str, Decimal] = {}  # entry id → allocated in this flush, to or from it
        accounts: dict[str, str] = {}
        for credit, debit, amount, account in map(_ALLOCATION, allocations):
            # usually each entry once: the sum only when it comes again
            moved[credit] = moved[credit] + amount if credit in moved else amount
            moved[debit] = moved[debit] + amount if debit in moved else amount
            accounts[credit] = accounts[debit] = account
        rows: list[dict[str, Any]] = []
        left = self.left
        for entry_id, account_id, amount in map(_ENTRY, entries):
            magnitude = -amount if amount < 0 else amount
            allocated = moved.pop(entry_id, None)
            remaining = left[entry_id] = magnitude if allocated is None else magnitude - allocated
            if remaining:  # a payment that settles its invoice in full, the usual case, is never stored
                if not 0 < remaining <= magnitude:
                    _refuse(entry_id, remaining)
                rows.append({"entry_id": entry_id, "account_id": account_id, "remaining": remaining})
        before = self._before(moved, accounts)  # ``moved`` now holds the entries of earlier flushes only
        replaced: list[str] = []
        for entry_id, amount in moved.items():
            stored = before[entry_id]
            remaining = left[entry_id] = stored - amount
            if remaining < 0:
                _refuse(entry_id, remaining)
            if stored:
                replaced.append(entry_id)
            if remaining:
                rows.append({"entry_id": entry_id, "account_id": accounts[entry_id], "remaining": remaining})
        self._replace(replaced, rows)

    def _before(self, entry_ids: Iterable[str], accounts: Mapping[str, str]) -> dict[str, Decimal]:
        """What is left of entries as stored: known without a read for an entry this transaction wrote or an
        entry of a ledger it loaded (one that ledger does not hold has nothing left), else read from the table."""
        before: dict[str, Decimal] = {}
        unknown: list[str] = []
        left, ledgers = self.left, self.ledgers
        for entry_id in entry_ids:
            known = left.get(entry_id)
            if known is None:
                ledger = ledgers.get(accounts[entry_id])
                if ledger is None:
                    unknown.append(entry_id)
                    continue
                known = ledger.left_of(entry_id) if ledger.has(entry_id) else ZERO
            before[entry_id] = known
        before.update(self._read(unknown))
        return before

    def _read(self, entry_ids: Sequence[str]) -> dict[str, Decimal]:
        """What is left of entries as stored, from the table (absent: nothing)."""
        table = r.ledger_open_items
        found = dict.fromkeys(entry_ids, ZERO)
        for part in self.tx.parts(entry_ids):
            query = select(table.c.entry_id, table.c.remaining).where(self.tx.among(table.c.entry_id, part))
            found.update((entry_id, remaining) for entry_id, remaining in self.tx.execute(query))
        return found

    def _replace(self, entry_ids: Sequence[str], rows: list[dict[str, Any]]) -> None:
        table = r.ledger_open_items
        for part in self.tx.parts(entry_ids):
            self.tx.execute(delete(table).where(self.tx.among(table.c.entry_id, part)))
        if rows:
            BulkInsert(table, self.tx.connection.dialect).run(self.tx.connection, rows)


def _refuse(entry_id: str, remaining: Decimal) -> NoReturn:
    raise TelbillError(
        "ledger.open_items", f"{entry_id} would have {remaining:.2f} left: more allocated than booked",
        ErrorKind.CONFLICT,
    )  # fmt: skip
