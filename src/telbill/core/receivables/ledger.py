"""The account ledger: every amount that moves a customer's balance, and which credit settles which debit.

Contract:
- An ``Entry`` moves one account's balance, signed from the customer's side: **+** the customer owes more
  (invoice, fee document, refund paid out, returned direct debit), **−** the customer owes less (credit
  note, compensation credit, payment). The sign is checked against the kind; a zero entry is refused.
- An ``Allocation`` says that ``amount`` of a credit entry settles a debit entry. Entries and allocations
  are append-only: undoing a settlement (a returned direct debit) adds an allocation of the opposite sign.
- ``remaining`` is, for a debit, its open amount (amount − allocated to it); for a credit, its unallocated
  amount (|amount| − what it allocated). Building a ``Ledger`` checks that every remaining amount lies
  between zero and the entry's magnitude and that allocations join a credit to a debit of this ledger.
- ``balance`` = Σ entries = Σ open debits − Σ unallocated credits. The identity holds by construction (each
  allocation is counted once on each side); the property tests check it, and that no operation makes a
  cent appear or disappear, after any sequence of operations (docs/algorithms/dunning.md, "Ledger").
- A ledger may be *carried forward* (``Ledger.carried``): only what is still open, with what is left of it.
  Stores load ledgers that way, so the cost of a posting does not grow with the account's history.
- Operations live in ``postings.py``; the order in which credits settle debits in ``allocation.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from types import MappingProxyType

from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.money import Money


class EntryKind(Enum):
    INVOICE = "invoice"
    FEE = "fee"  # a document of fees or indemnities, outside the scope of VAT
    CREDIT_NOTE = "credit_note"
    COMPENSATION = "compensation"  # a credit note of compensations owed to the customer
    PAYMENT = "payment"  # a transfer or a collected direct debit
    REFUND = "refund"  # an over-payment paid back to the customer
    PAYMENT_RETURN = "payment_return"  # a direct debit returned by the customer's bank

    @property
    def is_debit(self) -> bool:
        return self._value_ in _DEBITS  # by value: a string hashes in C, an Enum member in Python


_DEBITS = frozenset({"invoice", "fee", "refund", "payment_return"})


@dataclass(frozen=True, slots=True)
class Entry:
    """One movement of the balance. ``communication`` is the 12 digits of a structured communication: a
    document's own, or the one a payer quoted. ``reference`` names what the entry settles or undoes: the
    invoice a credit note corrects, the payment a return reverses."""

    id: str
    kind: EntryKind
    day: date
    amount: Money
    due: date | None = None
    communication: str | None = None
    reference: str | None = None
    # derived once (ledgers read them for every entry of every operation)
    is_debit: bool = field(init=False, repr=False, compare=False)
    magnitude: Money = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.id.strip():
            raise TelbillError("ledger.entry_id", "a ledger entry needs an id", field="id")
        debit = self.kind.is_debit
        amount = self.amount.amount  # compared as a plain Decimal: every entry of every ledger passes here
        if not amount or (amount < 0) == debit:
            side = "positive" if debit else "negative"
            raise TelbillError(
                "ledger.entry_sign", f"{self.kind.value} {self.id} of {self.amount} must be {side}", field="amount"
            )
        object.__setattr__(self, "is_debit", debit)
        object.__setattr__(self, "magnitude", self.amount if debit else -self.amount)

    @property
    def settle_by(self) -> date:
        """The day from which a debit is owed: its due date, else the day it was booked."""
        return self.due or self.day


@dataclass(frozen=True, slots=True)
class Allocation:
    credit_id: str
    debit_id: str
    amount: Money  # + settles, − undoes an earlier settlement
    day: date


@dataclass(frozen=True, slots=True)
class Posting:
    """What one operation adds to a ledger: the shell stores exactly this, in one transaction."""

    entries: tuple[Entry, ...] = ()
    allocations: tuple[Allocation, ...] = ()


@dataclass(frozen=True, slots=True)
class OpenItem:
    """A debit not yet settled, or a credit not yet used, with what remains of it."""

    entry: Entry
    remaining: Money


@dataclass(frozen=True, slots=True)
class Ledger:
    """An account's ledger: complete (every entry and allocation ever booked), or carried forward (``carried``)."""

    account_id: str
    entries: tuple[Entry, ...] = ()
    allocations: tuple[Allocation, ...] = ()
    complete: bool = field(default=True, init=False, compare=False)
    _by_id: Mapping[str, Entry] = field(init=False, repr=False, compare=False)
    _left: Mapping[str, Decimal] = field(init=False, repr=False, compare=False)  # what remains of each entry

    def __post_init__(self) -> None:
        object.__setattr__(self, "entries", tuple(self.entries))
        object.__setattr__(self, "allocations", tuple(self.allocations))
        by_id: dict[str, Entry] = {}
        left: dict[str, Decimal] = {}
        _extend(by_id, left, self.entries, self.allocations)
        object.__setattr__(self, "_by_id", MappingProxyType(by_id))
        object.__setattr__(self, "_left", MappingProxyType(left))

    @classmethod
    def carried(cls, account_id: str, items: Iterable[OpenItem]) -> Ledger:
        """The ledger carried forward, as an accountant carries a balance forward: only the entries with
        something left (open debits, unused credits) and what is left of each. Booking on it gives the same
        allocations and balance as on the complete ledger, at a cost bounded by what is open rather than by
        the account's history; reversing a payment needs its history (``postings.return_payment`` refuses)."""
        return cls.carried_amounts(account_id, ((item.entry, item.remaining.amount) for item in items))

    @classmethod
    def carried_amounts(cls, account_id: str, items: Iterable[tuple[Entry, Decimal]]) -> Ledger:
        """``carried`` from each entry and what is left of it as a plain ``Decimal`` in cents (as a store reads
        them), with the same checks, without building an ``OpenItem`` and a ``Money`` per entry."""
        by_id: dict[str, Entry] = {}
        left: dict[str, Decimal] = {}
        for entry, remaining in items:
            if not 0 < remaining <= entry.magnitude.amount or entry.id in by_id:
                raise TelbillError("ledger.carried", f"{entry.id} cannot be carried with {remaining:.2f} left")
            by_id[entry.id] = entry
            left[entry.id] = remaining
        ordered = tuple(sorted(by_id.values(), key=lambda e: (e.day, e.id)))
        return _made(account_id, ordered, (), (by_id, left), complete=False)

    def carry_forward(self) -> Ledger:
        return Ledger.carried(self.account_id, self.open_items() + self.unallocated_credits())

    def entry(self, entry_id: str) -> Entry:
        found = self._by_id.get(entry_id)
        if found is None:
            raise TelbillError("ledger.unknown_entry", f"no entry {entry_id} on {self.account_id}", ErrorKind.NOT_FOUND)
        return found

    def has(self, entry_id: str) -> bool:
        return entry_id in self._by_id

    def remaining(self, entry_id: str) -> Money:
        self.entry(entry_id)
        return Money._cents(self._left[entry_id])

    def left_of(self, entry_id: str) -> Decimal:
        """``remaining`` as a plain ``Decimal``, for the allocation loops (the entry must be in this ledger)."""
        return self._left[entry_id]

    def balance(self) -> Money:
        """What the customer owes (+) or is owed (−): what is left of the debits less what is left of the credits
        (for a complete ledger, the sum of its entries: the identity of the module docstring)."""
        left = self._left
        owed = sum((left[e.id] if e.is_debit else -left[e.id] for e in self.entries), Decimal("0.00"))
        return Money(owed)

    def open_items(self) -> tuple[OpenItem, ...]:
        """The debits not fully settled, in booking order (``allocation.oldest_first`` sorts them to settle)."""
        left = self._left
        return tuple(OpenItem(e, Money._cents(left[e.id])) for e in self.entries if e.is_debit and left[e.id])

    def unallocated_credits(self) -> tuple[OpenItem, ...]:
        left = self._left
        return tuple(OpenItem(e, Money._cents(left[e.id])) for e in self.entries if not e.is_debit and left[e.id])

    def allocated_by(self, credit_id: str) -> dict[str, Money]:
        """Per debit, what this credit settles now (its allocations net of undoings)."""
        net: dict[str, Money] = {}
        for allocation in self.allocations:
            if allocation.credit_id == credit_id:
                net[allocation.debit_id] = net.get(allocation.debit_id, Money.zero()) + allocation.amount
        return {debit: amount for debit, amount in net.items() if not amount.is_zero()}

    def with_posting(self, posting: Posting) -> Ledger:
        """This ledger and the posting, checking what the posting adds (the rest was checked already)."""
        by_id, left = dict(self._by_id), dict(self._left)
        _extend(by_id, left, posting.entries, posting.allocations)
        entries, allocations = self.entries + posting.entries, self.allocations + posting.allocations
        return _made(self.account_id, entries, allocations, (by_id, left), self.complete)


def _made(
    account_id: str,
    entries: tuple[Entry, ...],
    allocations: tuple[Allocation, ...],
    maps: tuple[dict[str, Entry], dict[str, Decimal]],
    complete: bool,
) -> Ledger:
    """A ledger from its maps (entries by id, what is left of each), already checked by ``_extend`` or
    ``carried``."""
    by_id, left = maps
    made = object.__new__(Ledger)
    setting = object.__setattr__
    setting(made, "account_id", account_id)
    setting(made, "entries", entries)
    setting(made, "allocations", allocations)
    setting(made, "complete", complete)
    setting(made, "_by_id", MappingProxyType(by_id))
    setting(made, "_left", MappingProxyType(left))
    return made


def _extend(
    by_id: dict[str, Entry], left: dict[str, Decimal], entries: Iterable[Entry], allocations: Iterable[Allocation]
) -> None:
    """Add entries and allocations to the maps of a ledger, checking them: an id booked twice, an allocation
    that does not join a credit to a debit of the ledger, what remains of an entry out of [0, magnitude]."""
    for entry in entries:
        if entry.id in by_id:
            raise TelbillError("ledger.duplicate", f"entry {entry.id} is booked already", ErrorKind.CONFLICT)
        by_id[entry.id] = entry
        left[entry.id] = entry.magnitude.amount
    touched: set[str] = set()
    for allocation in allocations:
        credit, debit = by_id.get(allocation.credit_id), by_id.get(allocation.debit_id)
        if credit is None or debit is None or credit.is_debit or not debit.is_debit:
            raise TelbillError(
                "ledger.allocation",
                f"allocation {allocation.credit_id} → {allocation.debit_id} does not join a credit to a debit",
                ErrorKind.CONFLICT,
            )
        left[credit.id] -= allocation.amount.amount
        left[debit.id] -= allocation.amount.amount
        touched.update((credit.id, debit.id))
    for entry_id in touched:
        if not 0 <= left[entry_id] <= by_id[entry_id].magnitude.amount:
            raise TelbillError(
                "ledger.over_allocated",
                f"entry {entry_id} of {by_id[entry_id].amount} would have {Money(left[entry_id])} left",
                ErrorKind.CONFLICT,
            )


def ledger_of(account_id: str, entries: Iterable[Entry], allocations: Iterable[Allocation]) -> Ledger:
    """A ledger from stored rows, in booking order (day, then id) whatever order the rows came in."""
    ordered = sorted(entries, key=lambda e: (e.day, e.id))
    return Ledger(account_id, tuple(ordered), tuple(allocations))
