"""An ``InvoiceDocument`` as the strings the PDF template prints, in one language, with Belgian conventions.

Contract: ``build_view(document, language) → InvoiceView``, every value a ready-to-print string (the template
escapes them; it formats and computes nothing). Amounts, unit prices, quantities, rates and dates are
formatted by babel in the Belgian locale of the language (``pdf_texts.LOCALES``): ``354,09 €`` in French and
English, ``€ 354,09`` in Dutch. Belgian identifiers are printed the way they are read: enterprise number
``0123.456.749``, VAT number ``BE 0123.456.749``, IBAN in groups of four. Totals come from
``document.totals`` (VAT per category and rate, EN 16931 BR-CO-17); nothing is recomputed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

from telbill.adapters.rendering.pdf_texts import LOCALES, TEXTS, Texts
from telbill.core.billing.invoice import DocumentType, InvoiceDocument, InvoiceLine, InvoicePeriod, UnitCode
from telbill.core.billing.parties import Language, Party
from telbill.core.errors import TelbillError
from telbill.core.money import Money
from telbill.core.tax.compute import Totals, VatSubtotal
from telbill.core.tax.treatment import VatCategory, VatTreatment


@dataclass(frozen=True, slots=True)
class PartyView:
    name: str
    address: tuple[str, ...]
    vat_number: str | None
    enterprise_number: str | None
    email: str | None


@dataclass(frozen=True, slots=True)
class LineView:
    label: str
    period: str | None  # the service period (BG-26), when the line has one
    explanation: str  # the provenance: why the amount is what it is
    quantity: str
    unit_price: str
    vat: str  # the rate (21 %) or the category letter (E, O)
    net: str


@dataclass(frozen=True, slots=True)
class SubtotalView:
    category: str  # "21 %", or the category named in words with its exemption
    taxable: str
    vat: str


@dataclass(frozen=True, slots=True)
class PaymentView:
    amount: str
    due_date: str
    iban: str
    bic: str
    reference_label: str  # structured communication, or the plain reference when there is none
    reference: str


@dataclass(frozen=True, slots=True)
class InvoiceView:
    """Everything the template prints; ``payment`` is None on a credit note (it asks for no payment)."""

    lang: str  # the HTML language tag
    texts: Texts
    title: str
    number: str
    issue_date: str
    issue_date_iso: str  # the PDF's creation date (metadata): the issue date, never the clock
    due_date: str | None
    billing_period: str | None
    customer_reference: str
    corrects: str | None
    note: str | None
    seller: PartyView
    buyer: PartyView
    iban: str
    bic: str
    lines: tuple[LineView, ...]
    subtotals: tuple[SubtotalView, ...]
    total_net: str
    total_vat: str
    total_gross: str
    closing_label: str  # what the gross is to the buyer: to pay, or in their favour
    payment: PaymentView | None
    mentions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Formats:
    """Babel formatting in one Belgian locale."""

    locale: str
    texts: Texts

    def money(self, amount: Money) -> str:
        return format_currency(amount.amount, "EUR", locale=self.locale)

    def price(self, value: Decimal) -> str:
        """A unit price as exact as it is (0,085 €), never fewer than two decimals."""
        return format_currency(value, "EUR", locale=self.locale, decimal_quantization=False)

    def day(self, value: date) -> str:
        return format_date(value, "long", locale=self.locale)

    def short_day(self, value: date) -> str:
        return format_date(value, "dd/MM/yyyy", locale=self.locale)

    def period(self, period: InvoicePeriod) -> str:
        return self.texts.period.format(start=self.day(period.start), end=self.day(period.end))

    def rate(self, percent: Decimal) -> str:
        return format_percent(percent / 100, locale=self.locale, decimal_quantization=False)

    def quantity(self, value: Decimal, unit: UnitCode) -> str:
        one, other = self.texts.units[unit]
        plural = Locale.parse(self.locale).plural_form(abs(value))
        number = format_decimal(value, locale=self.locale, decimal_quantization=False)
        name = one if plural == "one" else other
        return f"{number}\u00a0{name}" if name else number


def build_view(document: InvoiceDocument, language: Language) -> InvoiceView:
    """The document in ``language`` (the buyer's language is the caller's default)."""
    texts = TEXTS[language]
    formats = _Formats(LOCALES[language], texts)
    totals = document.totals
    credit = document.type is DocumentType.CREDIT_NOTE
    return InvoiceView(
        lang=language.value,
        texts=texts,
        title=texts.credit_note if credit else texts.invoice,
        number=document.number,
        issue_date=formats.day(document.issue_date),
        issue_date_iso=document.issue_date.isoformat(),
        due_date=formats.day(document.due_date) if document.due_date is not None else None,
        billing_period=formats.period(document.billing_period) if document.billing_period is not None else None,
        customer_reference=document.buyer_reference,
        corrects=_corrects(document, formats),
        note=document.note,
        seller=_party(document.seller.party, formats),
        buyer=_party(document.buyer, formats),
        iban=printed_iban(document.seller.iban),
        bic=document.seller.bic,
        lines=tuple(_line(line, formats) for line in document.lines),
        subtotals=tuple(_subtotal(subtotal, formats) for subtotal in totals.subtotals),
        total_net=formats.money(totals.net),
        total_vat=formats.money(totals.vat),
        total_gross=formats.money(totals.gross),
        closing_label=texts.credit_in_favour if credit else texts.amount_due,
        payment=None if credit else _payment(document, totals, formats),
        mentions=(texts.credit_note_vat_mention,) if credit and not document.is_outside_scope else (),
    )


def printed_enterprise_number(number: str) -> str:
    """``0123456749`` → ``0123.456.749``, as the Crossroads Bank for Enterprises prints it."""
    return f"{number[:4]}.{number[4:7]}.{number[7:]}"


def printed_vat_number(vat: str) -> str:
    """A Belgian VAT number as ``BE 0123.456.749``; a foreign one as it is written."""
    if vat.startswith("BE") and len(vat) == 12:
        return f"BE {printed_enterprise_number(vat[2:])}"
    return vat


def printed_iban(iban: str) -> str:
    """The paper form of an IBAN (ISO 13616): groups of four characters, ``BE68 5390 0754 7034``."""
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def _party(party: Party, formats: _Formats) -> PartyView:
    address = [party.street, f"{party.postcode} {party.city}"]
    if party.country != "BE":
        address.append(Locale.parse(formats.locale).territories.get(party.country, party.country))
    return PartyView(
        name=party.name,
        address=tuple(address),
        vat_number=printed_vat_number(party.vat_number) if party.vat_number is not None else None,
        enterprise_number=(
            printed_enterprise_number(party.enterprise_number) if party.enterprise_number is not None else None
        ),
        email=party.email,
    )


def _corrects(document: InvoiceDocument, formats: _Formats) -> str | None:
    if document.preceding is None:
        return None
    day = formats.day(document.preceding.issue_date)
    return formats.texts.invoice_of.format(number=document.preceding.number, date=day)


def _line(line: InvoiceLine, formats: _Formats) -> LineView:
    period = line.period
    return LineView(
        label=line.label,
        period=f"{formats.short_day(period.start)} – {formats.short_day(period.end)}" if period else None,
        explanation=line.provenance.explanation,
        quantity=formats.quantity(line.quantity, line.unit_code),
        unit_price=formats.price(line.unit_price),
        vat=_line_vat(line.treatment, formats),
        net=formats.money(line.net),
    )


def _line_vat(treatment: VatTreatment, formats: _Formats) -> str:
    if treatment.category in (VatCategory.STANDARD, VatCategory.ZERO):
        return formats.rate(treatment.rate)
    return str(treatment.category.value)


def _subtotal(subtotal: VatSubtotal, formats: _Formats) -> SubtotalView:
    return SubtotalView(
        category=_category(subtotal.treatment, formats),
        taxable=formats.money(subtotal.taxable),
        vat=formats.money(subtotal.vat),
    )


def _category(treatment: VatTreatment, formats: _Formats) -> str:
    """How the breakdown names a category: the rate for S; in words for Z, E (with its reason) and O."""
    texts = formats.texts
    match treatment.category:
        case VatCategory.STANDARD:
            return formats.rate(treatment.rate)
        case VatCategory.ZERO:
            return f"{formats.rate(treatment.rate)} – {texts.zero_rated}"
        case VatCategory.EXEMPT:
            return f"E – {texts.exempt} ({treatment.exemption_code})"
        case VatCategory.OUTSIDE_SCOPE:
            return f"O – {texts.outside_scope}"


def _payment(document: InvoiceDocument, totals: Totals, formats: _Formats) -> PaymentView:
    texts = formats.texts
    communication = document.structured_communication
    if document.due_date is None:  # InvoiceDocument refuses such an invoice; a payment block needs the date
        raise TelbillError("pdf.due_date", f"invoice {document.number} has no due date to print")
    return PaymentView(
        amount=formats.money(totals.gross),
        due_date=formats.day(document.due_date),
        iban=printed_iban(document.seller.iban),
        bic=document.seller.bic,
        reference_label=texts.structured_communication if communication else texts.payment_reference,
        reference=str(communication) if communication else document.number,
    )
