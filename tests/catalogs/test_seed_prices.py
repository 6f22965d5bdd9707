"""Hand-worked prices of the seed items, one rule kind after another.

Belgacom (seed 004) declares TVAC (price_basis: tvac): the net unit price is round_half_up(TVAC / 1.21),
worked out here by hand in each comment. Telenet (seed 000) declares HTVA: the printed figure is the net.
Items outside the scope of VAT (O) have one figure, which is the amount.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from telbill.core.catalog.schema import Segment
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.tax.treatment import VatCategory
from tests.catalogs.conftest import Pricer


def net(line: object) -> str:
    return str(line.net)  # type: ignore[attr-defined]


# ---------------------------------------------------------------- flat


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("INTERMEDIATE-INVOICE", "3.72"),  # 4.50 / 1.21 = 3.7190… → 3.72
        ("TAKEOVER-ALL", "250.00"),  # 302.50 / 1.21 = 250
        ("SAME-DAY-INSTALL", "250.00"),  # 302.50 / 1.21 = 250
        ("EXTRA-SOCKET-CLASSIC", "11.16"),  # 13.50 / 1.21 = 11.1570… → 11.16
        ("EXTRA-SOCKET-ISDN", "19.83"),  # 24 / 1.21 = 19.8347… → 19.83
        ("MOVE-SOCKET", "7.44"),  # 9 / 1.21 = 7.4380… → 7.44
        ("DIRECTORY-ACCESS", "12.40"),  # 15 / 1.21 = 12.3966… → 12.40 (the sheet prints 12.39)
        ("DIRECTORY-ROUTING", "12.40"),  # idem
        ("DIRECTORY-LINE-SIMPLE", "28.50"),  # 34.49 / 1.21 = 28.5041… → 28.50 (the sheet prints 28.51)
        ("DIRECTORY-LINE-DDI10", "35.94"),  # 43.49 / 1.21 = 35.9421… → 35.94
        ("CALL-TRACING-RESULTS", "3.72"),  # 4.50 / 1.21 → 3.72
        ("MSG-PERSONAL-ACCESS", "24.79"),  # 30 / 1.21 = 24.7933… → 24.79
        ("PROXIDUO-ACTIVATION", "20.66"),  # 25 / 1.21 = 20.6611… → 20.66
        ("GOLD-NUMBER", "163.64"),  # 198 / 1.21 = 163.6363… → 163.64
        ("SMARTPHONE-SETUP", "8.26"),  # 10 / 1.21 = 8.2644… → 8.26
        ("TABLET-SETUP", "8.26"),
        ("REPAIR-MAINT-TRAVEL", "41.32"),  # 50 / 1.21 = 41.3223… → 41.32
        ("REPAIR-NOMAINT-TRAVEL", "41.32"),
        ("REPAIR-THIRD-TRAVEL", "41.32"),
        ("LIGHT-INTERVENTION", "70.25"),  # 85 / 1.21 = 70.2479… → 70.25
        ("OUT-OF-HOURS", "112.40"),  # 136 / 1.21 = 112.3966… → 112.40
        ("BECOME-OFFICE", "59.50"),  # 72 / 1.21 = 59.5041… → 59.50
    ],
)
def test_belgacom_flat_fees_are_the_net_of_the_printed_tvac(belgacom: Pricer, code: str, expected: str) -> None:
    line = belgacom(code)
    assert net(line) == expected
    assert line.treatment.category is VatCategory.STANDARD
    assert line.provenance.rule == "flat"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("GSM-NOT-RETURNED", "150.00"),
        ("REACTIVATION-FEE", "30.00"),
        ("TERMINAL-REPLACEMENT", "81.82"),
    ],
)
def test_single_figure_indemnities_are_outside_the_scope_of_vat(belgacom: Pricer, code: str, expected: str) -> None:
    line = belgacom(code)
    assert net(line) == expected
    assert line.treatment.category is VatCategory.OUTSIDE_SCOPE
    assert str(line.indicative_vat) == "0.00"


def test_flat_fee_times_a_count(belgacom: Pricer) -> None:
    assert net(belgacom("SMARTPHONE-SETUP", 3)) == "24.78"  # 3 × 8.26


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("CLIC-BUREAU", "69.64"),
        ("SAFESPOT-PRO", "8.00"),
        ("SPEEDBOOST-1GB", "15.00"),
        ("INSTALL-CONFORT", "70.25"),
        ("INSTALL-CONFORT-PLUS", "81.82"),
        ("INSTALL-BUSINESS", "200.00"),
    ],
)
def test_telenet_prices_are_printed_vat_excluded(telenet: Pricer, code: str, expected: str) -> None:
    line = telenet(code)
    assert net(line) == expected
    assert line.treatment.rate == Decimal(21)


# ---------------------------------------------------------------- per segment


def test_reminder_fee_depends_on_the_segment(belgacom: Pricer) -> None:
    assert net(belgacom("REMINDER-FEE", segment=Segment.RESIDENTIAL)) == "13.00"
    assert net(belgacom("REMINDER-FEE", segment=Segment.PROFESSIONAL)) == "15.00"
    assert belgacom("REMINDER-FEE").treatment.category is VatCategory.OUTSIDE_SCOPE


# ---------------------------------------------------------------- per unit, minimum per order


def test_trenching_per_metre(belgacom: Pricer) -> None:
    assert net(belgacom("TRENCH", 12)) == "148.80"  # 12 × 12.40


def test_indoor_cabling_per_metre_accepts_a_fraction_of_a_metre(belgacom: Pricer) -> None:
    assert net(belgacom("INDOOR-CABLING", "7.5")) == "18.60"  # 3 / 1.21 → 2.48; 7.5 × 2.48 = 18.60


def test_duplicates_per_copy(belgacom: Pricer) -> None:
    assert net(belgacom("DUPLICATE-INVOICE", 2)) == "7.44"  # 2 × 3.72


def test_temporary_lines_abroad_have_a_minimum_per_order(belgacom: Pricer) -> None:
    assert net(belgacom("TEMP-LINES-ABROAD", 3)) == "200.00"  # 3 × 20 = 60 < minimum 242 TVAC = 200 net
    assert net(belgacom("TEMP-LINES-ABROAD", 12)) == "240.00"  # 12 × 20 = 240 > 200
    assert "minimum" in belgacom("TEMP-LINES-ABROAD", 3).provenance.explanation


# ---------------------------------------------------------------- per started unit


@pytest.mark.parametrize(("minutes", "expected"), [(50, "66.12"), (45, "49.59"), (46, "66.12"), (1, "16.53")])
def test_labour_per_started_quarter_hour(belgacom: Pricer, minutes: int, expected: str) -> None:
    # 20 / 1.21 = 16.5289… → 16.53 per started quarter hour; 50 min = 4 quarters, 45 = 3, 46 = 4, 1 = 1
    assert net(belgacom("LABOUR", minutes)) == expected


def test_third_party_repair_labour(belgacom: Pricer) -> None:
    assert net(belgacom("REPAIR-NOMAINT-LABOUR", 20)) == "33.06"  # 2 quarters × 16.53
    assert net(belgacom("REPAIR-THIRD-LABOUR", 20)) == "33.06"


def test_call_tracing_per_indivisible_group_of_ten_calls(belgacom: Pricer) -> None:
    assert net(belgacom("CALL-TRACING-CALLS", 25)) == "9.30"  # 3 groups × (3.75 / 1.21 → 3.10)


def test_takeover_adaptations_per_started_hour(belgacom: Pricer) -> None:
    assert net(belgacom("TAKEOVER-EXTRA-HOUR", "2.5")) == "123.15"  # 3 hours × (49.67 / 1.21 → 41.05)


# ---------------------------------------------------------------- indivisible periods


def test_personalised_message_for_25_days_on_a_basic_line(belgacom: Pricer) -> None:
    # 30 d: 27 / 1.21 → 22.31; 15 d: 13.50 / 1.21 → 11.16; 10 d: 9 / 1.21 → 7.44
    # 25 days: 15 + 10 = 18.60 beats 30 = 22.31 and 3 × 10 = 22.32
    assert net(belgacom("MSG-EXT-BASIC", 25)) == "18.60"


def test_forty_days_on_a_basic_line(belgacom: Pricer) -> None:
    # 30 + 10 = 29.75 beats 15 + 15 + 10 = 29.76 and 4 × 10 = 29.76
    assert net(belgacom("MSG-EXT-BASIC", 40)) == "29.75"


def test_personalised_message_for_25_days_on_isdn30(belgacom: Pricer) -> None:
    # 15 d: 202.47 / 1.21 → 167.33; 10 d: 134.98 / 1.21 → 111.55; 15 + 10 = 278.88 < 30 d (334.65)
    assert net(belgacom("MSG-EXT-ISDN30", 25)) == "278.88"


def test_thirty_days_on_isdn30_takes_one_period_on_a_tie(belgacom: Pricer) -> None:
    # 30 d: 404.93 / 1.21 = 334.6528… → 334.65; 3 × 10 d = 3 × 111.55 = 334.65: same price, fewer periods
    line = belgacom("MSG-EXT-ISDN30", 30)
    assert net(line) == "334.65"
    assert "1 × 30 days" in line.provenance.explanation


# ---------------------------------------------------------------- tiered bands


@pytest.mark.parametrize(("pages", "expected"), [(13, "4.00"), (10, "3.07"), (11, "3.38"), (1, "3.07")])
def test_complete_detailed_invoice_by_pages(belgacom: Pricer, pages: int, expected: str) -> None:
    # up to 10 pages: 3.72 / 1.21 → 3.07; each extra page 0.37 / 1.21 = 0.3057… → 0.31
    # 13 pages: 3.07 + 3 × 0.31 = 4.00; 11 pages: 3.07 + 0.31 = 3.38
    assert net(belgacom("DETAILED-INVOICE-FULL", pages)) == expected


def test_partial_detailed_invoice_of_12_pages(belgacom: Pricer) -> None:
    assert net(belgacom("DETAILED-INVOICE-PARTIAL", 12)) == "1.44"  # 0.99 / 1.21 → 0.82; + 2 × 0.31


@pytest.mark.parametrize(("days", "expected"), [(1, "9.30"), (3, "9.30"), (5, "15.50")])
def test_call_tracing_days(belgacom: Pricer, days: int, expected: str) -> None:
    # 1–3 days: 11.25 / 1.21 = 9.2975… → 9.30 once; each extra day 3.75 / 1.21 → 3.10; 5 days = 9.30 + 6.20
    assert net(belgacom("CALL-TRACING-DAYS", days)) == expected


# ---------------------------------------------------------------- percentages


@pytest.mark.parametrize(("unpaid", "expected"), [("1000.00", "150.00"), ("200.00", "60.00"), ("400.00", "60.00")])
def test_collection_fee_is_15_percent_with_a_minimum_of_60(belgacom: Pricer, unpaid: str, expected: str) -> None:
    # 15 % of 1000 = 150; of 200 = 30 < 60; of 400 = 60 (the minimum exactly)
    line = belgacom("COLLECTION-FEE", unpaid_total=unpaid)
    assert net(line) == expected
    assert line.treatment.category is VatCategory.OUTSIDE_SCOPE


def test_collection_fee_rounds_half_up(belgacom: Pricer) -> None:
    assert net(belgacom("COLLECTION-FEE", unpaid_total="1000.03")) == "150.00"  # 150.0045 → 150.00
    assert net(belgacom("COLLECTION-FEE", unpaid_total="1000.10")) == "150.02"  # 150.015 → 150.02


@pytest.mark.parametrize(
    ("base", "quantity", "expected"),
    [("MOVE-SOCKET", None, "3.72"), ("EXTRA-SOCKET-CLASSIC", None, "5.58"), ("INDOOR-CABLING", 10, "12.40")],
)
def test_social_rate_is_half_the_standard_price(
    belgacom: Pricer, base: str, quantity: int | None, expected: str
) -> None:
    # 50 % of 7.44 = 3.72 (= 4.50 TVAC, half of 9); of 11.16 = 5.58; of 10 × 2.48 = 24.80 → 12.40
    assert net(belgacom("SOCIAL-RATE-MODIFICATION", quantity, of=base)) == expected


def test_social_rate_refuses_an_item_it_does_not_apply_to(belgacom: Pricer) -> None:
    with pytest.raises(TelbillError) as error:
        belgacom("SOCIAL-RATE-MODIFICATION", of="GOLD-NUMBER")
    assert error.value.code == "order.percentage_base"
    assert error.value.field == "SOCIAL-RATE-MODIFICATION.of"


# ---------------------------------------------------------------- count tiers


@pytest.mark.parametrize(("already", "count", "expected"), [("0", 4, "0.00"), ("3", 2, "5.12"), ("5", 2, "10.24")])
def test_number_changes_first_four_in_a_year_free(belgacom: Pricer, already: str, count: int, expected: str) -> None:
    # 6.20 / 1.21 = 5.1239… → 5.12. Changes 1–4 free; 4th and 5th: 0 + 5.12; 6th and 7th: 2 × 5.12
    assert net(belgacom("NUMBER-CHANGE", count, already=already)) == expected


# ---------------------------------------------------------------- free, on quote, deposit, variants


@pytest.mark.parametrize(
    "code",
    [
        "MSG-PREDEFINED",
        "REPAIR-INFRASTRUCTURE",
        "REPAIR-MAINT-LABOUR",
        "REPAIR-MAINT-PART",
        "REPAIR-NOMAINT-PART-WARRANTY",
    ],
)
def test_free_items(belgacom: Pricer, code: str) -> None:
    assert net(belgacom(code)) == "0.00"


def test_repair_is_free_when_the_fault_is_telenets(telenet: Pricer) -> None:
    assert net(telenet("REPAIR-OPERATOR-FAULT")) == "0.00"


@pytest.mark.parametrize("code", ["INDOOR-CABLING-LARGE", "OTHER-MODIFICATION", "REPAVING", "REPAIR-THIRD-PART"])
def test_evaluated_items_need_an_amount(belgacom: Pricer, code: str) -> None:
    with pytest.raises(TelbillError) as error:
        belgacom(code)
    assert error.value.kind is ErrorKind.NEEDS_INPUT
    assert error.value.field == f"{code}.amount"
    assert net(belgacom(code, amount="180.00")) == "180.00"


def test_deposit_is_capped_at_350(belgacom: Pricer) -> None:
    assert net(belgacom("GSM-ACTIVATION-DEPOSIT", 2, amount="350")) == "700.00"  # per GSM number
    with pytest.raises(TelbillError) as error:
        belgacom("GSM-ACTIVATION-DEPOSIT", amount="350.01")
    assert error.value.code == "order.above_cap"


def test_proxireplace_excess_by_device_range(belgacom: Pricer) -> None:
    assert net(belgacom("PROXIREPLACE-EXCESS", device_range="privilege")) == "49.00"
    assert net(belgacom("PROXIREPLACE-EXCESS", device_range="business")) == "37.00"
    with pytest.raises(TelbillError) as error:
        belgacom("PROXIREPLACE-EXCESS", segment=Segment.RESIDENTIAL, device_range="standard")
    assert error.value.code == "pricing.not_available"


# ---------------------------------------------------------------- the subscriber's own fees


@pytest.mark.parametrize(("fee", "months", "expected"), [("28.51", "5", "142.55"), ("69.64", "2.5", "174.10")])
def test_early_termination_is_the_fees_remaining_in_the_first_year(
    belgacom: Pricer, fee: str, months: str, expected: str
) -> None:
    # 100 % × 5 × 28.51 = 142.55; 100 % × 2.5 × 69.64 = 174.10
    line = belgacom("EARLY-TERMINATION", monthly_fee=fee, months_remaining=months)
    assert net(line) == expected
    assert line.treatment.category is VatCategory.OUTSIDE_SCOPE


def test_early_termination_cannot_have_more_than_a_year_remaining(belgacom: Pricer) -> None:
    with pytest.raises(TelbillError) as error:
        belgacom("EARLY-TERMINATION", monthly_fee="28.51", months_remaining="13")
    assert error.value.field == "EARLY-TERMINATION.months_remaining"


# ---------------------------------------------------------------- impossible orders


@pytest.mark.parametrize(
    ("code", "quantity", "expected_code"),
    [
        ("TRENCH", -3, "order.quantity"),
        ("TRENCH", None, "order.missing_quantity"),
        ("GOLD-NUMBER", "1.5", "order.quantity"),
        ("MSG-EXT-BASIC", 0, "order.quantity"),
        ("NO-SUCH-ITEM", 1, "catalog.unknown_item"),
    ],
)
def test_impossible_orders_name_the_field(belgacom: Pricer, code: str, quantity: object, expected_code: str) -> None:
    with pytest.raises(TelbillError) as error:
        belgacom(code, quantity)
    assert error.value.code == expected_code
    assert error.value.field is not None and error.value.field.startswith(code)


def test_unknown_parameter_is_refused(belgacom: Pricer) -> None:
    with pytest.raises(TelbillError) as error:
        belgacom("TRENCH", 3, colour="red")
    assert error.value.code == "order.unknown_param"
    assert error.value.field == "TRENCH.colour"
