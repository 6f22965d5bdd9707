"""Operations on an account's ledger; each returns the ``Posting`` the shell stores in one transaction.

- ``post``: an invoice or fee document (settled at once by the unallocated credits), a payment, credit note
  or compensation (settling open items: ``allocation.py``), or a refund, which pays an over-payment back and
  may not exceed the unallocated credits.
- ``return_payment``: a direct debit returned by the customer's bank. Every settlement the payment made is
  undone (allocations of the opposite sign), the payment settles the return entry instead, and the reopened
  items are settled again by whatever credit is left: the items are open again, as before the payment.
- ``post_all``: ``post_into`` for several entries of one ledger in turn, at the cost of one ledger rather than
  one per entry (a statement import books thousands of payments).
- ``entry_of``: the ledger entry of an issued invoice or credit note, from its ``DocumentFacts``.

Invariant after every operation (property-tested): the ledger is *netted*, it never holds an open debit
and an unallocated credit at the same time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

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


def post_all(ledger: Ledger, entries: Iterable[Entry]) -> tuple[list[Posting], Ledger]:
    """``post_into`` for each entry in turn: the same postings, the same ledger at the end.

    Why: a ledger is immutable, and ``post_into`` builds a new one per entry. Here an entry that settles the
    open item it names within what is left of it (rule 1 of ``allocation.py``: a payment of its invoice, the
    common case) is settled on ``_Named``'s running figures; the ledger is built again only before any other
    entry, which goes through ``post_into``, and once at the end."""
    postings, named = _post_all(ledger, entries)
    return postings, named.folded()


def postings_of(ledger: Ledger, entries: Iterable[Entry]) -> list[Posting]:
    """``post_all``'s postings, for a caller done with the ledger (building the last one costs as much as the
    rest of booking a payment)."""
    return _post_all(ledger, entries)[0]


def _post_all(ledger: Ledger, entries: Iterable[Entry]) -> tuple[list[Posting], _Named]:
    postings: list[Posting] = []
    named = _Named(ledger)
    for entry in entries:
        posting = named.settle(entry)
        if posting is None:
            posting, ledger = post_into(named.folded(), entry)
            named = _Named(ledger)
        postings.append(posting)
    return postings, named


class _Named:
    """A ledger with credits booked since on its open debits, each settling the debit it names in full.

    ``allocation._named``: a credit names the first open debit, in the ledger's order, whose structured
    communication it quotes (a payment) or whose id it references; the debits it may name are indexed once.
    """

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.position: dict[str, int] = {}
        self.by_communication: dict[str, list[Entry]] = {}
        for position, entry in enumerate(ledger.entries):
            if entry.is_debit:
                self.position[entry.id] = position
                if entry.communication is not None:
                    self.by_communication.setdefault(entry.communication, []).append(entry)
        self.left: dict[str, Decimal] = {}  # what is left of the debits settled since
        self.entries: list[Entry] = []
        self.allocations: list[Allocation] = []
        self.booked: set[str] = set()

    def settle(self, credit: Entry) -> Posting | None:
        """The posting of ``credit`` when it settles the debit it names within what is left, else None."""
        if credit.is_debit or credit.id in self.booked or self.ledger.has(credit.id):
            return None
        debit = self._named(credit)
        if debit is None:
            return None
        magnitude = credit.magnitude
        left = self._left(debit.id) - magnitude.amount
        if left < 0:
            return None
        self.left[debit.id] = left
        allocation = Allocation(credit.id, debit.id, magnitude, credit.day)
        self.booked.add(credit.id)
        self.entries.append(credit)
        self.allocations.append(allocation)
        return Posting((credit,), (allocation,))

    def folded(self) -> Ledger:
        if not self.entries:
            return self.ledger
        return self.ledger.with_posting(Posting(tuple(self.entries), tuple(self.allocations)))

    def _left(self, debit_id: str) -> Decimal:
        left = self.left.get(debit_id)
        return self.ledger.left_of(debit_id) if left is None else left

    def _named(self, credit: Entry) -> Entry | None:
        found: Entry | None = None
        if credit.communication is not None and credit.kind is EntryKind.PAYMENT:
            # indexed in the ledger's order: the first with something left comes first
            found = next((d for d in self.by_communication.get(credit.communication, ()) if self._left(d.id)), None)
        reference = credit.reference
        position = self.position.get(reference) if reference is not None else None
        if position is None or (found is not None and self.position[found.id] <= position):
            return found
        assert reference is not None
        return self.ledger.entry(reference) if self._left(reference) else found


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
