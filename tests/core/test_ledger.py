"""The account ledger and payment allocation, worked out by hand (docs/algorithms/dunning.md, "Allocation").

The invoices are Belgacom's monthly directory line: 28.50 net + 21 % VAT 5.985 → 5.99 = 34.49 gross.
Structured communications: base 2026000001 mod 97 = 2026000001 − 97 × 20886597 (= 2025999909) = 92, so
+++202/6000/00192+++; base 2026000002 → 93; base 2026000003 → 94.
"""

from __future__ import annotations

from telbill.core.money import Money
from telbill.core.receivables.ledger import Allocation, Entry, EntryKind, Ledger, Posting
from telbill.core.receivables.postings import post, return_payment
from tests.core.receivables_builders import book, d, invoice, m, payment, refused

A, B, C = "202600000192", "202600000293", "202600000394"


def opens(ledger: Ledger) -> dict[str, str]:
    return {item.entry.id: str(item.remaining) for item in ledger.open_items()}


def credits(ledger: Ledger) -> dict[str, str]:
    return {item.entry.id: str(item.remaining) for item in ledger.unallocated_credits()}


JAN = invoice("F2026-000001", "2026-01-01", "2026-01-31", "34.49", A)
FEB = invoice("F2026-000002", "2026-02-01", "2026-03-03", "34.49", B)
TWO = book(Ledger("ACC-1"), JAN, FEB)


def test_two_open_invoices_make_the_balance() -> None:
    assert str(TWO.balance()) == "68.98"  # 34.49 + 34.49
    assert opens(TWO) == {"F2026-000001": "34.49", "F2026-000002": "34.49"}


def test_a_payment_settles_the_invoice_whose_communication_it_quotes_even_if_not_the_oldest() -> None:
    ledger = book(TWO, payment("P1", "2026-02-10", "34.49", B))
    assert opens(ledger) == {"F2026-000001": "34.49"}
    assert str(ledger.balance()) == "34.49"  # 68.98 − 34.49


def test_without_communication_the_oldest_item_is_settled_first() -> None:
    ledger = book(TWO, payment("P1", "2026-02-10", "50.00"))
    # January first: 34.49; February gets the remaining 50.00 − 34.49 = 15.51 and keeps 34.49 − 15.51 = 18.98 open
    assert opens(ledger) == {"F2026-000002": "18.98"}
    assert ledger.allocated_by("P1") == {"F2026-000001": m("34.49"), "F2026-000002": m("15.51")}


def test_an_unknown_communication_falls_back_to_oldest_first() -> None:
    ledger = book(TWO, payment("P1", "2026-02-10", "34.49", C))
    assert opens(ledger) == {"F2026-000002": "34.49"}


def test_a_partial_payment_leaves_the_rest_of_the_item_open() -> None:
    ledger = book(TWO, payment("P1", "2026-01-20", "20.00", A))
    assert opens(ledger) == {"F2026-000001": "14.49", "F2026-000002": "34.49"}  # 34.49 − 20.00 = 14.49


def test_an_over_payment_settles_everything_and_leaves_a_credit() -> None:
    ledger = book(TWO, payment("P1", "2026-02-10", "100.00", A))
    assert opens(ledger) == {}
    assert credits(ledger) == {"P1": "31.02"}  # 100.00 − 68.98
    assert str(ledger.balance()) == "-31.02"


def test_the_next_invoice_is_settled_by_the_credit_in_the_customers_favour() -> None:
    ledger = book(TWO, payment("P1", "2026-02-10", "100.00", A))
    ledger = book(ledger, invoice("F2026-000003", "2026-03-01", "2026-03-31", "34.49", C))
    assert opens(ledger) == {"F2026-000003": "3.47"}  # 34.49 − 31.02
    assert credits(ledger) == {}


def test_a_credit_note_settles_the_invoice_it_corrects_first() -> None:
    note = Entry("C2026-000001", EntryKind.CREDIT_NOTE, d("2026-02-15"), m("-34.49"), reference="F2026-000002")
    ledger = book(TWO, note)
    assert opens(ledger) == {"F2026-000001": "34.49"}


def test_a_credit_note_of_a_paid_invoice_settles_the_next_open_item() -> None:
    paid = book(TWO, payment("P1", "2026-01-20", "34.49", A))
    note = Entry("C2026-000001", EntryKind.CREDIT_NOTE, d("2026-02-15"), m("-10.00"), reference="F2026-000001")
    assert opens(book(paid, note)) == {"F2026-000002": "24.49"}  # 34.49 − 10.00


def test_a_refund_pays_back_an_over_payment_and_no_more() -> None:
    over = book(TWO, payment("P1", "2026-02-10", "100.00"))
    refunded = book(over, Entry("R1", EntryKind.REFUND, d("2026-02-20"), m("31.02")))
    assert str(refunded.balance()) == "0.00"  # −31.02 + 31.02
    assert credits(refunded) == {} and opens(refunded) == {}
    with refused("ledger.refund_exceeds_credit"):
        post(over, Entry("R1", EntryKind.REFUND, d("2026-02-20"), m("31.03")))


def test_a_returned_direct_debit_reopens_the_items_it_settled() -> None:
    paid = book(TWO, payment("DD1", "2026-02-05", "68.98"))
    assert opens(paid) == {}
    returned = paid.with_posting(return_payment(paid, "DD1", "DD1:return", d("2026-02-12")))
    assert opens(returned) == {"F2026-000001": "34.49", "F2026-000002": "34.49"}
    assert str(returned.balance()) == "68.98"  # 68.98 − 68.98 + 68.98: the return cancels the payment
    assert returned.remaining("DD1") == Money.zero() and returned.remaining("DD1:return") == Money.zero()
    with refused("ledger.returned_already"):
        return_payment(returned, "DD1", "DD1:return-2", d("2026-02-13"))


def test_a_return_uses_a_credit_that_was_left_to_settle_the_reopened_items() -> None:
    ledger = book(TWO, payment("DD1", "2026-02-05", "34.49", A), payment("P2", "2026-02-06", "50.00", B))
    # P2 settles February (34.49) and leaves 15.51 unallocated
    assert credits(ledger) == {"P2": "15.51"}
    returned = ledger.with_posting(return_payment(ledger, "DD1", "DD1:return", d("2026-02-12")))
    assert opens(returned) == {"F2026-000001": "18.98"}  # 34.49 reopened − the 15.51 left on P2
    assert credits(returned) == {}


def test_wrong_signs_duplicates_and_over_allocations_are_refused() -> None:
    with refused("ledger.entry_sign"):
        Entry("P", EntryKind.PAYMENT, d("2026-01-01"), m("10.00"))
    with refused("ledger.entry_sign"):
        Entry("F", EntryKind.INVOICE, d("2026-01-01"), Money.zero())
    with refused("ledger.duplicate"):
        post(TWO, JAN)
    too_much = Allocation("P1", "F2026-000001", m("40.00"), d("2026-02-01"))
    with refused("ledger.over_allocated"):
        TWO.with_posting(Posting((payment("P1", "2026-02-01", "40.00"),), (too_much,)))
