"""``postings.post_all``: several entries booked on one ledger at once give exactly what ``post_into`` gives
one after the other (the statement import books an account's payments that way). Amounts worked by hand."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from telbill.core.receivables.ledger import Allocation, Entry, EntryKind, Ledger
from telbill.core.receivables.postings import post_all, post_into, postings_of
from tests.core.receivables_builders import book, d, invoice, m, payment, refused
from tests.core.test_ledger_properties import OPERATION, World, apply, in_euro


def one_by_one(ledger: Ledger, entries: list[Entry]) -> tuple[list[object], Ledger]:
    postings: list[object] = []
    for entry in entries:
        posting, ledger = post_into(ledger, entry)
        postings.append(posting)
    return postings, ledger


def test_payments_of_their_invoices_and_beyond() -> None:
    # F1 100.00 (comm 1), F2 50.00 (comm 2), F3 20.00 (comm 3), oldest first by due date: F1, F2, F3
    ledger = book(
        Ledger("ACC"),
        invoice("F1", "2026-01-01", "2026-01-31", "100.00", "000000000101"),
        invoice("F2", "2026-01-02", "2026-02-01", "50.00", "000000000202"),
        invoice("F3", "2026-01-03", "2026-02-02", "20.00", "000000000303"),
    )
    entries = [
        payment("P1", "2026-02-10", "100.00", "000000000101"),  # F1 in full: 0.00 left
        payment("P2", "2026-02-10", "30.00", "000000000202"),  # F2 in part: 20.00 left
        payment("P3", "2026-02-11", "25.00", "000000000202"),  # F2's 20.00, then 5.00 of F3 (15.00 left)
        payment("P4", "2026-02-12", "15.00", "000000000303"),  # F3's 15.00 left, in full
        payment("P5", "2026-02-12", "7.00", "000000000101"),  # F1 is settled: nothing open, 7.00 in credit
    ]
    postings, after = post_all(ledger, entries)
    assert [p.allocations for p in postings] == [
        (Allocation("P1", "F1", m("100.00"), d("2026-02-10")),),
        (Allocation("P2", "F2", m("30.00"), d("2026-02-10")),),
        (Allocation("P3", "F2", m("20.00"), d("2026-02-11")), Allocation("P3", "F3", m("5.00"), d("2026-02-11"))),
        (Allocation("P4", "F3", m("15.00"), d("2026-02-12")),),
        (),
    ]
    assert [p.entries for p in postings] == [(entry,) for entry in entries]
    assert after.open_items() == ()
    assert [(i.entry.id, i.remaining) for i in after.unallocated_credits()] == [("P5", m("7.00"))]
    assert after.balance() == m("-7.00")  # 170.00 owed, 177.00 paid
    assert (postings, after) == one_by_one(ledger, entries)


def test_a_payment_booked_twice_is_refused() -> None:
    ledger = book(Ledger("ACC"), invoice("F1", "2026-01-01", "2026-01-31", "100.00", "000000000101"))
    twice = payment("P1", "2026-02-10", "10.00", "000000000101")
    with refused("ledger.duplicate"):
        post_all(ledger, [twice, twice])


def test_nothing_to_book_leaves_the_ledger_as_it_was() -> None:
    ledger = book(Ledger("ACC"), invoice("F1", "2026-01-01", "2026-01-31", "100.00", "000000000101"))
    assert post_all(ledger, []) == ([], ledger)


NEW = st.tuples(
    st.sampled_from(["invoice", "payment", "named_payment", "credit_note"]),
    st.integers(min_value=1, max_value=50_000),
    st.integers(min_value=0, max_value=60),
    st.integers(min_value=0, max_value=1_000),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(OPERATION, max_size=25), st.lists(NEW, min_size=1, max_size=25), st.booleans())
def test_post_all_books_as_post_into_one_by_one(
    history: list[tuple[str, int, int, int]], new: list[tuple[str, int, int, int]], carried: bool
) -> None:
    world = World()
    for operation in history:
        apply(world, operation)
    ledger = world.ledger.carry_forward() if carried else world.ledger
    debits = [e for e in world.ledger.entries if e.is_debit]
    entries: list[Entry] = []
    for n, (kind, amount_cents, offset, pick) in enumerate(new):
        amount, day = in_euro(amount_cents), d("2026-03-01")
        named = debits[pick % len(debits)] if debits else None
        if kind == "invoice":
            entries.append(Entry(f"N{n}", EntryKind.INVOICE, day, amount, day, f"{900 + n:012d}"))
        elif kind == "credit_note":
            entries.append(Entry(f"N{n}", EntryKind.CREDIT_NOTE, day, -amount, reference=named and named.id))
        else:
            quoted = named.communication if named is not None and kind == "named_payment" else None
            reference = named.id if named is not None and offset % 2 else None
            entries.append(Entry(f"N{n}", EntryKind.PAYMENT, day, -amount, None, quoted, reference))
    (postings, after), (expected, reference) = post_all(ledger, entries), one_by_one(ledger, entries)
    assert (postings, after) == (expected, reference)
    assert postings_of(ledger, entries) == expected
    assert [after.left_of(e.id) for e in after.entries] == [reference.left_of(e.id) for e in reference.entries]
