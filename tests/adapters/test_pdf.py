"""The PDF invoice as a customer reads it: the documents of ``tests.adapters.builders`` rendered, their text
extracted with pypdf and compared with strings written by hand (babel's Belgian formats: ``354,09 €`` in
French and English, ``€ 354,09`` in Dutch, with a no-break space), and the PDF/A-3 packaging of the UBL.

Every PDF rendered here is also written to ``out/test-artifacts/`` for a person to look at.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from importlib.resources import files

import pypdf
import pytest
from weasyprint import CSS

from telbill.adapters.rendering.pdf import PdfRequest, render_many, render_pdf
from telbill.adapters.rendering.ubl import render_ubl
from telbill.core.billing.invoice import InvoiceDocument
from telbill.core.billing.parties import Language
from telbill.core.errors import TelbillError
from tests.adapters.builders import (
    Billed,
    clic_bureau_credit_note,
    clic_bureau_invoice,
    dutch_works_invoice,
    indemnities_invoice,
    invoice,
    line,
)
from tests.conftest import PROJECT

ARTIFACTS = PROJECT / "out" / "test-artifacts"
_ = "\u00a0"  # the no-break space babel puts between an amount and the euro sign


def save(name: str, pdf: bytes) -> bytes:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    return pdf


def text_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def unwrapped(text: str) -> str:
    """The text with its line breaks as spaces, for phrases that wrap in a narrow column."""
    return text.replace("\n", " ")


def render_text(name: str, build: Callable[[], InvoiceDocument], language: Language | None = None) -> str:
    return text_of(save(name, render_pdf(build(), language)))


@pytest.fixture(scope="module")
def french() -> str:
    return render_text("invoice-fr", clic_bureau_invoice)


@pytest.fixture(scope="module")
def dutch() -> str:
    return render_text("invoice-nl", dutch_works_invoice)


@pytest.fixture(scope="module")
def outside_scope() -> str:
    return render_text("indemnities-fr", indemnities_invoice)


@pytest.fixture(scope="module")
def credit_note() -> str:
    return render_text("credit-note-fr", clic_bureau_credit_note)


class TestFrenchInvoice:
    def test_title_number_and_dates(self, french: str) -> None:
        assert "Facture F2026-000123" in french
        assert "Date 1 avril 2026" in french
        assert "Échéance 30 avril 2026" in french
        assert "Période de facturation du 1 mars 2026 au 31 mars 2026" in french
        assert "Référence client CUST-000042" in french

    def test_both_parties_with_their_identifiers(self, french: str) -> None:
        assert "Telbill Demo Operator SRL" in french
        assert "Rue de la Loi 16\n1000 Bruxelles" in french
        assert "TVA BE 0123.456.749" in french
        assert "Numéro d'entreprise 0123.456.749" in french
        assert "Boulangerie Dupont SRL\nRue de Fer 12\n5000 Namur" in french
        assert "TVA BE 0987.654.394" in french

    def test_lines_with_service_period_and_provenance(self, french: str) -> None:
        for label, amount in (
            ("CLIC BUREAU", "69,64"),
            ("Safespot PRO", "8,00"),
            ("Speedboost 1GB Business", "15,00"),
            ("Installation Business", "200,00"),
        ):
            assert label in french
            assert f"{amount}{_}€ 21{_}% {amount}{_}€" in french
        assert french.count("01/03/2026 – 31/03/2026") == 3  # the installation has no service period
        assert "1\u00a0mois" in french
        assert "monthly fee, 1 month × 69.64" in french
        assert "one-off fee per order: 200.00" in french

    def test_vat_breakdown_and_totals(self, french: str) -> None:
        assert "Récapitulatif TVA\nTaux ou catégorie Base imposable TVA" in french
        assert f"21{_}% 292,64{_}€ 61,45{_}€" in french
        assert f"Total HTVA 292,64{_}€" in french
        assert f"TVA 61,45{_}€" in french
        assert f"Total TVAC 354,09{_}€" in french
        assert f"Montant à payer 354,09{_}€" in french

    def test_payment_block(self, french: str) -> None:
        assert "Communication structurée +++202/6000/12320+++" in french
        assert "IBAN BE71 0961 2345 6769" in french
        assert "BIC GKCCBEBB" in french
        assert "Paiement\nMontant à payer 354,09\u00a0€\nÉchéance 30 avril 2026" in french

    def test_legal_mentions_in_the_footer(self, french: str) -> None:
        assert (
            "Telbill Demo Operator SRL · Numéro d'entreprise 0123.456.749 · TVA BE 0123.456.749 · "
            "IBAN BE71 0961 2345 6769" in french
        )
        assert "Page\u00a01\u00a0/\u00a01" in french

    def test_no_credit_note_mention(self, french: str) -> None:
        assert "reverser" not in french


class TestDutchInvoice:
    def test_titles_and_dates(self, dutch: str) -> None:
        assert "Factuur F2026-000126" in dutch
        assert "Datum 1 april 2026" in dutch
        assert "Vervaldatum 30 april 2026" in dutch
        assert "Factuurperiode van 1 maart 2026 tot en met 31 maart 2026" in dutch
        assert "Bakkerij Peeters BV\nMechelsesteenweg 20\n2000 Antwerpen" in dutch
        assert "Btw-nr. BE 0456.789.034" in dutch
        assert "Ondernemingsnummer 0123.456.749" in dutch

    def test_amounts_quantities_and_units(self, dutch: str) -> None:
        assert "Omschrijving Aantal Eenheidsprijs Btw Bedrag excl. btw" in dutch
        assert f"1{_}maand €{_}69,64 21% €{_}69,64" in dutch
        assert f"12{_}m €{_}12,40 21% €{_}148,80" in dutch
        assert f"4 €{_}16,53 21% €{_}66,12" in dutch
        assert f"37{_}min €{_}0,085 21% €{_}3,15" in dutch

    def test_vat_breakdown_totals_and_payment(self, dutch: str) -> None:
        assert "Btw-overzicht\nTarief of categorie Maatstaf van heffing Btw" in dutch
        assert f"21% €{_}310,71 €{_}65,25" in dutch
        assert f"Totaal excl. btw €{_}310,71" in dutch
        assert f"Btw €{_}65,25" in dutch
        assert f"Totaal incl. btw €{_}375,96" in dutch
        assert f"Te betalen bedrag €{_}375,96" in dutch
        assert "Gestructureerde mededeling +++202/6000/12623+++" in dutch


def test_the_language_argument_overrides_the_buyers() -> None:
    english = render_text("invoice-en", clic_bureau_invoice, Language.EN)
    assert "Invoice F2026-000123" in english
    assert "Due date 30 April 2026" in english
    assert f"Total incl. VAT 354,09{_}€" in english
    assert "Structured communication +++202/6000/12320+++" in english
    assert "Enterprise number 0123.456.749" in english


class TestOutsideScope:
    def test_the_breakdown_names_the_category_in_words(self, outside_scope: str) -> None:
        # the mention wraps in its column: "…de\nla TVA 165,00 € 0,00 €"
        assert f"O – Hors du champ d'application de la TVA 165,00{_}€ 0,00{_}€" in unwrapped(outside_scope)

    def test_lines_carry_the_category_letter(self, outside_scope: str) -> None:
        assert f"1 150,00{_}€ O 150,00{_}€" in outside_scope
        assert f"1 15,00{_}€ O 15,00{_}€" in outside_scope

    def test_totals_and_payment(self, outside_scope: str) -> None:
        assert f"Total HTVA 165,00{_}€" in outside_scope
        assert f"TVA 0,00{_}€" in outside_scope
        assert f"Total TVAC 165,00{_}€" in outside_scope
        assert "Communication structurée +++202/6000/12522+++" in outside_scope


class TestCreditNote:
    def test_title_and_the_invoice_it_corrects(self, credit_note: str) -> None:
        assert "Note de crédit C2026-000007" in credit_note
        assert "Date 10 avril 2026" in credit_note
        assert "Corrige la facture F2026-000123 du 1 avril 2026" in credit_note

    def test_positive_amounts_in_the_buyers_favour(self, credit_note: str) -> None:
        assert f"Total TVAC 354,09{_}€" in credit_note
        assert f"Montant en votre faveur 354,09{_}€" in credit_note

    def test_no_payment_is_asked(self, credit_note: str) -> None:
        assert "Échéance" not in credit_note
        assert "Communication structurée" not in credit_note
        assert "Montant à payer" not in credit_note

    def test_the_belgian_credit_note_mention(self, credit_note: str) -> None:
        assert "TVA à reverser à l'État dans la mesure où elle a été initialement déduite." in credit_note


@pytest.fixture(scope="module")
def ubl() -> bytes:
    return render_ubl(clic_bureau_invoice())


@pytest.fixture(scope="module")
def reader(ubl: bytes) -> pypdf.PdfReader:
    pdf = save("invoice-fr-with-ubl", render_pdf(clic_bureau_invoice(), ubl_xml=ubl))
    return pypdf.PdfReader(io.BytesIO(pdf))


class TestPdfA3:
    def test_the_ubl_is_embedded_byte_for_byte(self, reader: pypdf.PdfReader, ubl: bytes) -> None:
        assert dict(reader.attachments) == {"F2026-000123.xml": [ubl]}

    def test_the_attachment_is_the_alternative_form_of_the_invoice(self, reader: pypdf.PdfReader) -> None:
        associated = [reference.get_object() for reference in reader.trailer["/Root"]["/AF"]]
        assert [(spec["/UF"], spec["/AFRelationship"]) for spec in associated] == [("F2026-000123.xml", "/Alternative")]

    def test_declared_pdf_a_3b_with_an_srgb_output_intent(self, reader: pypdf.PdfReader) -> None:
        metadata = reader.xmp_metadata
        assert metadata is not None
        xmp = metadata.stream.get_data().decode()
        assert 'pdfaid:part="3"' in xmp
        assert 'pdfaid:conformance="B"' in xmp
        (intent,) = reader.trailer["/Root"]["/OutputIntents"]
        assert intent.get_object()["/S"] == "/GTS_PDFA1"
        assert "sRGB" in intent.get_object()["/OutputConditionIdentifier"]

    def test_only_dejavu_sans_is_embedded(self, reader: pypdf.PdfReader) -> None:
        fonts = reader.pages[0]["/Resources"]["/Font"].values()
        names = sorted(str(font.get_object()["/BaseFont"]).split("+", 1)[1] for font in fonts)
        assert names == ["DejaVu-Sans", "DejaVu-Sans-Bold"]

    def test_the_pdf_dates_are_the_issue_date(self, reader: pypdf.PdfReader) -> None:
        assert reader.metadata is not None
        assert reader.metadata["/CreationDate"] == "D:20260401"
        assert reader.metadata["/Title"] == "Facture F2026-000123"

    def test_without_ubl_nothing_is_attached(self) -> None:
        reader = pypdf.PdfReader(io.BytesIO(render_pdf(clic_bureau_invoice())))
        assert dict(reader.attachments) == {}

    def test_the_same_document_gives_the_same_bytes(self, ubl: bytes) -> None:
        assert render_pdf(clic_bureau_invoice(), ubl_xml=ubl) == render_pdf(clic_bureau_invoice(), ubl_xml=ubl)


def test_a_long_invoice_names_itself_on_every_following_page() -> None:
    lines = tuple(line(n, f"Ligne {n}", Billed("1", "1.00", "1.00"), f"line {n}") for n in range(1, 61))
    pdf = save("invoice-fr-60-lines", render_pdf(invoice(140, lines)))
    pages = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == 3
    assert pages[0].count("Facture F2026-000140") == 1  # the title; the page head starts on page 2
    for number, text in enumerate(pages[1:], start=2):
        assert "Facture F2026-000140" in text
        assert "Description Quantité Prix unitaire TVA Montant HTVA" in text  # the table head repeats
        assert f"Page{_}{number}{_}/{_}3" in text
    assert f"Total TVAC 72,60{_}€" in pages[2]  # 60.00 + 60.00 × 0.21 = 12.60


def test_weasyprint_reports_nothing(caplog: pytest.LogCaptureFixture) -> None:
    """WeasyPrint logs what it ignores (an unknown CSS property, a profile it cannot read) and renders on.
    The stylesheet is parsed once per process, so it is parsed here again to see its complaints."""
    stylesheet = files("telbill.adapters.rendering").joinpath("templates", "invoice.css").read_text(encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="weasyprint"):
        CSS(string=stylesheet)
        render_pdf(dutch_works_invoice(), ubl_xml=b"<Invoice/>")
    assert [record.getMessage() for record in caplog.records if record.name == "weasyprint"] == []


class TestRenderMany:
    REQUESTS = (
        PdfRequest(clic_bureau_invoice()),
        PdfRequest(dutch_works_invoice(), Language.FR),
        PdfRequest(clic_bureau_credit_note(), ubl_xml=b"<CreditNote/>"),
    )

    def test_in_this_process(self) -> None:
        expected = [render_pdf(r.document, r.language, r.ubl_xml) for r in self.REQUESTS]
        assert render_many(self.REQUESTS, workers=1) == expected

    @pytest.mark.slow
    def test_in_a_pool_of_processes_in_order(self) -> None:
        expected = [render_pdf(r.document, r.language, r.ubl_xml) for r in self.REQUESTS]
        assert render_many(self.REQUESTS, workers=2) == expected

    def test_refuses_no_worker(self) -> None:
        with pytest.raises(TelbillError) as caught:
            render_many(self.REQUESTS, workers=0)
        assert caught.value.code == "pdf.workers"
