"""Documents with the labels a customer reads, for the PDF tests and the PDF bench, totals worked out by hand.

The parties, checked by hand: seller enterprise number 0123456749 (01234567 mod 97 = 48, 97 − 48 = 49), paid
on BE71 0961 2345 6769 (Belfius, BIC GKCCBEBB; national check 0961234567 mod 97 = 69); buyers 0987654394
(09876543 mod 97 = 3, 97 − 3 = 94) in Namur (French) and 0456789034 (04567890 mod 97 = 63, 97 − 63 = 34) in
Antwerp (Dutch). Invoices are issued on 1 April 2026 for March, due on 30 April; the structured
communication of invoice n has the base 2026000000 + n.
(a) ``clic_bureau_invoice``: F2026-000123, all S21: CLIC BUREAU 69.64 + Safespot PRO 8.00 + Speedboost 1GB
    Business 15.00 + Installation Business 200.00 = 292.64 net; VAT 292.64 × 0.21 = 61.4544 → 61.45;
    gross 354.09. Communication: 2026000123 mod 97 = 20 → +++202/6000/12320+++.
(b) ``dutch_works_invoice``: F2026-000126, six S21 lines: 69.64 + 8.00 + 15.00 + trenching 12 m × 12.40
    = 148.80 + labour 4 started quarter hours × 16.53 = 66.12 + calls 37 min × 0.0850 = 3.145 → 3.15
    = 310.71 net; VAT 310.71 × 0.21 = 65.2491 → 65.25; gross 375.96. Communication: 2026000126 mod 97 = 23.
(c) ``indemnities_invoice``: F2026-000125, outside the scope of VAT only: GSM not returned 150.00 + reminder
    fee 15.00 = 165.00, VAT 0.00. Communication: 2026000125 mod 97 = 22.
(d) ``clic_bureau_credit_note``: C2026-000007 of 10 April 2026 corrects (a) entirely: the same 354.09.
"""

from __future__ import annotations

import dataclasses
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
    iban="BE71096123456769",
    bic="GKCCBEBB",
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
DUTCH_BUYER = Party(
    name="Bakkerij Peeters BV",
    street="Mechelsesteenweg 20",
    postcode="2000",
    city="Antwerpen",
    country="BE",
    language=Language.NL,
    vat_number="BE0456789034",
    enterprise_number="0456789034",
    email="boekhouding@peeters.example",
)
MARCH = InvoicePeriod(date(2026, 3, 1), date(2026, 3, 31))


@dataclasses.dataclass(frozen=True, slots=True)
class Billed:
    """What a line bills: quantity × unit price = net, in ``unit``."""

    quantity: str
    unit_price: str
    net: str
    unit: UnitCode = UnitCode.ONE


def line(
    number: int,
    label: str,
    billed: Billed,
    explanation: str,
    treatment: VatTreatment = STANDARD_21,
    period: InvoicePeriod | None = None,
) -> InvoiceLine:
    """A line whose provenance carries ``explanation``; its item code is its label in lower case."""
    code = label.lower().replace(" ", "_")
    provenance = Provenance("test", "2026-01", code, "flat", (), explanation)
    return InvoiceLine(
        number,
        code,
        label,
        Decimal(billed.quantity),
        billed.unit,
        Decimal(billed.unit_price),
        Money.of(billed.net),
        treatment,
        provenance,
        period,
    )


def invoice(
    number: int, lines: tuple[InvoiceLine, ...], period: InvoicePeriod | None = MARCH, buyer: Party = BUYER
) -> InvoiceDocument:
    """Invoice F2026-<number> of 1 April 2026, due 30 April, with the structured communication of its number."""
    return InvoiceDocument(
        type=DocumentType.INVOICE,
        number=INVOICE_SERIES.format(2026, number),
        issue_date=date(2026, 4, 1),
        seller=SELLER,
        buyer=buyer,
        lines=lines,
        buyer_reference="CUST-000042",
        due_date=date(2026, 4, 30),
        billing_period=period,
        structured_communication=StructuredCommunication.from_base(2026000000 + number),
    )


def _monthly(number: int, label: str, price: str) -> InvoiceLine:
    billed = Billed("1", price, price, UnitCode.MONTH)
    return line(number, label, billed, f"monthly fee, 1 month × {price}", period=MARCH)


def clic_bureau_invoice() -> InvoiceDocument:
    return invoice(
        123,
        (
            _monthly(1, "CLIC BUREAU", "69.64"),
            _monthly(2, "Safespot PRO", "8.00"),
            _monthly(3, "Speedboost 1GB Business", "15.00"),
            line(4, "Installation Business", Billed("1", "200.00", "200.00"), "one-off fee per order: 200.00"),
        ),
    )


def dutch_works_invoice() -> InvoiceDocument:
    return invoice(
        126,
        (
            _monthly(1, "CLIC BUREAU", "69.64"),
            _monthly(2, "Safespot PRO", "8.00"),
            _monthly(3, "Speedboost 1GB Business", "15.00"),
            line(4, "Graafwerken", Billed("12", "12.40", "148.80", UnitCode.METRE), "12 m × 12.40 = 148.80"),
            line(5, "Arbeid", Billed("4", "16.53", "66.12"), "50 min = 4 started block(s) of 15 min × 16.53"),
            line(
                6,
                "Nationale gesprekken",
                Billed("37", "0.0850", "3.15", UnitCode.MINUTE),
                "37 min × 0.0850 = 3.145 → 3.15",
                period=MARCH,
            ),
        ),
        buyer=DUTCH_BUYER,
    )


def indemnities_invoice() -> InvoiceDocument:
    return invoice(
        125,
        (
            line(
                1,
                "Indemnité GSM non restitué",
                Billed("1", "150.00", "150.00"),
                "flat indemnity per device not returned: 150.00",
                treatment=OUTSIDE_SCOPE,
            ),
            line(
                2,
                "Frais de rappel",
                Billed("1", "15.00", "15.00"),
                "reminder fee: 15.00",
                treatment=OUTSIDE_SCOPE,
            ),
        ),
        period=None,
    )


def clic_bureau_credit_note() -> InvoiceDocument:
    return make_credit_note(clic_bureau_invoice(), CREDIT_NOTE_SERIES.format(2026, 7), date(2026, 4, 10))
