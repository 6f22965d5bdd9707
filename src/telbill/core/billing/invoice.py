"""The invoice as an immutable legal snapshot: parties as issued, lines, totals per VAT category.

Contract:
- Every value here is frozen and checks its invariants when built; an issued document is never edited,
  a correction is a new document (``make_credit_note``). Parties are copied into the document as they
  were on the issue date, so a later change of address does not rewrite history.
- **Line amount.** The line net amount (BT-131) is authoritative: it is what the pricing rule computed,
  and its ``provenance`` says how. The line then states the *billed* quantity (BT-129) and net unit price
  (BT-146) that reproduce it: ``net == round_half_up(quantity × unit_price)`` (EN 16931 BR-LIN-04,
  PEPPOL-EN16931-R120), checked when the line is built. The billed quantity is the quantity the price
  applies to, not always the measured one, which stays in the label and the provenance:
  "50 minutes of labour per started quarter hour" is billed as 4 (C62, started quarter hours; UN/ECE
  rec. 20 has no quarter hour) × 16.53 = 66.12; "3 temporary lines, minimum 200.00 per order" is billed
  as 1 (C62, the order) × 200.00. Deriving the unit price as net ÷ measured quantity instead would print
  prices the catalog never had (200.00 ÷ 3 = 66.666…) or a quantity × price that disagrees with the net.
- **Sign convention.** Credit notes carry positive amounts, as UBL credit notes do: a credit note of a
  354.09 invoice repeats its lines with the same positive amounts and totals 354.09; the document type
  gives the direction, and ``signed_gross`` is what the ledger books (+ for an invoice, − for a credit
  note). Inside a document a line may be negative (a discount: quantity −1 × 10.00), but a document whose
  total is negative is refused: issue the opposite document type instead.
- **Outside the scope of VAT.** Category O (indemnities, reminder fees, compensations) never shares a
  document with another category (EN 16931 BR-O-11..14): such amounts go on a document of their own.
- Totals are always computed from the lines (``telbill.core.tax.compute.compute_totals``), never stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import Enum

from telbill.core.billing.numbering import StructuredCommunication
from telbill.core.billing.parties import Language, Party, Seller
from telbill.core.catalog.pricing import Provenance
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.money import CURRENCY, Money, round_half_up, to_decimal
from telbill.core.tax.compute import TaxableLine, Totals, compute_totals
from telbill.core.tax.treatment import VatCategory, VatTreatment


def _require(ok: bool, code: str, message: str, field: str | None = None) -> None:
    if not ok:
        raise TelbillError(code, message, field=field)


class UnitCode(Enum):
    """UN/ECE recommendation 20 unit codes (BT-130) used on telecom invoices."""

    ONE = "C62"  # a count: lines, SMS, orders, started blocks
    PIECE = "H87"
    METRE = "MTR"
    SECOND = "SEC"
    MINUTE = "MIN"
    HOUR = "HUR"
    DAY = "DAY"
    WEEK = "WEE"
    MONTH = "MON"
    YEAR = "ANN"
    MEGABYTE = "4L"
    GIGABYTE = "E34"


@dataclass(frozen=True, slots=True)
class InvoicePeriod:
    """A period of days, both ends included, as EN 16931 states it (BG-14 / BG-26: start and end date)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:  # messages are written only on failure: documents are built by the thousand
            raise TelbillError("invoice.period", f"period ends {self.end} before {self.start}")


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    """One line (BG-25); see the module docstring for the line amount invariant."""

    number: int  # BT-126
    item_code: str  # BT-155, the seller's item identifier
    label: str  # BT-153
    quantity: Decimal  # BT-129, the billed quantity
    unit_code: UnitCode  # BT-130
    unit_price: Decimal  # BT-146, net, may carry more than two decimals (0.0850 per minute)
    net: Money  # BT-131
    treatment: VatTreatment  # BT-151 / BT-152
    provenance: Provenance
    period: InvoicePeriod | None = None  # BG-26

    def __post_init__(self) -> None:
        # the checks of old, in their order; each message is written only when its check fails, since a bill
        # run builds lines by the hundred thousand
        quantity, unit_price = _exact(self.quantity, self.number), _exact(self.unit_price, self.number)
        object.__setattr__(self, "quantity", quantity)
        object.__setattr__(self, "unit_price", unit_price)
        if self.number < 1:
            raise TelbillError("invoice.line_number", f"{self.number} is not a line number", field=self._field)
        if not self.label.strip():
            raise TelbillError("invoice.line_label", "the line has no label", field=self._field)
        if unit_price < 0:
            raise TelbillError("invoice.unit_price", "a unit price is never negative (BR-27)", field=self._field)
        expected = round_half_up(quantity * unit_price)
        if self.net.amount != expected:
            raise TelbillError(
                "invoice.line_amount", f"{quantity} × {unit_price} = {expected}, not {self.net}", field=self._field
            )

    @property
    def _field(self) -> str:
        return f"line {self.number}"

    @property
    def taxable(self) -> TaxableLine:
        return TaxableLine(self.net, self.treatment)


def _exact(value: object, line_number: int) -> Decimal:
    """``to_decimal`` of a line's quantity or price, naming the line only when the value is refused."""
    if type(value) is Decimal and value.is_finite():
        return value
    return to_decimal(value, f"line {line_number}")


class DocumentType(Enum):
    """UNTDID 1001 document type codes (BT-3)."""

    INVOICE = "380"
    CREDIT_NOTE = "381"


@dataclass(frozen=True, slots=True)
class DocumentReference:
    """A preceding invoice (BG-3): the invoice a credit note corrects."""

    number: str  # BT-25
    issue_date: date  # BT-26


@dataclass(frozen=True, slots=True)
class InvoiceDocument:
    """An invoice or credit note as issued; its totals are computed from its lines."""

    type: DocumentType
    number: str  # BT-1
    issue_date: date  # BT-2
    seller: Seller
    buyer: Party
    lines: tuple[InvoiceLine, ...]
    buyer_reference: str  # BT-10: the customer account, needed by Peppol (R003)
    due_date: date | None = None  # BT-9, required on an invoice
    billing_period: InvoicePeriod | None = None  # BG-14
    structured_communication: StructuredCommunication | None = None  # BT-83
    preceding: DocumentReference | None = None  # BG-3, required on a credit note
    note: str | None = None  # BT-22
    currency: str = CURRENCY  # BT-5
    # computed once from the lines when the document is built (never given, never compared)
    _totals: Totals | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # every check as before; a message is written only when its check fails (a bill run issues thousands
        # of documents a second and none of them fails)
        lines = tuple(self.lines)
        object.__setattr__(self, "lines", lines)
        object.__setattr__(self, "_totals", compute_totals(lines))
        _require(bool(self.number.strip()), "invoice.number", "the document has no number")
        if self.currency != CURRENCY:
            raise TelbillError("invoice.currency", f"{self.currency} is not {CURRENCY}")
        _require(bool(self.buyer_reference.strip()), "invoice.buyer_reference", "no buyer reference")
        if not lines:
            raise TelbillError("invoice.empty", f"{self.number} has no line")
        numbers = {line.number for line in lines}
        if len(numbers) != len(lines):
            raise TelbillError("invoice.line_numbers", f"repeated: {[line.number for line in lines]}")
        self._check_dates()
        self._check_categories()
        gross = self.totals.gross
        if gross.is_negative():
            raise TelbillError(
                "invoice.negative_total",
                f"{self.number} totals {gross}: issue the opposite document type with positive amounts",
            )

    def _check_dates(self) -> None:
        if self.type is DocumentType.INVOICE and self.due_date is None:
            raise TelbillError("invoice.due_date", f"invoice {self.number} has no due date")
        if self.due_date is not None:
            _require(self.due_date >= self.issue_date, "invoice.due_date", "due before it is issued")
        if self.type is DocumentType.CREDIT_NOTE and self.preceding is None:
            raise TelbillError(
                "invoice.credit_without_reference", f"credit note {self.number} does not name the invoice it corrects"
            )
        if self.preceding is not None and self.preceding.issue_date > self.issue_date:
            raise TelbillError("invoice.preceding_date", f"{self.preceding.number} is issued after {self.number}")

    def _check_categories(self) -> None:
        # counted by identity rather than gathered in a set of categories (Enum.__hash__ is Python-level)
        outside = sum(1 for line in self.lines if line.treatment.category is VatCategory.OUTSIDE_SCOPE)
        _require(
            outside in (0, len(self.lines)),
            "invoice.mixed_outside_scope",
            "amounts outside the scope of VAT (O) go on a document of their own (EN 16931 BR-O-11..14)",
        )
        _require(
            outside == len(self.lines) or self.seller.party.vat_number is not None,
            "invoice.seller_vat",
            "a document with VAT needs the seller's VAT number (BR-S-02)",
        )

    @property
    def categories(self) -> frozenset[VatCategory]:
        return frozenset(line.treatment.category for line in self.lines)

    @property
    def is_outside_scope(self) -> bool:
        """True for a document of amounts outside the scope of VAT only (all lines in category O)."""
        return self.categories == {VatCategory.OUTSIDE_SCOPE}

    @property
    def totals(self) -> Totals:
        assert self._totals is not None  # set in __post_init__
        return self._totals

    @property
    def signed_gross(self) -> Money:
        """What the document adds to the buyer's balance: + gross for an invoice, − gross for a credit note."""
        gross = self.totals.gross
        return -gross if self.type is DocumentType.CREDIT_NOTE else gross


def make_credit_note(
    invoice: InvoiceDocument,
    number: str,
    issue_date: date,
    lines: Sequence[int] | None = None,
    note: str | None = None,
) -> InvoiceDocument:
    """A credit note for ``invoice``: all its lines, or those whose numbers are given, with the same
    positive amounts, line numbers and provenance, and a reference to the invoice (BG-3).

    The credit note keeps the invoice's parties as issued (a correction corrects the document, not the
    customer's current record) and expects no payment: it has no due date and no structured communication.
    """
    if invoice.type is not DocumentType.INVOICE:
        raise TelbillError("invoice.credit_of_credit", f"{invoice.number} is not an invoice", ErrorKind.CONFLICT)
    wanted = set(lines) if lines is not None else {line.number for line in invoice.lines}
    unknown = wanted - {line.number for line in invoice.lines}
    if unknown:
        raise TelbillError(
            "invoice.unknown_line", f"{invoice.number} has no line {sorted(unknown)}", ErrorKind.NOT_FOUND
        )
    return replace(
        invoice,
        type=DocumentType.CREDIT_NOTE,
        number=number,
        issue_date=issue_date,
        lines=tuple(line for line in invoice.lines if line.number in wanted),
        due_date=None,
        structured_communication=None,
        preceding=DocumentReference(invoice.number, invoice.issue_date),
        note=note,
    )


__all__ = [
    "DocumentReference",
    "DocumentType",
    "InvoiceDocument",
    "InvoiceLine",
    "InvoicePeriod",
    "Language",
    "Party",
    "Seller",
    "UnitCode",
    "make_credit_note",
]
