"""Properties of the ledger: through any sequence of operations it balances, and no cent appears or
disappears. The expected balance is kept by the test itself, in integer cents, from the amounts it booked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from telbill.core.money import Money
from telbill.core.receivables.ledger import Entry, EntryKind, Ledger
from telbill.core.receivables.postings import post, return_payment
from tests.core.receivables_builders import refused

START = date(2026, 1, 1)


@dataclass
class World:
    ledger: Ledger = field(default_factory=lambda: Ledger("ACC"))
    cents: int = 0  # the balance in cents, as booked by the test
    serial: int = 0

    def next_id(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}{self.serial}"


def cents(amount: Money) -> int:
    return int(amount.amount * 100)


def in_euro(amount_cents: int) -> Money:
    return Money(Decimal(amount_cents).scaleb(-2))


OPERATION = st.tuples(
    st.sampled_from(["invoice", "fee", "credit_note", "payment", "named_payment", "refund", "return"]),
    st.integers(min_value=1, max_value=50_000),  # an amount in cents
    st.integers(min_value=0, max_value=60),  # a day offset
    st.integers(min_value=0, max_value=1_000),  # which earlier entry an operation names
)


def apply(world: World, operation: tuple[str, int, int, int]) -> None:
    kind, amount_cents, offset, pick = operation
    amount, day = in_euro(amount_cents), START + timedelta(days=offset)
    entries = world.ledger.entries
    invoices = [e for e in entries if e.kind in (EntryKind.INVOICE, EntryKind.FEE)]
    if kind in ("invoice", "fee"):
        entry_kind = EntryKind.INVOICE if kind == "invoice" else EntryKind.FEE
        communication = f"{world.serial:012d}"
        entry = Entry(world.next_id("F"), entry_kind, day, amount, day + timedelta(days=30), communication)
    elif kind == "credit_note":
        named = invoices[pick % len(invoices)].id if invoices else None
        entry = Entry(world.next_id("C"), EntryKind.CREDIT_NOTE, day, -amount, reference=named)
    elif kind in ("payment", "named_payment"):
        quoted = invoices[pick % len(invoices)].communication if invoices and kind == "named_payment" else None
        entry = Entry(world.next_id("P"), EntryKind.PAYMENT, day, -amount, communication=quoted)
    elif kind == "refund":
        available = sum(cents(item.remaining) for item in world.ledger.unallocated_credits())
        if not available:
            return
        refund = in_euro(min(amount_cents, available))
        entry = Entry(world.next_id("R"), EntryKind.REFUND, day, refund)
    else:
        _return(world, pick, day)
        return
    world.ledger = world.ledger.with_posting(post(world.ledger, entry))
    world.cents += cents(entry.amount)


def _return(world: World, pick: int, day: date) -> None:
    returned = {e.reference for e in world.ledger.entries if e.kind is EntryKind.PAYMENT_RETURN}
    payments = [e for e in world.ledger.entries if e.kind is EntryKind.PAYMENT and e.id not in returned]
    if not payments:
        return
    payment = payments[pick % len(payments)]
    world.ledger = world.ledger.with_posting(return_payment(world.ledger, payment.id, world.next_id("X"), day))
    world.cents += cents(payment.magnitude)


def check(world: World) -> None:
    ledger = world.ledger
    open_cents = sum(cents(item.remaining) for item in ledger.open_items())
    credit_cents = sum(cents(item.remaining) for item in ledger.unallocated_credits())
    assert sum(cents(entry.amount) for entry in ledger.entries) == world.cents  # no cent appears or disappears
    assert cents(ledger.balance()) == world.cents
    assert open_cents - credit_cents == world.cents  # the ledger balances
    assert not (open_cents and credit_cents)  # netted: an open debit and an unused credit never coexist
    for entry in ledger.entries:
        assert 0 <= cents(ledger.remaining(entry.id)) <= cents(entry.magnitude)


@settings(max_examples=300, deadline=None)
@given(st.lists(OPERATION, min_size=1, max_size=40))
def test_the_ledger_balances_through_any_sequence_of_operations(operations: list[tuple[str, int, int, int]]) -> None:
    world = World()
    for operation in operations:
        apply(world, operation)
        check(world)


@given(st.lists(OPERATION, min_size=1, max_size=20))
def test_rebuilding_a_ledger_from_its_rows_gives_the_same_amounts(operations: list[tuple[str, int, int, int]]) -> None:
    world = World()
    for operation in operations:
        apply(world, operation)
    rebuilt = Ledger("ACC", tuple(reversed(world.ledger.entries)), tuple(reversed(world.ledger.allocations)))
    for entry in world.ledger.entries:
        assert rebuilt.remaining(entry.id) == world.ledger.remaining(entry.id)


def test_a_refund_one_cent_beyond_the_credit_is_refused() -> None:
    world = World()
    apply(world, ("payment", 1000, 0, 0))
    with refused("ledger.refund_exceeds_credit"):
        post(world.ledger, Entry("R", EntryKind.REFUND, START, Money.of("10.01")))  # 10.00 is in credit


NEXT = st.tuples(
    st.sampled_from(["invoice", "fee", "credit_note", "payment", "named_payment", "refund"]),
    st.integers(min_value=1, max_value=50_000),
    st.integers(min_value=0, max_value=60),
    st.integers(min_value=0, max_value=1_000),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(OPERATION, min_size=1, max_size=30), NEXT)
def test_a_ledger_carried_forward_books_as_the_complete_one(
    operations: list[tuple[str, int, int, int]], following: tuple[str, int, int, int]
) -> None:
    """Only what is open, carried forward: the same balance, and the next operation settles the same items."""
    world = World()
    for operation in operations:
        apply(world, operation)
    complete = world.ledger
    carried = complete.carry_forward()
    assert carried.balance() == complete.balance()
    apply(world, following)
    if len(world.ledger.entries) == len(complete.entries):
        return  # nothing booked (a refund without credit)
    posting = post(carried, world.ledger.entries[-1])
    added = world.ledger.allocations[len(complete.allocations) :]
    assert posting.allocations == added
    assert carried.with_posting(posting).balance() == world.ledger.balance()


def test_a_carried_ledger_cannot_reverse_a_payment() -> None:
    world = World()
    apply(world, ("invoice", 3449, 0, 0))
    apply(world, ("payment", 5000, 1, 0))  # 34.49 settled, 15.51 left: the payment is carried
    carried = world.ledger.carry_forward()
    (payment,) = [e.id for e in carried.entries]
    with refused("ledger.incomplete"):
        return_payment(carried, payment, "X", START)
