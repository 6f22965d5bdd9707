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
    named = _named(ledger, credit)
    return OpenItem(named, Money._cents(ledger.left_of(named.id))) if named is not None else None


def _named(ledger: Ledger, credit: Entry) -> Entry | None:
    by_communication = credit.kind is EntryKind.PAYMENT and credit.communication is not None
    for debit in ledger.entries:
        named = (by_communication and debit.communication == credit.communication) or debit.id == credit.reference
        if named and debit.is_debit and ledger.left_of(debit.id):
            return debit
    return None


def allocate_credit(ledger: Ledger, credit: Entry, day: date) -> tuple[Allocation, ...]:
    """Rules 1–3 for ``credit`` (a new credit, or one of the ledger with something left)."""
    booked = ledger.has(credit.id)
    named = _named(ledger, credit)
    if named is not None and not booked and ledger.left_of(named.id) >= credit.magnitude.amount:
        return (Allocation(credit.id, named.id, credit.magnitude, day),)  # the common case: a payment of its item
    available = ledger.remaining(credit.id) if booked else credit.magnitude

    def settling(item: Entry, amount: Money) -> Allocation:
        return Allocation(credit.id, item.id, amount, day)

    if named is None:
        return _take(available, oldest_first(ledger.open_items()), settling)
    item = OpenItem(named, Money._cents(ledger.left_of(named.id)))
    if item.remaining >= available:
        return (settling(named, available),)
    others = [other for other in oldest_first(ledger.open_items()) if other.entry.id != named.id]
    return _take(available, [item], settling) + _take(available - item.remaining, others, settling)


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
