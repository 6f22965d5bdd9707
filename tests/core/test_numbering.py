"""Structured communications and document numbers, with check digits worked out by hand.

Check digits = base mod 97 (97 when the remainder is 0):
- 0000000001: 1 mod 97 = 1 → 01;
- 0000000097: 97 mod 97 = 0 → 97;
- 1234567890: 97 × 12727504 = 1234567888, remainder 2 → 02;
- 2026000123: 10^6 ≡ 27 (10^2 = 100 ≡ 3, 3^3 = 27) and 2026 ≡ 86 (2026 − 1940), so
  2026 × 10^6 + 123 ≡ 86 × 27 + 123 = 2322 + 123 ≡ 91 + 123 = 214 ≡ 20 → 20.
"""

from __future__ import annotations

import pytest

from telbill.core.billing.numbering import (
    CREDIT_NOTE_SERIES,
    INVOICE_SERIES,
    Series,
    StructuredCommunication,
    check_digits,
    is_valid_structured_communication,
)
from telbill.core.errors import TelbillError


@pytest.mark.parametrize(
    ("base", "check", "printed"),
    [
        ("0000000001", "01", "+++000/0000/00101+++"),
        ("0000000097", "97", "+++000/0000/09797+++"),
        ("1234567890", "02", "+++123/4567/89002+++"),
        ("2026000123", "20", "+++202/6000/12320+++"),
    ],
)
def test_check_digits_and_print_form(base: str, check: str, printed: str) -> None:
    assert check_digits(base) == check
    communication = StructuredCommunication.from_base(base)
    assert str(communication) == printed
    assert communication.base == base
    assert StructuredCommunication.parse(printed) == communication


def test_an_int_base_is_zero_padded() -> None:
    assert str(StructuredCommunication.from_base(1)) == "+++000/0000/00101+++"


@pytest.mark.parametrize(
    "text", ["+++123/4567/89002+++", "***123/4567/89002***", "123456789002", " 123/4567/89002 ", "+++123 4567 89002+++"]
)
def test_parse_accepts_the_usual_spellings(text: str) -> None:
    assert StructuredCommunication.parse(text).digits == "123456789002"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("+++123/4567/89003+++", "communication.check"),  # wrong check digits
        ("+++000/0000/00000+++", "communication.check"),  # 00 never occurs: 0 mod 97 is written 97
        ("+++123/4567/8900+++", "communication.syntax"),  # 11 digits
        ("+++123/4567/89002***", "communication.syntax"),  # delimiters differ
        ("RF18 5390 0754 7034", "communication.syntax"),  # an ISO creditor reference is not one
        ("", "communication.syntax"),
    ],
)
def test_parse_refuses_with_a_code(text: str, code: str) -> None:
    with pytest.raises(TelbillError) as caught:
        StructuredCommunication.parse(text)
    assert caught.value.code == code
    assert not is_valid_structured_communication(text)


def test_is_valid() -> None:
    assert is_valid_structured_communication("+++202/6000/12320+++")


@pytest.mark.parametrize("base", ["123456789", "12345678901", "12345678x0", -1])
def test_from_base_refuses_what_is_not_ten_digits(base: str | int) -> None:
    with pytest.raises(TelbillError) as caught:
        StructuredCommunication.from_base(base)
    assert caught.value.code == "communication.base"


def test_series_format_and_parse() -> None:
    assert INVOICE_SERIES.format(2026, 123) == "F2026-000123"
    assert CREDIT_NOTE_SERIES.format(2026, 7) == "C2026-000007"
    assert INVOICE_SERIES.parse("F2026-000123") == (2026, 123)
    assert Series("PRO", width=4).format(2027, 1) == "PRO2027-0001"


@pytest.mark.parametrize(
    ("year", "sequence", "code"),
    [(2026, 0, "numbering.sequence"), (2026, 1_000_000, "numbering.sequence"), (26, 1, "numbering.year")],
)
def test_series_refuses_what_it_cannot_print(year: int, sequence: int, code: str) -> None:
    with pytest.raises(TelbillError) as caught:
        INVOICE_SERIES.format(year, sequence)
    assert caught.value.code == code


@pytest.mark.parametrize("number", ["C2026-000007", "F2026-123", "F2026-000000", "F26-000001", "f2026-000001"])
def test_series_parse_refuses_other_series_and_shapes(number: str) -> None:
    with pytest.raises(TelbillError) as caught:
        INVOICE_SERIES.parse(number)
    assert caught.value.code == "numbering.syntax"


@pytest.mark.parametrize(("prefix", "width"), [("", 6), ("f", 6), ("FACT1", 6), ("F", 0)])
def test_series_refuses_a_bad_shape(prefix: str, width: int) -> None:
    with pytest.raises(TelbillError):
        Series(prefix, width)
