"""Parsing one imported row, fingerprints, and the usage lines of an invoice (counts and arithmetic)."""

from __future__ import annotations

from datetime import date

import pytest

from telbill.core.money import Money
from telbill.core.period import DateRange
from telbill.core.rating.intake import Quarantine, QuarantineReason, RawUsage, content_fingerprint, parse_usage
from telbill.core.rating.lines import parse_source_id, usage_lines
from telbill.core.rating.records import RatedRecord, UsageRecord
from tests.core.rating_builders import telenet


def raw(**changes: str | None) -> RawUsage:
    fields: dict[str, str | None] = {
        "record_id": "R1", "subscriber": "0470 12 34 56", "start": "2026-03-05T10:00:00+01:00", "service": "voice",
        "country": "be", "destination": "02 555 12 34", "quantity": "120",
    }  # fmt: skip
    fields.update(changes)
    return RawUsage(1, **fields)  # type: ignore[arg-type]


def test_a_good_row_is_normalised() -> None:
    record = parse_usage(raw())
    assert isinstance(record, UsageRecord)
    assert (record.subscriber, record.destination, record.country, record.quantity) == (
        "+32470123456",
        "+3225551234",
        "BE",
        120,
    )


@pytest.mark.parametrize(
    ("changes", "reason", "words"),
    [
        ({"record_id": "  "}, QuarantineReason.MALFORMED, "missing record_id"),
        ({"quantity": None, "country": ""}, QuarantineReason.MALFORMED, "missing country, quantity"),
        ({"start": "05/03/2026 10:00"}, QuarantineReason.MALFORMED, "not an ISO 8601 time"),
        ({"start": "2026-03-05T10:00:00"}, QuarantineReason.MALFORMED, "no time zone"),
        ({"service": "mms"}, QuarantineReason.MALFORMED, "not voice, sms or data"),
        ({"quantity": "1.5"}, QuarantineReason.MALFORMED, "not a whole number"),
        ({"quantity": "1000000000000000"}, QuarantineReason.MALFORMED, "implausibly large"),
        ({"country": "BEL"}, QuarantineReason.MALFORMED, "not an ISO 3166 code"),
        ({"quantity": "-30"}, QuarantineReason.NEGATIVE_QUANTITY, "negative quantity -30"),
        ({"subscriber": "not a number"}, QuarantineReason.UNPARSEABLE_NUMBER, "not a phone number"),
        ({"destination": "0470 12"}, QuarantineReason.UNPARSEABLE_NUMBER, "possible length"),
        ({"destination": None}, QuarantineReason.UNPARSEABLE_NUMBER, "needs its destination"),
    ],
)
def test_a_broken_row_says_why(changes: dict[str, str | None], reason: QuarantineReason, words: str) -> None:
    outcome = parse_usage(raw(**changes))
    assert isinstance(outcome, Quarantine)
    assert outcome.reason is reason and words in outcome.message


def test_data_needs_no_destination() -> None:
    record = parse_usage(raw(service="data", destination=None, quantity="5000000"))
    assert isinstance(record, UsageRecord) and record.destination is None


def test_the_same_record_written_otherwise_has_the_same_fingerprint() -> None:
    a = parse_usage(raw())
    b = parse_usage(raw(subscriber="+32 470 12 34 56", start="2026-03-05T09:00:00Z", destination="+3225551234"))
    c = parse_usage(raw(quantity="121"))
    assert isinstance(a, UsageRecord) and isinstance(b, UsageRecord) and isinstance(c, UsageRecord)
    assert content_fingerprint(a) == content_fingerprint(b) != content_fingerprint(c)


def rated(record_id: str, tariff: str, rated_units: int, included: int, amount: str) -> RatedRecord:
    allowance = "VOICE-INCLUDED" if tariff == "CALL-BE" else None
    return RatedRecord(record_id, "SUB-1", date(2026, 3, 1), "BE-MOBILE", tariff, allowance, rated_units, included,
                       rated_units - included, Money.of(amount))  # fmt: skip


def test_usage_lines_sum_their_records_per_tariff_in_catalog_order() -> None:
    march = DateRange(date(2026, 3, 1), date(2026, 4, 1))
    records = [
        rated("R3", "CALL-WORLD", 61, 0, "0.51"),
        rated("R1", "CALL-BE", 3600, 2400, "2.00"),
        rated("R2", "CALL-BE", 600, 0, "1.00"),
        rated("R4", "CALL-WORLD", 754, 0, "6.28"),
    ]
    lines = usage_lines(telenet(), "SUB-1", march, records)
    # CALL-BE 2.00 + 1.00 = 3.00; CALL-WORLD 0.51 + 6.28 = 6.79; CALL-BE comes first in the catalog
    assert [(line.item_code, str(line.net), str(line.unit_price), line.billed_quantity) for line in lines] == [
        ("CALL-BE", "3.00", "3.00", 1),
        ("CALL-WORLD", "6.79", "6.79", 1),
    ]
    assert lines[0].provenance.explanation == (
        "2 × call, 70 min 00 s rated, 40 min 00 s included; 30 min 00 s charged at 0.10 per minute; "
        "the sum of the 2 records' amounts, each rounded to the cent = 3.00"
    )
    assert parse_source_id(lines[1].source_id or "") == ("SUB-1", "2026-03-01", "CALL-WORLD")
    assert lines[1].service_period == march
