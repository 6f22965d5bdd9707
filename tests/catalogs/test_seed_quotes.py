"""Baskets of the issue priced end to end: lines, totals per VAT category, provenance."""

from __future__ import annotations

from decimal import Decimal

from telbill.core.catalog.pricing import quote
from telbill.core.catalog.schema import Segment
from telbill.core.tax.treatment import VatCategory
from tests.catalogs.conftest import context, order


def test_clic_bureau_with_both_options_and_a_business_installation() -> None:
    result = quote(
        context("telenet-clic-bureau"),
        [order("CLIC-BUREAU"), order("SAFESPOT-PRO"), order("SPEEDBOOST-1GB"), order("INSTALL-BUSINESS")],
    )
    # 69.64 + 8.00 + 15.00 + 200.00 = 292.64; VAT 21 % = 61.4544 → 61.45; gross 354.09
    assert [str(t) for t in (result.totals.net, result.totals.vat, result.totals.gross)] == [
        "292.64",
        "61.45",
        "354.09",
    ]
    assert len(result.totals.subtotals) == 1


def test_the_belgacom_basket_of_the_issue() -> None:
    result = quote(
        context("belgacom-fees-indemnities"),
        [
            order("TRENCH", 12),  # 12 × 12.40 = 148.80
            order("LABOUR", 50),  # 4 × 16.53 = 66.12
            order("TEMP-LINES-ABROAD", 3),  # minimum 200.00
            order("DETAILED-INVOICE-FULL", 13),  # 3.07 + 3 × 0.31 = 4.00
            order("MSG-PERSONAL-ACCESS"),  # 24.79
            order("MSG-EXT-ISDN30", 25),  # 167.33 + 111.55 = 278.88
        ],
    )
    # 148.80 + 66.12 + 200.00 + 4.00 + 24.79 + 278.88 = 722.59; VAT 722.59 × 0.21 = 151.7439 → 151.74
    assert [str(line.net) for line in result.lines] == ["148.80", "66.12", "200.00", "4.00", "24.79", "278.88"]
    assert [str(t) for t in (result.totals.net, result.totals.vat, result.totals.gross)] == [
        "722.59",
        "151.74",
        "874.33",
    ]


def test_fees_and_an_indemnity_are_totalled_per_vat_category() -> None:
    result = quote(
        context("belgacom-fees-indemnities", Segment.PROFESSIONAL),
        [order("INTERMEDIATE-INVOICE"), order("REMINDER-FEE")],
    )
    standard, outside = result.totals.subtotals
    # S21: 3.72, VAT 3.72 × 0.21 = 0.7812 → 0.78; O: 15.00 without VAT
    assert (standard.treatment.category, str(standard.taxable), str(standard.vat)) == (
        VatCategory.STANDARD,
        "3.72",
        "0.78",
    )
    assert (outside.treatment.category, str(outside.taxable), str(outside.vat)) == (
        VatCategory.OUTSIDE_SCOPE,
        "15.00",
        "0.00",
    )
    assert str(result.totals.gross) == "19.50"


def test_every_line_carries_its_provenance() -> None:
    result = quote(context("belgacom-fees-indemnities"), [order("LABOUR", 50)])
    provenance = result.lines[0].provenance
    assert (provenance.catalog_id, provenance.catalog_version, provenance.item_code, provenance.rule) == (
        "belgacom-fees-indemnities",
        "2013",
        "LABOUR",
        "per_started_unit",
    )
    assert "4 started block(s) of 15" in provenance.explanation
    assert result.lines[0].quantity == Decimal(50)
