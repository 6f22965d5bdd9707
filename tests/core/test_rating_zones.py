"""Hand-worked rating of single records on the Telenet CLIC BUREAU tariffs (plausible rates, see the catalog),
one test per zone and rule of seed 000's inclusion clause. Amounts: docs/algorithms/rating.md."""

from __future__ import annotations

from datetime import date

import pytest

from telbill.core.errors import TelbillError
from telbill.core.rating.records import RejectedRecord, RejectReason
from telbill.core.rating.zoning import is_canonical, normalise_number
from tests.core.rating_builders import rate, rate_one, row, telenet

# --- numbers -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("0470 12 34 56", "+32470123456"),  # Belgian mobile, national format
        ("02/555.12.34", "+3225551234"),  # Brussels, with the separators people type
        ("0032 470 12 34 56", "+32470123456"),  # international prefix 00
        ("+32 78 15 12 34", "+3278151234"),
        ("0900 12 345", "+3290012345"),
        ("+1 (212) 555-0100", "+12125550100"),
        ("112", "#112"),  # a short number of the home country
        ("3636", "#3636"),
    ],
)
def test_numbers_are_normalised_to_one_canonical_form(written: str, canonical: str) -> None:
    assert normalise_number(written) == canonical
    assert is_canonical(canonical)


@pytest.mark.parametrize("written", ["abc", "12", "+32 470", "0470 12 34 56 78 90 12"])
def test_a_number_that_cannot_be_read_is_refused(written: str) -> None:
    with pytest.raises(TelbillError, match=r"usage\.number"):
        normalise_number(written)


@pytest.mark.parametrize(
    "text", ["0470123456", "+0470123456", "+3247012345x", "+32 470123456", "+123456", "#12", "#1234567", ""]
)
def test_only_canonical_numbers_pass_the_engine_test(text: str) -> None:
    assert not is_canonical(text)


@pytest.mark.parametrize(
    ("number", "zone"),
    [
        ("+32470123456", "BE-MOBILE"),  # 0470: mobile
        ("+32456123456", "BE-MOBILE"),  # 0456: mobile
        ("+3242223344", "BE-GEOGRAPHIC"),  # 04 2…: Liège, the longest prefix +32 (not +3246…)
        ("+3225551234", "BE-GEOGRAPHIC"),
        ("+3270123456", "BE-SPECIAL"),
        ("+3277123456", "BE-SPECIAL"),
        ("+3278151234", "BE-SPECIAL"),
        ("+3290012345", "BE-PREMIUM"),
        ("+3290512345", "BE-PREMIUM"),
        ("+3280012345", "BE-FREEPHONE"),  # 0800
        ("+3280123456", "BE-GEOGRAPHIC"),  # 080: Stavelot, not freephone
        ("#112", "BE-EMERGENCY"),
        ("#3636", "THIRD-PARTY"),
        ("+33142685300", "EU"),
        ("+262262123456", "EU"),  # Réunion, an outermost region of France
        ("+4791234567", "EU"),  # Norway, EEA
        ("+447911123456", "WORLD"),  # the United Kingdom left the EU
        ("+12125550100", "WORLD"),
        ("+37866112233", "WORLD"),  # San Marino: +378, not Italy's +39
    ],
)
def test_destination_zones_by_longest_prefix(number: str, zone: str) -> None:
    assert telenet().zone_of(number) == zone


def test_expanded_prefixes_agree_with_the_longest_prefix() -> None:
    tables = telenet()
    expanded = dict(tables.expanded_prefixes())
    # every key up to 6 characters, for '+' and '#': 2 × (1 + 10 + … + 10⁵) = 222 222 keys
    assert len(expanded) == 222_222
    for number in ("+32470123456", "+3280012345", "+33142685300", "#112", "#3636", "#11", "+3"):
        assert expanded[number[: tables.prefix_length]] == tables.zone_of(number)


# --- one record per rule ---------------------------------------------------------------------------------------


def test_a_call_from_belgium_to_a_belgian_mobile_is_included() -> None:
    # CALL-BE, first 60 s then per second: 125 s rated; all 125 from VOICE-INCLUDED (1000 min untouched)
    result = rate_one(row("C1", "voice", 125, "+32470999999"))
    assert (result.zone, result.tariff, result.allowance) == ("BE-MOBILE", "CALL-BE", "VOICE-INCLUDED")
    assert (result.rated_units, result.included_units, result.charged_units) == (125, 125, 0)
    assert str(result.amount) == "0.00"
    assert result.period_start == date(2026, 3, 1)


def test_a_short_included_call_counts_the_minimum_against_the_allowance() -> None:
    # 20 s, first 60 s minimum: 60 s rated and drawn from the allowance
    result = rate_one(row("C1", "voice", 20, "+3225551234"))
    assert (result.rated_units, result.included_units) == (60, 60)


def test_a_call_to_0900_is_always_billed_per_call_and_per_minute() -> None:
    # CALL-PREMIUM: 0.50 per call + 1.00 per minute from the first second; 95 s
    # 0.50 + 1.00 × 95 / 60 = 0.50 + 1.58333… = 2.08333… → 2.08
    result = rate_one(row("C1", "voice", 95, "+3290012345"))
    assert (result.tariff, result.allowance, result.charged_units) == ("CALL-PREMIUM", None, 95)
    assert str(result.amount) == "2.08"


def test_a_call_to_070_rounds_half_up_to_the_cent() -> None:
    # CALL-SPECIAL 0.30 per minute from the first second, 45 s: 0.30 × 45 / 60 = 0.225 → 0.23
    assert str(rate_one(row("C1", "voice", 45, "+3270123456")).amount) == "0.23"


def test_a_call_to_the_usa_is_out_of_bundle() -> None:
    # CALL-WORLD 0.50 per minute, first 60 s then per second; 61 s: 0.50 × 61 / 60 = 0.50833… → 0.51
    result = rate_one(row("C1", "voice", 61, "+12125550100"))
    assert (result.zone, result.tariff, result.allowance) == ("WORLD", "CALL-WORLD", None)
    assert str(result.amount) == "0.51"


def test_a_short_call_to_the_usa_pays_the_first_minute() -> None:
    # 30 s → the 60 s minimum: 0.50 × 60 / 60 = 0.50
    result = rate_one(row("C1", "voice", 30, "+12125550100"))
    assert (result.rated_units, str(result.amount)) == (60, "0.50")


def test_an_unanswered_call_bills_nothing() -> None:
    result = rate_one(row("C1", "voice", 0, "+12125550100"))
    assert (result.rated_units, str(result.amount)) == (0, "0.00")


def test_a_call_from_belgium_to_france_is_an_international_call() -> None:
    # "de la Belgique vers des numéros belges" only: CALL-EU 0.19 per minute; 200 s → 0.19 × 200 / 60 = 0.6333… → 0.63
    result = rate_one(row("C1", "voice", 200, "+33142685300"))
    assert (result.zone, result.tariff, result.allowance) == ("EU", "CALL-EU", None)
    assert str(result.amount) == "0.63"


def test_roaming_in_france_calls_to_belgian_and_eu_numbers_are_included() -> None:
    home = rate_one(row("C1", "voice", 300, "+32470999999", country="FR"))
    local = rate_one(row("C2", "voice", 300, "+33142685300", country="FR"))
    assert (home.tariff, home.allowance, str(home.amount)) == ("CALL-BE", "VOICE-INCLUDED", "0.00")
    assert (local.tariff, local.allowance, str(local.amount)) == ("CALL-BE", "VOICE-INCLUDED", "0.00")


def test_roaming_in_france_data_is_included() -> None:
    # 50 000 000 bytes = 50 000 kB, all from DATA-INCLUDED
    result = rate_one(row("D1", "data", 50_000_000, country="FR"))
    assert (result.zone, result.tariff, result.included_units, str(result.amount)) == (None, "DATA-BE", 50_000, "0.00")


def test_roaming_in_france_a_call_to_the_usa_is_out_of_bundle() -> None:
    result = rate_one(row("C1", "voice", 61, "+12125550100", country="FR"))
    assert (result.tariff, str(result.amount)) == ("CALL-WORLD", "0.51")


def test_roaming_outside_the_eu_is_billed_per_started_minute() -> None:
    # in the USA, calling home: ROAM-WORLD-CALL 2.00 per started minute; 61 s → 120 s → 2.00 × 120 / 60 = 4.00
    result = rate_one(row("C1", "voice", 61, "+32470999999", country="US"))
    assert (result.tariff, result.rated_units, str(result.amount)) == ("ROAM-WORLD-CALL", 120, "4.00")


def test_data_outside_the_eu_is_billed_per_mb_rounded_up_to_the_kb() -> None:
    # in Switzerland (not EEA): 1 234 567 bytes → 1 235 kB; 2.00 per MB × 1 235 / 1 000 = 2.47
    result = rate_one(row("D1", "data", 1_234_567, country="CH"))
    assert (result.tariff, result.rated_units, str(result.amount)) == ("ROAM-WORLD-DATA", 1235, "2.47")


def test_data_in_norway_is_in_the_eu_zone() -> None:
    assert rate_one(row("D1", "data", 1_000, country="NO")).allowance == "DATA-INCLUDED"


@pytest.mark.parametrize(
    ("destination", "country", "tariff", "amount"),
    [
        ("+32470999999", "BE", "SMS-BE", "0.00"),  # included
        ("+33612345678", "BE", "SMS-EU", "0.06"),
        ("+33612345678", "ES", "SMS-BE", "0.00"),  # roaming in the EU zone to an EU number: included
        ("+12125550100", "BE", "SMS-WORLD", "0.25"),
        ("+32470999999", "US", "ROAM-WORLD-SMS", "0.50"),
        ("+3270123456", "BE", "SMS-PREMIUM", "1.00"),  # special number: always extra
        ("#3636", "BE", "SMS-PREMIUM", "1.00"),  # third-party service: always extra
        ("#3636", "FR", "SMS-PREMIUM", "1.00"),  # … from the EU zone too
        ("#112", "BE", "SMS-FREE", "0.00"),
    ],
)
def test_sms_by_zone(destination: str, country: str, tariff: str, amount: str) -> None:
    result = rate_one(row("S1", "sms", 1, destination, country=country))
    assert (result.tariff, str(result.amount)) == (tariff, amount)


def test_special_numbers_stay_extra_when_roaming_in_the_eu() -> None:
    result = rate_one(row("C1", "voice", 60, "+3290012345", country="IT"))
    assert (result.tariff, result.allowance, str(result.amount)) == ("CALL-PREMIUM", None, "1.50")


def test_freephone_and_emergency_numbers_are_free_and_use_no_allowance() -> None:
    freephone = rate_one(row("C1", "voice", 600, "+3280012345"))
    emergency = rate_one(row("C2", "voice", 600, "#112"))
    assert (freephone.tariff, freephone.allowance, str(freephone.amount)) == ("CALL-FREE", None, "0.00")
    assert (emergency.zone, emergency.tariff, str(emergency.amount)) == ("BE-EMERGENCY", "CALL-FREE", "0.00")


def test_a_call_to_a_third_party_short_number_is_extra() -> None:
    # CALL-THIRD-PARTY 0.50 per minute from the first second, 90 s: 0.75
    result = rate_one(row("C1", "voice", 90, "#3636"))
    assert (result.zone, str(result.amount)) == ("THIRD-PARTY", "0.75")


# --- rejections: one per reason, in the order they are tested -----------------------------------------------------


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (row("", "voice", 60, "+32470999999"), RejectReason.MISSING_FIELD),
        (row("R1", "voice", None, "+32470999999"), RejectReason.MISSING_FIELD),
        (row("R1", "voice", 60, "+32470999999", country=None), RejectReason.MISSING_FIELD),
        (row("R1", "fax", -5, "+32470999999"), RejectReason.UNKNOWN_SERVICE),
        (row("R1", "voice", -5, "+32470999999", subscriber="+32499999999"), RejectReason.NEGATIVE_QUANTITY),
        (row("R1", "voice", 60, "+32470999999", subscriber="+32499999999"), RejectReason.UNKNOWN_SUBSCRIBER),
        (row("R1", "voice", 60, "+32470999999", subscriber="0470123456"), RejectReason.UNKNOWN_SUBSCRIBER),
        (row("R1", "voice", 60, "zzz", country="fr"), RejectReason.UNKNOWN_COUNTRY),
        (row("R1", "voice", 60, "0470999999"), RejectReason.BAD_DESTINATION),  # not canonical
        (row("R1", "sms", 1, None), RejectReason.BAD_DESTINATION),
    ],
)
def test_rows_that_cannot_be_rated_are_rejected_with_their_reason(record: object, reason: RejectReason) -> None:
    (result,) = rate(record)  # type: ignore[arg-type]
    assert isinstance(result, RejectedRecord)
    assert result.reason is reason


def test_data_needs_no_destination() -> None:
    assert rate_one(row("D1", "data", 1, destination="anything")).tariff == "DATA-BE"
