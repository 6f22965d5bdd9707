"""The invoice snapshot: totals by hand, the line amount invariant, the refusals and credit notes.

The documents and their hand-worked totals are described in ``invoice_examples``.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.be import vat as stdnum_be_vat

from telbill.core.billing.invoice import (
    DocumentReference,
    DocumentType,
    InvoiceDocument,
    InvoicePeriod,
    Party,
    Seller,
    make_credit_note,
)
from telbill.core.billing.parties import is_enterprise_number
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.money import Money
from telbill.core.tax.treatment import OUTSIDE_SCOPE, STANDARD_21, VatCategory, VatTreatment
from tests.core.invoice_examples import (
    BUYER,
    SELLER,
    belgacom_fees,
    credit_note_for_telenet,
    indemnities,
    invoice,
    line,
    telenet_month,
)


def amounts(document: InvoiceDocument) -> tuple[str, str, str]:
    totals = document.totals
    return str(totals.net), str(totals.vat), str(totals.gross)


def test_telenet_month_totals_by_hand() -> None:
    document = telenet_month()
    assert amounts(document) == ("292.64", "61.45", "354.09")
    (subtotal,) = document.totals.subtotals
    assert subtotal.treatment == STANDARD_21
    assert document.signed_gross == Money.of("354.09")


def test_belgacom_fees_totals_by_hand() -> None:
    document = belgacom_fees()
    assert [str(line.net) for line in document.lines] == ["148.80", "66.12", "200.00", "3.15"]
    assert amounts(document) == ("418.07", "87.79", "505.86")


def test_indemnities_are_a_document_of_their_own_without_vat() -> None:
    document = indemnities()
    assert amounts(document) == ("165.00", "0.00", "165.00")
    assert document.is_outside_scope
    (subtotal,) = document.totals.subtotals
    assert subtotal.treatment.exemption_code == "VATEX-EU-O"


def test_mixing_outside_scope_with_vat_is_refused() -> None:
    with pytest.raises(TelbillError) as caught:
        invoice(
            126,
            (
                line(1, "installation", "1", "200.00", "200.00"),
                line(2, "reminder_fee", "1", "15.00", "15.00", treatment=OUTSIDE_SCOPE),
            ),
        )
    assert caught.value.code == "invoice.mixed_outside_scope"


def test_other_categories_may_share_a_document() -> None:
    reduced = VatTreatment(VatCategory.STANDARD, Decimal("6"))
    document = invoice(
        127,
        (
            line(1, "installation", "1", "200.00", "200.00"),
            line(2, "social_rate", "1", "10.00", "10.00", treatment=reduced),
        ),
    )
    # 200.00 × 0.21 = 42.00 and 10.00 × 0.06 = 0.60
    assert [str(s.vat) for s in document.totals.subtotals] == ["42.00", "0.60"]
    assert amounts(document) == ("210.00", "42.60", "252.60")


class TestLineAmount:
    def test_quantity_times_unit_price_rounded_half_up_is_the_net(self) -> None:
        # 37 × 0.0850 = 3.145, half up → 3.15
        assert line(1, "calls", "37", "0.0850", "3.15").net == Money.of("3.15")

    def test_a_net_that_disagrees_is_refused(self) -> None:
        with pytest.raises(TelbillError) as caught:
            line(1, "calls", "37", "0.0850", "3.14")
        assert caught.value.code == "invoice.line_amount"

    def test_a_minimum_per_order_is_billed_as_one_order(self) -> None:
        # 3 lines at 50.00 would be 150.00 < minimum 200.00: billed 1 × 200.00; 3 × 66.67 would be 200.01
        assert line(1, "temporary_lines", "1", "200.00", "200.00").quantity == 1
        with pytest.raises(TelbillError):
            line(1, "temporary_lines", "3", "66.67", "200.00")

    def test_a_negative_quantity_makes_a_discount_line(self) -> None:
        document = invoice(
            128, (line(1, "installation", "1", "200.00", "200.00"), line(2, "promo", "-1", "50.00", "-50.00"))
        )
        # 150.00 × 0.21 = 31.50
        assert amounts(document) == ("150.00", "31.50", "181.50")

    def test_a_negative_unit_price_is_refused(self) -> None:
        with pytest.raises(TelbillError) as caught:
            line(1, "promo", "1", "-50.00", "-50.00")
        assert caught.value.code == "invoice.unit_price"

    def test_floats_are_refused(self) -> None:
        good = line(1, "calls", "37", "0.0850", "3.15")
        with pytest.raises(TelbillError) as caught:
            dataclasses.replace(good, unit_price=0.085)
        assert caught.value.code == "money.float"

    def test_a_line_is_frozen(self) -> None:
        with pytest.raises(dataclasses.FrozenInstanceError):
            telenet_month().lines[0].net = Money.of("1.00")  # type: ignore[misc]


class TestRefusals:
    def test_an_empty_document(self) -> None:
        with pytest.raises(TelbillError) as caught:
            invoice(129, ())
        assert caught.value.code == "invoice.empty"

    def test_a_credit_note_without_preceding_invoice(self) -> None:
        with pytest.raises(TelbillError) as caught:
            dataclasses.replace(credit_note_for_telenet(), preceding=None)
        assert caught.value.code == "invoice.credit_without_reference"

    def test_a_negative_total(self) -> None:
        with pytest.raises(TelbillError) as caught:
            invoice(130, (line(1, "promo", "-1", "50.00", "-50.00"),))
        assert caught.value.code == "invoice.negative_total"

    def test_an_invoice_without_due_date(self) -> None:
        with pytest.raises(TelbillError) as caught:
            dataclasses.replace(telenet_month(), due_date=None)
        assert caught.value.code == "invoice.due_date"

    def test_repeated_line_numbers(self) -> None:
        with pytest.raises(TelbillError) as caught:
            invoice(131, (line(1, "a", "1", "1.00", "1.00"), line(1, "b", "1", "1.00", "1.00")))
        assert caught.value.code == "invoice.line_numbers"

    def test_vat_without_the_seller_vat_number(self) -> None:
        seller = Seller(dataclasses.replace(SELLER.party, vat_number=None), SELLER.iban, SELLER.bic)
        with pytest.raises(TelbillError) as caught:
            dataclasses.replace(telenet_month(), seller=seller)
        assert caught.value.code == "invoice.seller_vat"

    def test_a_period_that_ends_before_it_starts(self) -> None:
        with pytest.raises(TelbillError) as caught:
            InvoicePeriod(date(2026, 3, 31), date(2026, 3, 1))
        assert caught.value.code == "invoice.period"


class TestParties:
    @pytest.mark.parametrize(
        ("changes", "code"),
        [
            ({"enterprise_number": "0987654395"}, "party.enterprise_number"),  # check digits 94, not 95
            ({"vat_number": "BE0123456749"}, "party.vat_number"),  # another company's number
            ({"vat_number": "0987654394"}, "party.vat_number"),  # no country prefix
            ({"country": "be"}, "party.country"),
            ({"email": "compta at dupont"}, "party.email"),
            ({"street": " "}, "party.missing"),
        ],
    )
    def test_identifiers_are_checked(self, changes: dict[str, str], code: str) -> None:
        with pytest.raises(TelbillError) as caught:
            dataclasses.replace(BUYER, **changes)
        assert caught.value.code == code

    def test_enterprise_number_check_digits_by_hand(self) -> None:
        # 09876543 = 97 × 101820 + 3, and 97 − 3 = 94
        assert dataclasses.replace(BUYER, vat_number=None, enterprise_number="0987654394").enterprise_number

    @pytest.mark.parametrize(
        ("number", "valid"),
        [
            ("0403170701", True),  # 04031707 = 97 × 41563 + 96, and 96 + 01 = 97
            ("0403170702", False),  # 96 + 02 = 98
            ("2000000042", False),  # 20000000 + 42 = 97 × 206186, but a number starts with 0 or 1
            ("0000000000", False),  # 0 + 0 is a multiple of 97, but no enterprise has the number 0
            ("0000009797", True),  # 97 + 97 = 2 × 97: when the first eight are a multiple of 97, 97 checks them
            ("0000009700", True),  # 97 + 0 = 97: and so does 00
            ("403170701", False),  # nine digits: stdnum would pad it, but only the canonical ten are accepted
            ("0403 70701", False),
            ("０４０３１７０７０１", False),  # full-width digits are digits, but not ASCII ones
        ],
    )
    def test_enterprise_number_worked_examples(self, number: str, valid: bool) -> None:
        assert is_enterprise_number(number) is valid

    @given(st.text(alphabet="0123456789 .B", min_size=8, max_size=12) | st.from_regex(r"\A[01][0-9]{9}\Z"))
    def test_enterprise_number_is_python_stdnums_check_of_a_canonical_number(self, number: str) -> None:
        canonical = len(number) == 10 and number.isascii() and number.isdigit()
        assert is_enterprise_number(number) == (canonical and stdnum_be_vat.is_valid(number))

    @pytest.mark.parametrize(
        ("iban", "bic"),
        [("BE68539007547035", "GEBABEBB"), ("BE68 5390 0754 7034", "GEBABEBB"), ("BE68539007547034", "GEBA")],
    )
    def test_seller_account_is_checked(self, iban: str, bic: str) -> None:
        with pytest.raises(TelbillError):
            Seller(SELLER.party, iban, bic)

    def test_a_foreign_buyer_keeps_its_own_vat_number(self) -> None:
        foreign = Party("Bakkerij BV", "Markt 1", "4811", "Breda", "NL", BUYER.language, vat_number="NL123456789B01")
        assert foreign.vat_number == "NL123456789B01"


class TestCreditNote:
    def test_it_repeats_the_invoice_with_positive_amounts(self) -> None:
        original = telenet_month()
        credit = credit_note_for_telenet()
        assert credit.type is DocumentType.CREDIT_NOTE
        assert credit.number == "C2026-000007"
        assert credit.preceding == DocumentReference("F2026-000123", date(2026, 4, 1))
        assert credit.lines == original.lines
        assert amounts(credit) == ("292.64", "61.45", "354.09")
        assert credit.signed_gross == Money.of("-354.09")
        assert credit.due_date is None and credit.structured_communication is None
        assert (credit.seller, credit.buyer, credit.buyer_reference) == (original.seller, original.buyer, "CUST-000042")

    def test_a_subset_of_lines(self) -> None:
        credit = make_credit_note(telenet_month(), "C2026-000008", date(2026, 4, 10), lines=[4])
        assert [line.item_code for line in credit.lines] == ["installation"]
        # 200.00 × 0.21 = 42.00
        assert amounts(credit) == ("200.00", "42.00", "242.00")

    def test_an_unknown_line_is_not_found(self) -> None:
        with pytest.raises(TelbillError) as caught:
            make_credit_note(telenet_month(), "C2026-000009", date(2026, 4, 10), lines=[9])
        assert (caught.value.code, caught.value.kind) == ("invoice.unknown_line", ErrorKind.NOT_FOUND)

    def test_a_credit_note_is_not_credited_again(self) -> None:
        with pytest.raises(TelbillError) as caught:
            make_credit_note(credit_note_for_telenet(), "C2026-000010", date(2026, 4, 11))
        assert caught.value.code == "invoice.credit_of_credit"

    def test_it_is_not_dated_before_the_invoice(self) -> None:
        with pytest.raises(TelbillError) as caught:
            make_credit_note(telenet_month(), "C2026-000011", date(2026, 3, 31))
        assert caught.value.code == "invoice.preceding_date"

    def test_an_outside_scope_document_is_credited_outside_scope(self) -> None:
        credit = make_credit_note(indemnities(), "C2026-000012", date(2026, 4, 10), lines=[2])
        assert credit.is_outside_scope
        assert amounts(credit) == ("15.00", "0.00", "15.00")
