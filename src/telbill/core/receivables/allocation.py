"""Allocation: which open debits a credit settles, and in which order (docs/algorithms/dunning.md).

Rules:
1. A credit first settles the item it names: a payment, the document whose structured communication it
   quotes; a credit note, the invoice it corrects (``Entry.communication`` / ``Entry.reference``).
2. Then the other open items, oldest first: by the day they are owed from (due date, else booking day),
   then booking day, then id.
3. Each step settles min(what the credit has left, what the item has open): a partial payment leaves the
   rest of the item open. What the credit has left at the end stays unallocated: an over-payment, a credit
   in the customer's favour.
4. A new debit is settled by the unallocated credits, oldest first (booking day, then id), so a credit in
   the customer's favour pays the next invoice.

Both functions take a ledger that already holds the new entry and return the allocations to add; they never
create or lose a cent: each allocation is taken from one side and given to the other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from telbill.core.money import Money
from telbill.core.receivables.ledger import Allocation, Entry, EntryKind, Ledger, OpenItem


def oldest_first(items: Iterable[OpenItem]) -> list[OpenItem]:
    return sorted(items, key=lambda item: (item.entry.settle_by, item.entry.day, item.entry.id))


def named_item(ledger: Ledger, credit: Entry) -> Entry | None:
    """The debit a credit names: by structured communication for a payment, by number for a credit note."""
    for item in ledger.open_items():
        debit = item.entry
        if credit.kind is EntryKind.PAYMENT and credit.communication and debit.communication == credit.communication:
            return debit
        if credit.reference is not None and debit.id == credit.reference:
            return debit
    return None


def allocate_credit(ledger: Ledger, credit: Entry, day: date) -> tuple[Allocation, ...]:
    """Rules 1–3 for ``credit``, which the ledger already holds."""
    named = named_item(ledger, credit)
    items = oldest_first(ledger.open_items())
    if named is not None:
        items.sort(key=lambda item: item.entry.id != named.id)  # stable: the named item first, the rest in order
    return _take(ledger.remaining(credit.id), items, lambda item, amount: Allocation(credit.id, item.id, amount, day))


def settle_debit(ledger: Ledger, debit: Entry, day: date) -> tuple[Allocation, ...]:
    """Rule 4 for ``debit``, which the ledger already holds."""
    credits = sorted(ledger.unallocated_credits(), key=lambda item: (item.entry.day, item.entry.id))
    return _take(ledger.remaining(debit.id), credits, lambda item, amount: Allocation(item.id, debit.id, amount, day))


_Maker = Callable[[Entry, Money], Allocation]


def _take(available: Money, items: list[OpenItem], allocation: _Maker) -> tuple[Allocation, ...]:
    made: list[Allocation] = []
    for item in items:
        if available.is_zero():
            break
        amount = min(available, item.remaining)
        made.append(allocation(item.entry, amount))
        available -= amount
    return tuple(made)
