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

Both functions take the ledger before or after the new entry is booked and return the allocations to add;
they never create or lose a cent: each allocation is taken from one side and given to the other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from telbill.core.money import Money
from telbill.core.receivables.ledger import Allocation, Entry, EntryKind, Ledger, OpenItem


def oldest_first(items: Iterable[OpenItem]) -> list[OpenItem]:
    return sorted(items, key=lambda item: (item.entry.settle_by, item.entry.day, item.entry.id))


def named_item(ledger: Ledger, credit: Entry) -> OpenItem | None:
    """The open debit a credit names: by structured communication for a payment, by number for a credit note."""
    by_communication = credit.kind is EntryKind.PAYMENT and credit.communication is not None
    for debit in ledger.entries:
        named = (by_communication and debit.communication == credit.communication) or debit.id == credit.reference
        if named and debit.is_debit and not (left := ledger.remaining(debit.id)).is_zero():
            return OpenItem(debit, left)
    return None


def allocate_credit(ledger: Ledger, credit: Entry, day: date) -> tuple[Allocation, ...]:
    """Rules 1–3 for ``credit`` (a new credit, or one of the ledger with something left)."""
    available = ledger.remaining(credit.id) if ledger.has(credit.id) else credit.magnitude

    def settling(item: Entry, amount: Money) -> Allocation:
        return Allocation(credit.id, item.id, amount, day)

    named = named_item(ledger, credit)
    if named is not None and named.remaining >= available:
        return (settling(named.entry, available),)  # the common case: a payment of the item it names
    made = _take(available, [named], settling) if named is not None else ()
    left = available - named.remaining if named is not None else available
    others = [item for item in oldest_first(ledger.open_items()) if named is None or item.entry.id != named.entry.id]
    return made + _take(left, others, settling)


def settle_debit(ledger: Ledger, debit: Entry, day: date) -> tuple[Allocation, ...]:
    """Rule 4 for ``debit`` (a new debit, or one of the ledger still open)."""
    credits = sorted(ledger.unallocated_credits(), key=lambda item: (item.entry.day, item.entry.id))
    available = ledger.remaining(debit.id) if ledger.has(debit.id) else debit.magnitude
    return _take(available, credits, lambda item, amount: Allocation(item.id, debit.id, amount, day))


_Maker = Callable[[Entry, Money], Allocation]


def _take(available: Money, items: list[OpenItem], allocation: _Maker) -> tuple[Allocation, ...]:
    made: list[Allocation] = []
    for item in items:
        if available.is_zero():
            break
        if item.remaining >= available:
            made.append(allocation(item.entry, available))
            break
        made.append(allocation(item.entry, item.remaining))
        available -= item.remaining
    return tuple(made)
