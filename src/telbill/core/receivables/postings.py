"""Operations on an account's ledger; each returns the ``Posting`` the shell stores in one transaction.

- ``post``: an invoice or fee document (settled at once by the unallocated credits), a payment, credit note
  or compensation (settling open items: ``allocation.py``), or a refund, which pays an over-payment back and
  may not exceed the unallocated credits.
- ``return_payment``: a direct debit returned by the customer's bank. Every settlement the payment made is
  undone (allocations of the opposite sign), the payment settles the return entry instead, and the reopened
  items are settled again by whatever credit is left: the items are open again, as before the payment.
- ``entry_of``: the ledger entry of an issued invoice or credit note, from its ``DocumentFacts``.

Invariant after every operation (property-tested): the ledger is *netted*, it never holds an open debit
and an unallocated credit at the same time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from telbill.core.billing.invoice import DocumentType, InvoiceDocument
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.money import Money, total
from telbill.core.receivables.allocation import allocate_credit, oldest_first, settle_debit
from telbill.core.receivables.ledger import Allocation, Entry, EntryKind, Ledger, Posting


def post(ledger: Ledger, entry: Entry) -> Posting:
    """Book ``entry`` and settle what it can (refused: an id booked already, a refund beyond the credit)."""
    return post_into(ledger, entry)[0]


def post_into(ledger: Ledger, entry: Entry) -> tuple[Posting, Ledger]:
    """``post``, and the ledger with the posting (cheaper than ``ledger.with_posting`` afterwards)."""
    if ledger.has(entry.id):
        raise TelbillError("ledger.duplicate", f"entry {entry.id} is booked already", ErrorKind.CONFLICT)
    if entry.kind is EntryKind.PAYMENT_RETURN:
        raise TelbillError("ledger.return", "a returned payment is booked by return_payment", ErrorKind.CONFLICT)
    if entry.kind is EntryKind.REFUND:
        credit = total(item.remaining for item in ledger.unallocated_credits())
        if entry.amount > credit:
            raise TelbillError(
                "ledger.refund_exceeds_credit",
                f"refund {entry.amount} exceeds the credit of {credit} in favour of {ledger.account_id}",
                ErrorKind.CONFLICT,
            )
    # the new entry changes neither the open debits nor the unused credits it is weighed against
    if entry.is_debit:
        allocations = settle_debit(ledger, entry, entry.day)
    else:
        allocations = allocate_credit(ledger, entry, entry.day)
    posting = Posting((entry,), allocations)
    return posting, ledger.with_posting(posting)


def return_payment(ledger: Ledger, payment_id: str, return_id: str, day: date) -> Posting:
    """Reverse payment ``payment_id`` on ``day`` with the return entry ``return_id`` (see the module doc)."""
    if not ledger.complete:
        message = f"reversing {payment_id} needs the complete ledger of {ledger.account_id}, not one carried forward"
        raise TelbillError("ledger.incomplete", message, ErrorKind.CONFLICT)
    payment = ledger.entry(payment_id)
    if payment.kind is not EntryKind.PAYMENT:
        message = f"{payment_id} is a {payment.kind.value}, not a payment"
        raise TelbillError("ledger.return", message, ErrorKind.CONFLICT)
    if any(e.kind is EntryKind.PAYMENT_RETURN and e.reference == payment_id for e in ledger.entries):
        raise TelbillError("ledger.returned_already", f"payment {payment_id} is returned already", ErrorKind.CONFLICT)
    settled = ledger.allocated_by(payment_id).items()
    undo = tuple(Allocation(payment_id, debit, -amount, day) for debit, amount in settled)
    returned = Entry(return_id, EntryKind.PAYMENT_RETURN, day, payment.magnitude, reference=payment_id)
    allocations = (*undo, Allocation(payment_id, return_id, payment.magnitude, day))
    step = ledger.with_posting(Posting((returned,), allocations))
    renetted: list[Allocation] = []
    for item in oldest_first(step.open_items()):
        again = settle_debit(step, item.entry, day)
        step = step.with_posting(Posting((), again))
        renetted += again
    return Posting((returned,), (*allocations, *renetted))


@dataclass(frozen=True, slots=True)
class DocumentFacts:
    """What the ledger needs of an issued document (a store reads these without the document's lines)."""

    number: str
    type: DocumentType
    issue_date: date
    gross: Money  # the document's total, positive whatever its type
    due_date: date | None = None
    communication: str | None = None  # 12 digits
    preceding: str | None = None  # the invoice a credit note corrects
    out_of_scope: bool = False
    compensation: bool = False  # a credit note of compensations owed to the customer


def facts_of(document: InvoiceDocument, out_of_scope: bool, compensation: bool = False) -> DocumentFacts:
    communication = document.structured_communication.digits if document.structured_communication else None
    preceding = document.preceding.number if document.preceding else None
    return DocumentFacts(document.number, document.type, document.issue_date, document.totals.gross,
                         document.due_date, communication, preceding, out_of_scope, compensation)  # fmt: skip


def entry_of(facts: DocumentFacts) -> Entry | None:
    """The entry of an issued document (None for a document of zero total, which moves nothing).

    An invoice is a debit due on its due date, payable by its structured communication; an invoice of
    amounts outside the scope of VAT is a ``FEE``. A credit note is a credit that first settles the invoice
    it corrects (a ``COMPENSATION`` when it credits compensations owed to the customer)."""
    if facts.gross.is_zero():
        return None
    if facts.type is DocumentType.INVOICE:
        kind = EntryKind.FEE if facts.out_of_scope else EntryKind.INVOICE
        return Entry(facts.number, kind, facts.issue_date, facts.gross, facts.due_date, facts.communication)
    kind = EntryKind.COMPENSATION if facts.compensation else EntryKind.CREDIT_NOTE
    return Entry(facts.number, kind, facts.issue_date, -facts.gross, reference=facts.preceding)
