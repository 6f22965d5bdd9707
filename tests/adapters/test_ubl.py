"""Peppol BIS Billing 3.0 UBL: the documents of ``tests.core.invoice_examples`` rendered and validated by the
official rules (UBL 2.1 XSD, CEN EN 16931, Peppol), the official examples, and tampered documents that fail.

The rule sets are the test copies of ../shared/einvoice; the stylesheets are compiled once per session.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from telbill.adapters.rendering import einvoice_validation
from telbill.adapters.rendering.einvoice_validation import EInvoiceValidator, Layer, ValidationReport
from telbill.adapters.rendering.ubl import render_ubl
from telbill.core.billing.invoice import InvoiceDocument
from telbill.core.errors import TelbillError
from tests.conftest import SHARED
from tests.core.invoice_examples import (
    BUYER,
    belgacom_fees,
    credit_note_for_telenet,
    indemnities,
    telenet_month,
)

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
EXAMPLES = SHARED / "einvoice" / "examples"
# Peppol BIS documents: all three layers pass.
PEPPOL_EXAMPLES = (
    "cen-BIS3_Invoice_negativ.XML",
    "cen-BIS3_Invoice_positive.XML",
    "peppol-Allowance-example.xml",
    "peppol-Vat-category-S.xml",
    "peppol-base-creditnote-correction.xml",
    "peppol-base-example.xml",
    "peppol-vat-category-E.xml",
    "peppol-vat-category-O.xml",
)
# Plain EN 16931 documents (CustomizationID urn:cen.eu:en16931:2017): the schema and the CEN rules pass,
# the Peppol rules refuse the specification identifier (and what Peppol adds, e.g. the buyer reference).
CEN_ONLY_EXAMPLES = ("cen-guide-example1.xml", "cen-ubl-tc434-creditnote1.xml")


@pytest.fixture(scope="session")
def validator(shared_dir: Path) -> EInvoiceValidator:
    return EInvoiceValidator(shared_dir / "einvoice")


def render(build: Callable[[], InvoiceDocument]) -> etree._Element:
    return etree.fromstring(render_ubl(build()))


def text(tree: etree._Element, path: str) -> list[str]:
    return [str(node.text) for node in tree.xpath(path, namespaces=NS)]


def assert_clean(report: ValidationReport) -> None:
    assert report.ok, "\n".join(str(f) for f in report.fatal)
    assert report.findings == (), "\n".join(str(f) for f in report.findings)


@pytest.mark.parametrize("build", [telenet_month, belgacom_fees, indemnities, credit_note_for_telenet])
def test_generated_documents_pass_the_three_layers(
    build: Callable[[], InvoiceDocument], validator: EInvoiceValidator
) -> None:
    assert_clean(validator.validate(render_ubl(build())))


class TestRendering:
    def test_telenet_month(self) -> None:
        tree = render(telenet_month)
        assert etree.QName(tree).localname == "Invoice"
        assert text(tree, "cbc:CustomizationID") == [
            "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
        ]
        assert text(tree, "cbc:ProfileID") == ["urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"]
        assert text(tree, "cbc:ID") == ["F2026-000123"]
        assert text(tree, "cbc:InvoiceTypeCode") == ["380"]
        assert text(tree, "cbc:BuyerReference") == ["CUST-000042"]
        assert text(tree, "//cbc:EndpointID[@schemeID='0208']") == ["0123456749", "0987654394"]
        assert text(tree, "//cac:PartyLegalEntity/cbc:CompanyID[@schemeID='0208']") == ["0123456749", "0987654394"]
        assert text(tree, "//cac:PartyTaxScheme/cbc:CompanyID") == ["BE0123456749", "BE0987654394"]
        means = "cac:PaymentMeans/"
        assert text(tree, means + "cbc:PaymentMeansCode") == ["30"]
        assert text(tree, means + "cbc:PaymentID") == ["+++202/6000/12320+++"]
        assert text(tree, means + "cac:PayeeFinancialAccount/cbc:ID") == ["BE68539007547034"]
        assert text(tree, means + "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID") == ["GEBABEBB"]
        assert text(tree, "cac:TaxTotal/cbc:TaxAmount") == ["61.45"]
        assert text(tree, "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount") == ["292.64"]
        assert text(tree, "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:Percent") == ["21"]
        totals = [
            text(tree, f"cac:LegalMonetaryTotal/cbc:{name}")[0]
            for name in ("LineExtensionAmount", "TaxExclusiveAmount", "TaxInclusiveAmount", "PayableAmount")
        ]
        assert totals == ["292.64", "292.64", "354.09", "354.09"]
        assert text(tree, "cac:InvoiceLine/cbc:LineExtensionAmount") == ["69.64", "8.00", "15.00", "200.00"]
        # the three monthly lines carry their service period, the installation has none
        assert text(tree, "cac:InvoiceLine[cac:InvoicePeriod]/cbc:ID") == ["1", "2", "3"]
        assert text(tree, "cac:InvoiceLine[1]/cac:InvoicePeriod/cbc:*") == ["2026-03-01", "2026-03-31"]

    def test_quantities_and_prices_are_printed_exactly(self) -> None:
        tree = render(belgacom_fees)
        assert text(tree, "cac:InvoiceLine/cbc:InvoicedQuantity") == ["12", "4", "1", "37"]
        assert [n.get("unitCode") for n in tree.xpath("cac:InvoiceLine/cbc:InvoicedQuantity", namespaces=NS)] == [
            "MTR",
            "C62",
            "C62",
            "MIN",
        ]
        assert text(tree, "cac:InvoiceLine/cac:Price/cbc:PriceAmount") == ["12.40", "16.53", "200.00", "0.0850"]
        assert text(tree, "cac:LegalMonetaryTotal/cbc:PayableAmount") == ["505.86"]

    def test_outside_scope_carries_no_vat_identifier_and_no_rate(self) -> None:
        tree = render(indemnities)
        assert tree.xpath("//cac:PartyTaxScheme", namespaces=NS) == []  # BR-O-02
        assert tree.xpath("//cbc:Percent", namespaces=NS) == []  # BR-O-05, BR-O-09
        category = "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/"
        assert text(tree, category + "cbc:ID") == ["O"]
        assert text(tree, category + "cbc:TaxExemptionReasonCode") == ["VATEX-EU-O"]
        assert text(tree, "cac:TaxTotal/cbc:TaxAmount") == ["0.00"]
        assert text(tree, "cac:LegalMonetaryTotal/cbc:PayableAmount") == ["165.00"]

    def test_credit_note_refers_to_the_invoice_with_positive_amounts(self) -> None:
        tree = render(credit_note_for_telenet)
        assert etree.QName(tree).localname == "CreditNote"
        assert text(tree, "cbc:CreditNoteTypeCode") == ["381"]
        reference = "cac:BillingReference/cac:InvoiceDocumentReference/"
        assert text(tree, reference + "cbc:ID") == ["F2026-000123"]
        assert text(tree, reference + "cbc:IssueDate") == ["2026-04-01"]
        assert text(tree, "cac:CreditNoteLine/cbc:CreditedQuantity") == ["1", "1", "1", "1"]
        assert text(tree, "cac:LegalMonetaryTotal/cbc:PayableAmount") == ["354.09"]
        # a credit note asks for no payment: no due date, no payment means
        assert tree.xpath("cbc:DueDate | cac:PaymentMeans", namespaces=NS) == []

    def test_a_buyer_without_enterprise_number_cannot_be_addressed(self) -> None:
        document = dataclasses.replace(telenet_month(), buyer=dataclasses.replace(BUYER, enterprise_number=None))
        with pytest.raises(TelbillError) as caught:
            render_ubl(document)
        assert caught.value.code == "ubl.no_endpoint"


class TestOfficialExamples:
    def test_every_example_is_listed(self) -> None:
        assert {p.name for p in EXAMPLES.iterdir()} == set(PEPPOL_EXAMPLES + CEN_ONLY_EXAMPLES)

    @pytest.mark.parametrize("name", PEPPOL_EXAMPLES)
    def test_peppol_examples_pass(self, name: str, validator: EInvoiceValidator) -> None:
        report = validator.validate((EXAMPLES / name).read_bytes())
        assert report.ok, "\n".join(str(f) for f in report.fatal)

    @pytest.mark.parametrize("name", CEN_ONLY_EXAMPLES)
    def test_cen_examples_pass_the_schema_and_cen_rules_only(self, name: str, validator: EInvoiceValidator) -> None:
        report = validator.validate((EXAMPLES / name).read_bytes())
        layers = {f.layer for f in report.fatal}
        assert layers == {Layer.PEPPOL}
        assert "PEPPOL-EN16931-R004" in report.fatal_rules()  # not the Peppol specification identifier


def tampered(xml: bytes, change: Callable[[etree._Element], None]) -> bytes:
    tree = etree.fromstring(xml)
    change(tree)
    return bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))


def first(tree: etree._Element, path: str) -> etree._Element:
    found = tree.xpath(path, namespaces=NS)
    assert found, path
    element: etree._Element = found[0]
    return element


def set_text(path: str, value: str) -> Callable[[etree._Element], None]:
    def change(tree: etree._Element) -> None:
        first(tree, path).text = value

    return change


def remove(path: str) -> Callable[[etree._Element], None]:
    def change(tree: etree._Element) -> None:
        element = first(tree, path)
        element.getparent().remove(element)

    return change


def due_date_after_type_code(tree: etree._Element) -> None:
    first(tree, "cbc:InvoiceTypeCode").addnext(first(tree, "cbc:DueDate"))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # the first line says 79.64 instead of 69.64: it no longer adds up, nor equals quantity × price
        (set_text("cac:InvoiceLine[1]/cbc:LineExtensionAmount", "79.64"), {"BR-CO-10", "PEPPOL-EN16931-R120"}),
        (set_text("cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", "354.19"), {"BR-CO-15"}),
        (set_text("cac:TaxTotal/cbc:TaxAmount", "61.46"), {"BR-CO-14", "BR-CO-15"}),
        (remove("cbc:BuyerReference"), {"PEPPOL-EN16931-R003"}),
        (set_text("cac:AccountingCustomerParty//cbc:EndpointID", "0987654395"), {"PEPPOL-COMMON-R043"}),
    ],
    ids=["line-amount", "total-with-vat", "vat-total", "buyer-reference", "endpoint-check-digits"],
)
def test_tampered_documents_fail_with_the_rule(
    change: Callable[[etree._Element], None], expected: set[str], validator: EInvoiceValidator
) -> None:
    report = validator.validate(tampered(render_ubl(telenet_month()), change))
    assert not report.ok
    assert expected <= report.fatal_rules(), "\n".join(str(f) for f in report.fatal)


def test_the_schema_layer_catches_what_the_rules_do_not_look_at(validator: EInvoiceValidator) -> None:
    report = validator.validate(tampered(render_ubl(telenet_month()), due_date_after_type_code))
    assert {f.layer for f in report.fatal} == {Layer.XSD}
    assert any("DueDate" in f.text for f in report.fatal)


def test_vat_identifiers_on_an_outside_scope_document_fail(validator: EInvoiceValidator) -> None:
    def add_seller_vat(tree: etree._Element) -> None:
        scheme = etree.Element(f"{{{NS['cac']}}}PartyTaxScheme")
        etree.SubElement(scheme, f"{{{NS['cbc']}}}CompanyID").text = "BE0123456749"
        etree.SubElement(etree.SubElement(scheme, f"{{{NS['cac']}}}TaxScheme"), f"{{{NS['cbc']}}}ID").text = "VAT"
        first(tree, "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress").addnext(scheme)

    report = validator.validate(tampered(render_ubl(indemnities()), add_seller_vat))
    assert "BR-O-02" in report.fatal_rules()


@pytest.mark.parametrize(
    ("xml", "rule"),
    [
        (b"<Invoice><unclosed></Invoice>", "XML-SYNTAX"),
        (b"<Order xmlns='urn:example'/>", "UBL-ROOT"),
        (b"<!DOCTYPE Invoice [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><Invoice>&x;</Invoice>", "XML-DOCTYPE"),
    ],
)
def test_what_is_no_ubl_document_is_one_fatal_finding(xml: bytes, rule: str, validator: EInvoiceValidator) -> None:
    report = validator.validate(xml)
    assert report.fatal_rules() == {rule}
    assert len(report.findings) == 1


def test_stylesheets_are_compiled_once_per_process(validator: EInvoiceValidator, shared_dir: Path) -> None:
    compiled = einvoice_validation._stylesheet.cache_info().misses
    EInvoiceValidator(shared_dir / "einvoice")
    assert einvoice_validation._stylesheet.cache_info().misses == compiled


def test_a_missing_rule_set_is_a_coded_error(tmp_path: Path) -> None:
    with pytest.raises(TelbillError) as caught:
        EInvoiceValidator(tmp_path)
    assert caught.value.code == "einvoice.no_rules"


def test_a_half_cent_line_is_rendered_rounded(validator: EInvoiceValidator) -> None:
    # 37 × 0.0850 = 3.145 → 3.15; Peppol R120 recomputes 3.145 and accepts the cent of rounding
    document = belgacom_fees()
    (calls,) = [line for line in document.lines if line.item_code == "national_calls"]
    assert calls.quantity * calls.unit_price == Decimal("3.1450")
    assert_clean(validator.validate(render_ubl(document)))
