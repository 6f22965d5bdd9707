"""Small builders of the documents the invoice and UBL tests share, with their totals worked out by hand.

A professional Belgian customer (a bakery in Namur) of a Belgian operator:
(a) ``telenet_month``: CLIC BUREAU, one month, with installation, all S21:
    69.64 + 8.00 + 15.00 + 200.00 = 292.64 net; VAT 292.64 × 0.21 = 61.4544 → 61.45; gross 354.09.
(b) ``belgacom_fees``: works, all S21:
    trenching 12 m × 12.40 = 148.80; labour 50 min billed as 4 started quarter hours × 16.53 = 66.12;
    3 temporary lines, minimum per order, billed as 1 order × 200.00 = 200.00;
    calls 37 min × 0.0850 = 3.145 → 3.15 (half up);
    net 148.80 + 66.12 + 200.00 + 3.15 = 418.07; VAT 418.07 × 0.21 = 87.7947 → 87.79; gross 505.86.
(c) ``indemnities``: outside the scope of VAT only: GSM not returned 150.00 + reminder fee 15.00 = 165.00.
(d) ``credit_note_for_telenet``: corrects (a) entirely: the same positive amounts, 354.09.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from telbill.core.billing.invoice import (
    DocumentType,
    InvoiceDocument,
    InvoiceLine,
    InvoicePeriod,
    Language,
    Party,
    Seller,
    UnitCode,
    make_credit_note,
)
from telbill.core.billing.numbering import CREDIT_NOTE_SERIES, INVOICE_SERIES, StructuredCommunication
from telbill.core.catalog.pricing import Provenance
from telbill.core.money import Money
from telbill.core.tax.treatment import OUTSIDE_SCOPE, STANDARD_21, VatTreatment

SELLER = Seller(
    Party(
        name="Telbill Demo Operator SRL",
        street="Rue de la Loi 16",
        postcode="1000",
        city="Bruxelles",
        country="BE",
        language=Language.FR,
        vat_number="BE0123456749",
        enterprise_number="0123456749",
        email="billing@operator.example",
    ),
    iban="BE68539007547034",
    bic="GEBABEBB",
)
BUYER = Party(
    name="Boulangerie Dupont SRL",
    street="Rue de Fer 12",
    postcode="5000",
    city="Namur",
    country="BE",
    language=Language.FR,
    vat_number="BE0987654394",
    enterprise_number="0987654394",
    email="compta@dupont.example",
)
MARCH = InvoicePeriod(date(2026, 3, 1), date(2026, 3, 31))


def line(
    number: int,
    code: str,
    quantity: str,
    unit_price: str,
    net: str,
    *,
    unit: UnitCode = UnitCode.ONE,
    treatment: VatTreatment = STANDARD_21,
    period: InvoicePeriod | None = None,
) -> InvoiceLine:
    """A line with a provenance naming a test catalog; its label is its code in words."""
    provenance = Provenance("test", "2026-01", code, "flat", (), f"{quantity} × {unit_price}")
    label = code.replace("_", " ").capitalize()
    return InvoiceLine(
        number,
        code,
        label,
        Decimal(quantity),
        unit,
        Decimal(unit_price),
        Money.of(net),
        treatment,
        provenance,
        period,
    )


def invoice(number: int, lines: tuple[InvoiceLine, ...], period: InvoicePeriod | None = MARCH) -> InvoiceDocument:
    return InvoiceDocument(
        type=DocumentType.INVOICE,
        number=INVOICE_SERIES.format(2026, number),
        issue_date=date(2026, 4, 1),
        seller=SELLER,
        buyer=BUYER,
        lines=lines,
        buyer_reference="CUST-000042",
        due_date=date(2026, 4, 30),
        billing_period=period,
        structured_communication=StructuredCommunication.from_base(2026000000 + number),
    )


def telenet_month() -> InvoiceDocument:
    return invoice(
        123,
        (
            line(1, "clic_bureau", "1", "69.64", "69.64", unit=UnitCode.MONTH, period=MARCH),
            line(2, "fixed_ip", "1", "8.00", "8.00", unit=UnitCode.MONTH, period=MARCH),
            line(3, "wifi_plus", "1", "15.00", "15.00", unit=UnitCode.MONTH, period=MARCH),
            line(4, "installation", "1", "200.00", "200.00"),
        ),
    )


def belgacom_fees() -> InvoiceDocument:
    return invoice(
        124,
        (
            line(1, "trenching", "12", "12.40", "148.80", unit=UnitCode.METRE),
            line(2, "labour_quarter_hour", "4", "16.53", "66.12"),
            line(3, "temporary_lines_minimum", "1", "200.00", "200.00"),
            line(4, "national_calls", "37", "0.0850", "3.15", unit=UnitCode.MINUTE, period=MARCH),
        ),
    )


def indemnities() -> InvoiceDocument:
    return invoice(
        125,
        (
            line(1, "gsm_not_returned", "1", "150.00", "150.00", treatment=OUTSIDE_SCOPE),
            line(2, "reminder_fee", "1", "15.00", "15.00", treatment=OUTSIDE_SCOPE),
        ),
        period=None,
    )


def credit_note_for_telenet() -> InvoiceDocument:
    return make_credit_note(telenet_month(), CREDIT_NOTE_SERIES.format(2026, 7), date(2026, 4, 10))
