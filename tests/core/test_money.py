"""Money: exact amounts in cents, the one rounding function, and allocation without losing a cent.

Every expected amount below is worked out by hand in the comment next to it. The properties compare the code
with an independent oracle written with ``fractions.Fraction`` and integer arithmetic, never with the code's
own Decimal expressions. See docs/algorithms/money.md.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from telbill.core.errors import TelbillError
from telbill.core.money import Money, allocate, round_half_up, total


def m(text: str) -> Money:
    return Money.of(text)


def half_up_cents(value: Fraction) -> Fraction:
    """Oracle: round an exact rational to the cent, half away from zero, with integers only."""
    hundredths = abs(value) * 100
    whole = int(hundredths)  # floor, since hundredths >= 0
    if hundredths - whole >= Fraction(1, 2):
        whole += 1
    return Fraction(whole if value >= 0 else -whole, 100)


def exact(amount: Money) -> Fraction:
    return Fraction(amount.amount)


def raises_code(code: str) -> pytest.RaisesExc[TelbillError]:
    return pytest.raises(TelbillError, match=rf"^{code}:")


# --- Money refuses what is not an exact amount in cents -------------------------------------------------


@pytest.mark.parametrize("value", [0.1, 13.5, 1e-2, float("nan")])
def test_money_refuses_floats(value: float) -> None:
    with raises_code("money.float"):
        Money.of(value)
    with raises_code("money.float"):
        Money(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [True, False])
def test_money_refuses_bools(value: bool) -> None:
    # bool is a subclass of int: without a check, True would silently be 1.00
    with raises_code("money.type"):
        Money.of(value)


@pytest.mark.parametrize("value", [None, [1], (1,), {"amount": 1}, b"1.00", Money.zero()])
def test_money_refuses_non_numbers(value: object) -> None:
    with raises_code("money.type"):
        Money.of(value)


@pytest.mark.parametrize("value", ["abc", "", "1,50", "1.50 EUR", "NaN", "Infinity", "-inf"])
def test_money_refuses_text_that_is_not_a_finite_number(value: str) -> None:
    # "1,50" is how the Belgian sheets print 1.50, but amounts enter telbill in the dot notation only
    with raises_code("money.syntax"):
        Money.of(value)


@pytest.mark.parametrize("value", ["0.001", "1.005", "-0.005", "69.645", "0.0000001"])
def test_money_refuses_sub_cent_values(value: str) -> None:
    with raises_code("money.sub_cent"):
        Money.of(value)
    with raises_code("money.sub_cent"):
        Money(Decimal(value))


@pytest.mark.parametrize(
    ("value", "cents"),
    [
        ("13.50", "13.50"),
        ("13.5", "13.50"),  # one decimal is still whole cents
        ("13.500000", "13.50"),  # trailing zeros below the cent are not sub-cent digits
        (" 8 ", "8.00"),
        (15, "15.00"),
        (Decimal("-0.31"), "-0.31"),
    ],
)
def test_money_accepts_exact_cents_and_holds_two_decimals(value: object, cents: str) -> None:
    amount = Money.of(value)
    assert str(amount) == cents
    assert amount.amount.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("value", "cents"),
    [
        (Decimal("13.50"), "13.50"),  # already in cents: kept as it is
        (Decimal("13.5"), "13.50"),  # the constructor itself, not only Money.of, brings it to two decimals
        (Decimal("1E+1"), "10.00"),  # an exponent above the cent
        (Decimal("7.000"), "7.00"),
        (Decimal("-0.00"), "-0.00"),  # a rounded tiny credit keeps its sign, as Decimal prints it
    ],
)
def test_money_built_from_a_decimal_holds_two_decimals(value: Decimal, cents: str) -> None:
    amount = Money(value)
    assert str(amount) == cents
    assert amount.amount.as_tuple().exponent == -2
    assert dataclasses.replace(amount, amount=value) == amount  # replace goes through the same constructor


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), Decimal("1.005")])
def test_money_refuses_a_decimal_that_is_not_cents(value: Decimal) -> None:
    with raises_code("money.sub_cent"):
        Money(value)


def test_sums_differences_and_negations_stay_in_cents() -> None:
    # 0.10 + 0.20 = 0.30, 0.30 − 0.30 = 0.00, −(0.00) = 0.00: every result written with two decimals
    results = [m("0.10") + m("0.20"), m("0.30") - m("0.30"), -m("0.00"), total([m("1.5"), m("2")])]
    assert [str(r) for r in results] == ["0.30", "0.00", "0.00", "3.50"]
    assert all(r.amount.as_tuple().exponent == -2 for r in results)


def test_money_is_immutable() -> None:
    amount = m("1.00")
    with pytest.raises(dataclasses.FrozenInstanceError):
        amount.amount = Decimal("2.00")  # type: ignore[misc]


def test_arithmetic_takes_money_only() -> None:
    with raises_code("money.type"):
        m("1.00") + Decimal("1.00")  # type: ignore[operator]
    with raises_code("money.type"):
        m("1.00") - 1  # type: ignore[operator]


def test_times_refuses_floats_and_bools() -> None:
    with raises_code("money.float"):
        m("10.00").times(0.5)  # type: ignore[arg-type]
    with raises_code("money.type"):
        m("10.00").times(True)


def test_total_of_nothing_is_zero_and_totals_add_exactly() -> None:
    assert total([]) == m("0.00")
    # 69.64 + 8.00 + 15.00 + 200.00 = 292.64
    assert total([m("69.64"), m("8.00"), m("15.00"), m("200.00")]) == m("292.64")


# --- the one rounding function --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        ("2.345", "2.35"),  # half away from zero (banker's rounding would give 2.34)
        ("2.344", "2.34"),
        ("2.3449999", "2.34"),  # only the digits decide, not a first rounding to 2.345
        ("-2.345", "-2.35"),  # symmetric: half away from zero, not towards +infinity
        ("-2.344", "-2.34"),
        ("0.005", "0.01"),  # banker's rounding would give 0.00
        ("-0.005", "-0.01"),
        ("0.0049", "0.00"),
        ("0.125", "0.13"),  # banker's rounding would give 0.12
        ("61.4544", "61.45"),
        ("13.8852", "13.89"),
        ("7.00", "7.00"),
    ],
)
def test_round_half_up_rounds_half_away_from_zero(value: str, rounded: str) -> None:
    result = round_half_up(Decimal(value))
    assert result == Decimal(rounded)
    assert result.as_tuple().exponent == -2


def test_round_half_up_refuses_floats() -> None:
    with raises_code("money.float"):
        round_half_up(2.345)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amount", "factor", "product"),
    [
        ("0.05", "0.5", "0.03"),  # 0.025 → 0.03
        ("-0.05", "0.5", "-0.03"),  # -0.025 → -0.03
        ("69.64", "0.21", "14.62"),  # 69.64 × 0.21 = 14.6244 → 14.62
        ("66.12", "0.21", "13.89"),  # 66.12 × 0.21 = 13.8852 → 13.89
        ("16.53", "4", "66.12"),  # 4 × 16.53 = 66.12 exactly
        ("28.51", "0.5", "14.26"),  # half a month: 14.255 → 14.26
    ],
)
def test_times_rounds_the_exact_product_half_up(amount: str, factor: str, product: str) -> None:
    assert m(amount).times(Decimal(factor)) == m(product)


def test_times_is_exact_even_when_the_product_has_more_than_28_digits() -> None:
    # 0.01 × 0.49999999999999999999999999999 (29 nines) = 0.0049999999999999999999999999999, which is below
    # half a cent, so 0.00. Decimal's default context (28 digits, half-even) would first round the product to
    # 0.005000000000000000000000000000 and the half-up rounding would then give 0.01: a double rounding.
    assert m("0.01").times(Decimal("0." + "4" + "9" * 28)) == m("0.00")
    # 1.00 × 2.344999…(31 nines) = 2.344999… → 2.34 (a double rounding would give 2.35)
    assert m("1.00").times(Decimal("2.344" + "9" * 31)) == m("2.34")


# --- allocate: largest remainder -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "weights", "parts"),
    [
        # 100.00 / 3 = 33.333…: floors 33.33 × 3 = 99.99, 1 cent left, equal remainders → the first part
        ("100.00", [1, 1, 1], ["33.34", "33.33", "33.33"]),
        ("-100.00", [1, 1, 1], ["-33.34", "-33.33", "-33.33"]),
        # 0.10 by 1:2: shares 0.0333… and 0.0666…, floors 0.03 + 0.06 = 0.09, the cent goes to the larger
        # remainder (0.00666… > 0.00333…), so the second part
        ("0.10", [1, 2], ["0.03", "0.07"]),
        ("-0.10", [1, 2], ["-0.03", "-0.07"]),
        # 69.64 over 10 and 21 days: 696.4 / 31 = 22.4645…, 1462.44 / 31 = 47.1754…; floors 22.46 + 47.17 =
        # 69.63; remainders 0.0045… < 0.0054…, so the second part gets the cent
        ("69.64", [10, 21], ["22.46", "47.18"]),
        # 0.05 in six equal parts: each share 0.00833…, all floors 0.00, 5 cents to the five earliest parts
        ("0.05", [1, 1, 1, 1, 1, 1], ["0.01", "0.01", "0.01", "0.01", "0.01", "0.00"]),
        # zero weights get nothing: 1.00 by 0:1:1 = 0.00, 0.50, 0.50
        ("1.00", [0, 1, 1], ["0.00", "0.50", "0.50"]),
        ("1.00", [0, 1, 0], ["0.00", "1.00", "0.00"]),
        # decimal weights: 10.00 by 0.5:1.5 = 2.50, 7.50
        ("10.00", [Decimal("0.5"), Decimal("1.5")], ["2.50", "7.50"]),
        ("0.00", [1, 2], ["0.00", "0.00"]),
        ("0.01", [5], ["0.01"]),
    ],
)
def test_allocate_worked_examples(amount: str, weights: list[Decimal | int], parts: list[str]) -> None:
    assert allocate(m(amount), weights) == tuple(m(p) for p in parts)


@pytest.mark.parametrize(
    ("weights", "code"),
    [
        ([], "money.weights"),
        ([0, 0], "money.weights"),
        ([1, -1], "money.weights"),
        ([Decimal("-0.5"), 2], "money.weights"),
        ([0.5, 0.5], "money.float"),
        ([True, 1], "money.type"),
        (["x"], "money.syntax"),
    ],
)
def test_allocate_refuses_invalid_weights(weights: list[object], code: str) -> None:
    with raises_code(code):
        allocate(m("10.00"), weights)  # type: ignore[arg-type]


# --- properties -----------------------------------------------------------------------------------------

cents = st.integers(min_value=-(10**11), max_value=10**11)
amounts = cents.map(lambda c: Money(Decimal(c).scaleb(-2)))


def decimals_below(bound_digits: int, max_places: int) -> st.SearchStrategy[Decimal]:
    """Decimals of magnitude below 10**bound_digits with up to max_places decimals (any digit count)."""
    return st.integers(min_value=0, max_value=max_places).flatmap(
        lambda places: st.integers(
            min_value=-(10 ** (places + bound_digits)), max_value=10 ** (places + bound_digits)
        ).map(lambda mantissa: Decimal(mantissa).scaleb(-places))
    )


# factors below a million with up to 40 decimals: products of up to 57 significant digits, far beyond the 28
# of Decimal's default context, which is where a hidden first rounding would show
factors = decimals_below(6, 40)
weight = st.one_of(
    st.integers(min_value=0, max_value=10**6),
    st.builds(lambda n: Decimal(n).scaleb(-3), st.integers(min_value=0, max_value=10**6)),
)
weight_lists = st.lists(weight, min_size=1, max_size=20).filter(lambda ws: sum(ws) > 0)


@given(amounts, amounts)
def test_addition_and_subtraction_are_exact(a: Money, b: Money) -> None:
    assert exact(a + b) == exact(a) + exact(b)
    assert exact(a - b) == exact(a) - exact(b)
    assert (a + b) - b == a
    assert a + b == b + a
    assert a + -a == Money.zero()
    assert -(a + b) == -a - b


@given(amounts, factors)
def test_times_is_round_half_up_of_the_exact_product(a: Money, factor: Decimal) -> None:
    assert exact(a.times(factor)) == half_up_cents(exact(a) * Fraction(factor))


@given(decimals_below(15, 30))
def test_round_half_up_matches_the_integer_oracle(value: Decimal) -> None:
    assert Fraction(round_half_up(value)) == half_up_cents(Fraction(value))


@given(amounts, weight_lists)
def test_allocate_loses_no_cent_and_stays_within_a_cent_of_each_share(
    amount: Money, weights: list[Decimal | int]
) -> None:
    parts = allocate(amount, weights)
    assert len(parts) == len(weights)
    assert sum((exact(p) for p in parts), Fraction(0)) == exact(amount)
    whole = sum((Fraction(w) for w in weights), Fraction(0))
    for part, w in zip(parts, weights, strict=True):
        share = exact(amount) * Fraction(w) / whole
        assert abs(exact(part) - share) < Fraction(1, 100)
        if w == 0:
            assert part.is_zero()
        else:
            # a part never has the opposite sign of the amount
            assert exact(part) * exact(amount) >= 0
