"""An ``InvoiceDocument`` as Peppol BIS Billing 3.0 UBL 2.1 XML (EN 16931), for Belgian B2B e-invoicing.

Contract: ``render_ubl(document) → bytes`` (UTF-8, with an XML declaration) writes an ``Invoice`` (380) or
a ``CreditNote`` (381) carrying only what the document says; nothing is looked up, nothing is dated now.
- Both parties are addressed by their Belgian enterprise number: ``EndpointID`` and ``PartyLegalEntity/
  CompanyID``, scheme 0208. A party without one cannot receive or send over Peppol: coded error.
- VAT identifiers (``PartyTaxScheme``) are written except on a document outside the scope of VAT, where
  EN 16931 BR-O-02 forbids them; the document's categories never mix O with another (see ``invoice.py``).
- An invoice is paid by credit transfer (``PaymentMeans`` 30) to the seller's IBAN/BIC with the structured
  communication as ``PaymentID``; a credit note asks for no payment and has no ``PaymentMeans``.
- Totals come from ``document.totals`` (VAT per category and rate, EN 16931 BR-CO-17); amounts are printed
  with two decimals, quantities and unit prices as exact as they are.
The element order follows the UBL 2.1 schemas, which validate by sequence.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from lxml import etree

from telbill.core.billing.invoice import (
    DocumentType,
    InvoiceDocument,
    InvoiceLine,
    InvoicePeriod,
    Party,
)
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.money import CURRENCY, Money
from telbill.core.tax.compute import Totals
from telbill.core.tax.treatment import VatCategory, VatTreatment

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
BELGIAN_ENTERPRISE_SCHEME = "0208"
CREDIT_TRANSFER = "30"

CAC_NS = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC_NS = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
ROOT_NS = {
    DocumentType.INVOICE: "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    DocumentType.CREDIT_NOTE: "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
}
_CAC = "{" + CAC_NS + "}"
_CBC = "{" + CBC_NS + "}"


class _Words:
    """The UBL element names that differ between an invoice and a credit note."""

    def __init__(self, kind: DocumentType) -> None:
        credit = kind is DocumentType.CREDIT_NOTE
        self.root = "CreditNote" if credit else "Invoice"
        self.type_code = "CreditNoteTypeCode" if credit else "InvoiceTypeCode"
        self.line = "CreditNoteLine" if credit else "InvoiceLine"
        self.quantity = "CreditedQuantity" if credit else "InvoicedQuantity"


def render_ubl(document: InvoiceDocument) -> bytes:
    """The document as Peppol BIS Billing 3.0 UBL; refuses a party without a Belgian enterprise number."""
    words = _Words(document.type)
    namespace = ROOT_NS[document.type]
    root = etree.Element("{" + namespace + "}" + words.root, nsmap={None: namespace, "cac": CAC_NS, "cbc": CBC_NS})
    totals = document.totals
    _header(root, document, words)
    _party(_cac(root, "AccountingSupplierParty"), document.seller.party, document)
    _party(_cac(root, "AccountingCustomerParty"), document.buyer, document)
    if document.type is DocumentType.INVOICE:
        _payment_means(root, document)
    _tax_total(root, totals)
    _monetary_total(root, totals)
    for line in document.lines:
        _line(root, line, words)
    result: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return result


def _cac(parent: Any, tag: str) -> Any:
    """An aggregate component: a parent of other elements."""
    return etree.SubElement(parent, _CAC + tag)


def _cbc(parent: Any, tag: str, text: str, **attributes: str) -> Any:
    """A basic component: a value, never empty (PEPPOL-EN16931-R008)."""
    element = etree.SubElement(parent, _CBC + tag, attributes)
    element.text = text
    return element


def _header(root: Any, document: InvoiceDocument, words: _Words) -> None:
    _cbc(root, "CustomizationID", CUSTOMIZATION_ID)
    _cbc(root, "ProfileID", PROFILE_ID)
    _cbc(root, "ID", document.number)
    _cbc(root, "IssueDate", document.issue_date.isoformat())
    if document.due_date is not None and document.type is DocumentType.INVOICE:
        # UBL 2.1 has no DueDate on a credit note; ours expect no payment anyway
        _cbc(root, "DueDate", document.due_date.isoformat())
    _cbc(root, words.type_code, document.type.value)
    if document.note:
        _cbc(root, "Note", document.note)
    _cbc(root, "DocumentCurrencyCode", document.currency)
    _cbc(root, "BuyerReference", document.buyer_reference)
    if document.billing_period is not None:
        _period(root, document.billing_period)
    if document.preceding is not None:
        reference = _cac(_cac(root, "BillingReference"), "InvoiceDocumentReference")
        _cbc(reference, "ID", document.preceding.number)
        _cbc(reference, "IssueDate", document.preceding.issue_date.isoformat())


def _period(parent: Any, period: InvoicePeriod) -> None:
    element = _cac(parent, "InvoicePeriod")
    _cbc(element, "StartDate", period.start.isoformat())
    _cbc(element, "EndDate", period.end.isoformat())


def _party(role: Any, party: Party, document: InvoiceDocument) -> None:
    if party.enterprise_number is None:
        raise TelbillError(
            "ubl.no_endpoint",
            f"{party.name} has no Belgian enterprise number to address it on Peppol (scheme 0208)",
            ErrorKind.NEEDS_INPUT,
        )
    element = _cac(role, "Party")
    _cbc(element, "EndpointID", party.enterprise_number, schemeID=BELGIAN_ENTERPRISE_SCHEME)
    _cbc(_cac(element, "PartyName"), "Name", party.name)
    address = _cac(element, "PostalAddress")
    _cbc(address, "StreetName", party.street)
    _cbc(address, "CityName", party.city)
    _cbc(address, "PostalZone", party.postcode)
    _cbc(_cac(address, "Country"), "IdentificationCode", party.country)
    if party.vat_number is not None and not document.is_outside_scope:
        tax_scheme = _cac(element, "PartyTaxScheme")
        _cbc(tax_scheme, "CompanyID", party.vat_number)
        _cbc(_cac(tax_scheme, "TaxScheme"), "ID", "VAT")
    legal = _cac(element, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", party.name)
    _cbc(legal, "CompanyID", party.enterprise_number, schemeID=BELGIAN_ENTERPRISE_SCHEME)
    if party.email is not None:
        _cbc(_cac(element, "Contact"), "ElectronicMail", party.email)


def _payment_means(root: Any, document: InvoiceDocument) -> None:
    means = _cac(root, "PaymentMeans")
    _cbc(means, "PaymentMeansCode", CREDIT_TRANSFER, name="Credit transfer")
    if document.structured_communication is not None:
        _cbc(means, "PaymentID", str(document.structured_communication))
    account = _cac(means, "PayeeFinancialAccount")
    _cbc(account, "ID", document.seller.iban)
    _cbc(account, "Name", document.seller.party.name)
    _cbc(_cac(account, "FinancialInstitutionBranch"), "ID", document.seller.bic)


def _tax_total(root: Any, totals: Totals) -> None:
    tax_total = _cac(root, "TaxTotal")
    _amount(tax_total, "TaxAmount", totals.vat)
    for subtotal in totals.subtotals:
        element = _cac(tax_total, "TaxSubtotal")
        _amount(element, "TaxableAmount", subtotal.taxable)
        _amount(element, "TaxAmount", subtotal.vat)
        _category(element, "TaxCategory", subtotal.treatment)


def _category(parent: Any, name: str, treatment: VatTreatment) -> None:
    """BG-23 / BG-30 category: no rate on O (BR-O-05, BR-O-09), a reason code on E and O."""
    category = _cac(parent, name)
    _cbc(category, "ID", treatment.category.value)
    if treatment.category is not VatCategory.OUTSIDE_SCOPE:
        _cbc(category, "Percent", _number(treatment.rate))
    if name == "TaxCategory" and treatment.exemption_code is not None:
        # the reason belongs to the breakdown (BT-121); a line must not carry it (UBL-CR-600)
        _cbc(category, "TaxExemptionReasonCode", treatment.exemption_code)
    _cbc(_cac(category, "TaxScheme"), "ID", "VAT")


def _monetary_total(root: Any, totals: Totals) -> None:
    monetary = _cac(root, "LegalMonetaryTotal")
    _amount(monetary, "LineExtensionAmount", totals.net)
    _amount(monetary, "TaxExclusiveAmount", totals.net)
    _amount(monetary, "TaxInclusiveAmount", totals.gross)
    _amount(monetary, "PayableAmount", totals.gross)


def _line(root: Any, line: InvoiceLine, words: _Words) -> None:
    element = _cac(root, words.line)
    _cbc(element, "ID", str(line.number))
    _cbc(element, words.quantity, _number(line.quantity), unitCode=line.unit_code.value)
    _amount(element, "LineExtensionAmount", line.net)
    if line.period is not None:
        _period(element, line.period)
    item = _cac(element, "Item")
    _cbc(item, "Name", line.label)
    _cbc(_cac(item, "SellersItemIdentification"), "ID", line.item_code)
    _category(item, "ClassifiedTaxCategory", line.treatment)
    price = _cac(element, "Price")
    _cbc(price, "PriceAmount", _price(line.unit_price), currencyID=CURRENCY)


def _amount(parent: Any, name: str, amount: Money) -> None:
    _cbc(parent, name, f"{amount.amount:.2f}", currencyID=CURRENCY)


def _number(value: Decimal) -> str:
    """An exact decimal without exponent or trailing zeros: 4, 1.5, 21."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def _price(value: Decimal) -> str:
    """A unit price with at least two decimals (16.53, 200.00) and more when it has them (0.0850)."""
    return f"{value:.2f}" if value == round(value, 2) else format(value, "f")
