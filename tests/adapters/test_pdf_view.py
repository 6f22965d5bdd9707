"""What the PDF prints, before WeasyPrint: Belgian identifiers, plurals of units, VAT categories in words, and
a translation table with every text in every language. Expected strings are written by hand."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from telbill.adapters.rendering.pdf_texts import TEXTS
from telbill.adapters.rendering.pdf_view import (
    build_view,
    printed_enterprise_number,
    printed_iban,
    printed_vat_number,
)
from telbill.core.billing.invoice import UnitCode
from telbill.core.billing.parties import Language, Party
from telbill.core.tax.treatment import VatTreatment
from tests.adapters.builders import Billed, clic_bureau_invoice, invoice, line


def test_belgian_identifiers_as_they_are_read() -> None:
    assert printed_enterprise_number("0123456749") == "0123.456.749"
    assert printed_vat_number("BE0123456749") == "BE 0123.456.749"
    assert printed_vat_number("NL859648727B01") == "NL859648727B01"
    assert printed_iban("BE68539007547034") == "BE68 5390 0754 7034"
    assert printed_iban("NL91ABNA0417164300") == "NL91 ABNA 0417 1643 00"


@pytest.mark.parametrize("language", list(Language))
def test_every_text_is_written_and_every_unit_named(language: Language) -> None:
    texts = TEXTS[language]
    for field in dataclasses.fields(texts):
        value = getattr(texts, field.name)
        if field.name != "units":
            assert isinstance(value, str)
            assert value.strip(), f"{language.value}: {field.name} is empty"
    assert set(texts.units) == set(UnitCode)


@pytest.mark.parametrize(
    ("language", "quantity", "expected"),
    [
        (Language.FR, "1", "1\u00a0jour"),
        (Language.FR, "1.5", "1,5\u00a0jour"),  # French: singular below 2
        (Language.FR, "2", "2\u00a0jours"),
        (Language.NL, "1", "1\u00a0dag"),
        (Language.NL, "1.5", "1,5\u00a0dagen"),
        (Language.EN, "3", "3\u00a0days"),
        (Language.EN, "1", "1\u00a0day"),
    ],
)
def test_units_take_the_plural_of_the_language(language: Language, quantity: str, expected: str) -> None:
    net = f"{Decimal(quantity) * 10:.2f}"
    document = invoice(130, (line(1, "Location", Billed(quantity, "10.00", net, UnitCode.DAY), "rent"),))
    assert build_view(document, language).lines[0].quantity == expected


def test_a_count_prints_no_unit_and_thousands_are_grouped_the_belgian_way() -> None:
    document = invoice(130, (line(1, "SMS", Billed("1234", "0.10", "123.40"), "1234 × 0.10"),))
    assert build_view(document, Language.FR).lines[0].quantity == "1\u202f234"
    assert build_view(document, Language.NL).lines[0].quantity == "1.234"


def test_exempt_and_zero_rated_breakdowns_name_their_category() -> None:
    document = invoice(
        131,
        (
            line(1, "Abonnement", Billed("1", "10.00", "10.00"), "flat"),
            line(2, "Formation", Billed("1", "50.00", "50.00"), "flat", VatTreatment.parse("E:VATEX-EU-132")),
            line(3, "Export", Billed("1", "5.00", "5.00"), "flat", VatTreatment.parse("Z")),
        ),
    )
    view = build_view(document, Language.FR)
    assert [s.category for s in view.subtotals] == [
        "21\u00a0%",
        "0\u00a0% – Taux zéro",
        "E – Exonération (VATEX-EU-132)",
    ]
    assert [line.vat for line in view.lines] == ["21\u00a0%", "E", "0\u00a0%"]


def test_a_foreign_buyer_has_its_country_named() -> None:
    document = clic_bureau_invoice()
    buyer = Party("Bakkerij Jansen BV", "Damrak 1", "1012 LG", "Amsterdam", "NL", Language.NL, "NL859648727B01")
    view = build_view(dataclasses.replace(document, buyer=buyer), Language.NL)
    assert view.buyer.address == ("Damrak 1", "1012 LG Amsterdam", "Nederland")
    assert view.buyer.vat_number == "NL859648727B01"
    assert view.buyer.enterprise_number is None
    assert view.seller.address == ("Rue de la Loi 16", "1000 Bruxelles")  # a Belgian address names no country
