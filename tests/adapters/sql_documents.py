"""Issued documents for the storage contract tests: every field an invoice can carry, built by hand.

Line amounts (BR-LIN-04, half-up to the cent): 1 × 69.64 = 69.64; 123 × 0.0850 = 10.455 → 10.46;
2 × 12.50 = 25.00; 1 × 5.00 = 5.00; −1 × 10.00 = −10.00.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from telbill.app.store import StoredDocument
from telbill.core.billing.charges import ChargeKind
from telbill.core.billing.draft import LineMeta
from telbill.core.billing.invoice import (
    DocumentReference,
    DocumentType,
    InvoiceDocument,
    InvoiceLine,
    InvoicePeriod,
    UnitCode,
)
from telbill.core.billing.numbering import StructuredCommunication
from telbill.core.catalog.pricing import Provenance
from telbill.core.money import Money
from telbill.core.tax.treatment import OUTSIDE_SCOPE, STANDARD_21, VatCategory, VatTreatment
from tests.adapters.sql_seeds import SELLER, professional

APRIL = InvoicePeriod(date(2026, 4, 1), date(2026, 4, 30))


def _provenance(code: str, rule: str = "flat", **inputs: str) -> Provenance:
    return Provenance("telenet-clic-bureau", "2020", code, rule, tuple(inputs.items()), f"{code} by {rule}")


def _line(
    number: int,
    code: str,
    amounts: tuple[str, str, str],  # quantity, unit price, net
    treatment: VatTreatment = STANDARD_21,
    unit: UnitCode = UnitCode.ONE,
    period: InvoicePeriod | None = None,
) -> InvoiceLine:
    quantity, unit_price, net = amounts
    provenance = _provenance(code, "per_unit", quantity=quantity, note="é ✓ unicode")
    return InvoiceLine(
        number,
        code,
        f"{code} — libellé",
        Decimal(quantity),
        unit,
        Decimal(unit_price),
        Money.of(net),
        treatment,
        provenance,
        period,
    )


def invoice(number: str, account_id: str = "ACC-1", issue: date = date(2026, 4, 1)) -> StoredDocument:
    """An invoice with recurring, usage, reduced-rate, exempt and discount lines."""
    exempt = VatTreatment(VatCategory.EXEMPT, Decimal(0), "VATEX-EU-132")
    lines = (
        _line(1, "CLIC-BUREAU", ("1", "69.64", "69.64"), period=APRIL),
        _line(2, "CALLS-FIXED", ("123", "0.0850", "10.46"), unit=UnitCode.MINUTE, period=APRIL),
        _line(3, "BOOKLET", ("2", "12.50", "25.00"), VatTreatment(VatCategory.STANDARD, Decimal(6))),
        _line(4, "STAMP", ("1", "5.00", "5.00"), exempt),
        _line(5, "DISCOUNT", ("-1", "10.00", "-10.00")),
    )
    meta = (
        LineMeta(ChargeKind.RECURRING, "SUB-1", None, date(2026, 4, 1), Money.of("69.64")),
        LineMeta(ChargeKind.USAGE, "SUB-1", None, None, Money.of("10.46")),
        LineMeta(ChargeKind.ONE_TIME, "SUB-1", "SUB-1:booklet", None, Money.of("25.00")),
        LineMeta(ChargeKind.ONE_TIME, None, "ACC-1:stamp", None, Money.of("5.00")),
        LineMeta(ChargeKind.ONE_TIME, None, None, None, Money.of("-10.00")),
    )
    sequence = int(number.rsplit("-", 1)[1])
    document = InvoiceDocument(
        DocumentType.INVOICE,
        number,
        issue,
        SELLER,
        professional(account_id).party,
        lines,
        account_id,
        issue + timedelta(days=30),
        APRIL,
        StructuredCommunication.from_base(issue.year * 1_000_000 + sequence),
        note="Merci — dank u",
    )
    return StoredDocument(account_id, f"{issue:%Y-%m}", False, document, meta)


def credit_note(number: str, preceding: StoredDocument, issue: date = date(2026, 5, 1)) -> StoredDocument:
    """A credit of part of April's recurring fee: positive on the document, negative in the ledger."""
    line = _line(1, "CLIC-BUREAU", ("1", "35.94", "35.94"), period=APRIL)
    meta = (LineMeta(ChargeKind.RECURRING, "SUB-1", None, date(2026, 4, 1), Money.of("-35.94")),)
    reference = DocumentReference(preceding.document.number, preceding.document.issue_date)
    document = InvoiceDocument(
        DocumentType.CREDIT_NOTE,
        number,
        issue,
        SELLER,
        preceding.document.buyer,
        (line,),
        preceding.account_id,
        billing_period=APRIL,
        preceding=reference,
    )
    return StoredDocument(preceding.account_id, f"{issue:%Y-%m}", False, document, meta)


def indemnity(number: str, account_id: str = "ACC-1", issue: date = date(2026, 4, 1)) -> StoredDocument:
    """A document of amounts outside the scope of VAT only (category O)."""
    line = _line(1, "REACTIVATION", ("1", "30.00", "30.00"), OUTSIDE_SCOPE)
    meta = (LineMeta(ChargeKind.ONE_TIME, "SUB-1", "SUB-1:reactivation", None, Money.of("30.00")),)
    document = InvoiceDocument(
        DocumentType.INVOICE,
        number,
        issue,
        SELLER,
        professional(account_id).party,
        (line,),
        account_id,
        issue + timedelta(days=30),
    )
    return StoredDocument(account_id, f"{issue:%Y-%m}", True, document, meta)
