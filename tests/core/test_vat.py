"""VAT as EN 16931 computes it: treatments, HTVA/TVAC conversion, and invoice totals per category and rate.

Each worked example is reproduced in docs/algorithms/vat.md under the name of its test. Every expected amount
is worked out by hand in the comment next to it; the properties compare the code with an oracle written with
``fractions.Fraction`` and integer rounding, never with the code's own expressions.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from telbill.core.catalog import rules as r
from telbill.core.catalog.inputs import Order
from telbill.core.catalog.pricing import unit_net
from telbill.core.catalog.rule_math import price_rule
from telbill.core.errors import TelbillError
from telbill.core.money import Money
from telbill.core.tax.compute import (
    PriceBasis,
    TaxableLine,
    VatSubtotal,
    compute_totals,
    gross_from_net,
    net_from_gross,
    vat_of,
)
from telbill.core.tax.treatment import VatCategory, VatTreatment

S21 = VatTreatment.parse("S21")
S12 = VatTreatment.parse("S12")
S6 = VatTreatment.parse("S6")
Z = VatTreatment.parse("Z")
E = VatTreatment.parse("E:VATEX-EU-132")
O = VatTreatment.parse("O")  # noqa: E741 - the EN 16931 category code


def m(text: str) -> Money:
    return Money.of(text)


def line(net: str, treatment: VatTreatment) -> TaxableLine:
    return TaxableLine(m(net), treatment)


def half_up_cents(value: Fraction) -> Fraction:
    """Oracle: round an exact rational to the cent, half away from zero, with integers only."""
    hundredths = abs(value) * 100
    whole = int(hundredths)
    if hundredths - whole >= Fraction(1, 2):
        whole += 1
    return Fraction(whole if value >= 0 else -whole, 100)


def exact(amount: Money) -> Fraction:
    return Fraction(amount.amount)


def raises_code(code: str) -> pytest.RaisesExc[TelbillError]:
    return pytest.raises(TelbillError, match=rf"^{code}:")


# --- treatments -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rate", "code"),
    [("S21", "21", "S21"), ("S12", "12", "S12"), ("S6", "6", "S6"), (" s6 ", "6", "S6")],
)
def test_standard_rates_parse(text: str, rate: str, code: str) -> None:
    treatment = VatTreatment.parse(text)
    assert treatment.category is VatCategory.STANDARD
    assert treatment.rate == Decimal(rate)
    assert treatment.code == code
    assert treatment.exemption_code is None


def test_the_factor_is_the_rate_over_one_hundred() -> None:
    assert S21.factor == Decimal("0.21")
    assert S6.factor == Decimal("0.06")
    assert Z.factor == 0


def test_zero_rated_has_no_rate_and_no_reason() -> None:
    assert (Z.category, Z.rate, Z.code, Z.exemption_code) == (VatCategory.ZERO, Decimal(0), "Z", None)


def test_outside_scope_gets_the_vatex_eu_o_reason() -> None:
    assert (O.category, O.rate, O.code) == (VatCategory.OUTSIDE_SCOPE, Decimal(0), "O")
    assert O.exemption_code == "VATEX-EU-O"
    assert VatTreatment(VatCategory.OUTSIDE_SCOPE, Decimal(0)).exemption_code == "VATEX-EU-O"


def test_exempt_needs_a_vatex_reason() -> None:
    assert (E.category, E.rate, E.exemption_code) == (VatCategory.EXEMPT, Decimal(0), "VATEX-EU-132")
    with raises_code("vat.exemption"):
        VatTreatment.parse("E")
    with raises_code("vat.exemption"):
        VatTreatment(VatCategory.EXEMPT, Decimal(0))  # BR-E-10 holds for values built directly too


@pytest.mark.parametrize("text", ["S20", "S0", "S5", "S9", "S", "S 21"])
def test_standard_with_a_rate_other_than_21_12_6_is_refused(text: str) -> None:
    with pytest.raises(TelbillError, match=r"^vat\.(rate|category):"):
        VatTreatment.parse(text)


@pytest.mark.parametrize("text", ["X", "", "AE", "VAT"])
def test_unknown_categories_are_refused(text: str) -> None:
    with raises_code("vat.category"):
        VatTreatment.parse(text)


def test_only_standard_carries_a_rate() -> None:
    with raises_code("vat.rate"):
        VatTreatment(VatCategory.STANDARD, Decimal("20"))
    with raises_code("vat.rate"):
        VatTreatment(VatCategory.ZERO, Decimal("21"))
    with raises_code("vat.rate"):
        VatTreatment(VatCategory.OUTSIDE_SCOPE, Decimal("6"))


# --- HTVA ↔ TVAC -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("net", "treatment", "gross"),
    [
        ("69.64", S21, "84.26"),  # 69.64 × 1.21 = 84.2644 → 84.26
        ("8.00", S21, "9.68"),  # 8 × 1.21 = 9.68
        ("200.00", S21, "242.00"),
        ("16.53", S21, "20.00"),  # 16.53 × 1.21 = 20.0013 → 20.00
        ("3.07", S21, "3.71"),  # 3.07 × 1.21 = 3.7147 → 3.71
        ("-69.64", S21, "-84.26"),  # credit: half away from zero, symmetric
        ("0.13", S12, "0.15"),  # 0.13 × 1.12 = 0.1456 → 0.15
        ("24.80", S6, "26.29"),  # 24.80 × 1.06 = 26.288 → 26.29
        ("150.00", O, "150.00"),
        ("150.00", Z, "150.00"),
    ],
)
def test_gross_from_net(net: str, treatment: VatTreatment, gross: str) -> None:
    assert gross_from_net(m(net), treatment) == m(gross)


@pytest.mark.parametrize(
    ("gross", "treatment", "net"),
    [
        ("15.00", S21, "12.40"),  # 15 / 1.21 = 12.39669… → 12.40
        ("3.72", S21, "3.07"),  # 3.72 / 1.21 = 3.07438… → 3.07
        ("20.00", S21, "16.53"),  # 20 / 1.21 = 16.52892… → 16.53
        ("0.37", S21, "0.31"),  # 0.37 / 1.21 = 0.30578… → 0.31
        ("-3.72", S21, "-3.07"),
        ("0.14", S12, "0.13"),  # 0.14 / 1.12 = 0.125 exactly: a true tie, half up → 0.13
        ("1.06", S6, "1.00"),
        ("150.00", O, "150.00"),
    ],
)
def test_net_from_gross(gross: str, treatment: VatTreatment, net: str) -> None:
    assert net_from_gross(m(gross), treatment) == m(net)


def test_belgacom_tvac_declared_15_eur_gives_12_40_not_the_printed_12_39() -> None:
    # Seed 004 prints "€ 15 | € 12,39" (trenching per metre, directory access fee…). 15 / 1.21 = 12.39669…
    # rounds to 12.40, and 12.40 × 1.21 = 15.004 → 15.00 returns the declared TVAC. The sheet's 12.39 is
    # truncated, not rounded: 12.39 × 1.21 = 14.9919 → 14.99 would not give the declared 15.00 back.
    assert net_from_gross(m("15.00"), S21) == m("12.40")
    assert gross_from_net(m("12.40"), S21) == m("15.00")
    assert gross_from_net(m("12.39"), S21) == m("14.99")


def test_belgacom_tvac_3_72_is_unreachable() -> None:
    # "Facture détaillée complète: € 3,72 | € 3,07". 3.72 / 1.21 = 3.07438… → 3.07, but one unit then
    # costs 3.07 + VAT 0.6447 → 0.64 = 3.71, and the next net cent gives 3.08 × 1.21 = 3.7268 → 3.73.
    net = net_from_gross(m("3.72"), S21)
    assert net == m("3.07")
    assert vat_of(net, S21) == m("0.64")
    assert net + vat_of(net, S21) == m("3.71")
    assert gross_from_net(m("3.08"), S21) == m("3.73")


@pytest.mark.parametrize(
    ("gross", "net_below", "gross_below", "gross_above"),
    [
        # gross_from_net only grows with the net, so if the two neighbouring net cents jump over a TVAC
        # figure, no net in cents reaches it.
        ("3.72", "3.07", "3.71", "3.73"),  # 3.07 × 1.21 = 3.7147 → 3.71; 3.08 × 1.21 = 3.7268 → 3.73
        ("0.37", "0.30", "0.36", "0.38"),  # 0.30 × 1.21 = 0.363 → 0.36;   0.31 × 1.21 = 0.3751 → 0.38
        ("24.00", "19.83", "23.99", "24.01"),  # 19.83 × 1.21 = 23.9943; 19.84 × 1.21 = 24.0064
        ("10.00", "8.26", "9.99", "10.01"),  # 8.26 × 1.21 = 9.9946;   8.27 × 1.21 = 10.0067
        ("80.00", "66.11", "79.99", "80.01"),  # 66.11 × 1.21 = 79.9931; 66.12 × 1.21 = 80.0052
    ],
)
def test_unreachable_tvac_figures_at_21(gross: str, net_below: str, gross_below: str, gross_above: str) -> None:
    below = m(net_below)
    above = below + m("0.01")
    assert gross_from_net(below, S21) == m(gross_below)
    assert gross_from_net(above, S21) == m(gross_above)
    assert m(gross_below) < m(gross) < m(gross_above)
    # and the round trip moves the figure by one cent
    assert gross_from_net(net_from_gross(m(gross), S21), S21) != m(gross)


@pytest.mark.parametrize(("treatment", "unreachable"), [(S21, 21), (S12, 12), (S6, 6)])
def test_rate_in_every_100_plus_rate_tvac_cents_are_unreachable(treatment: VatTreatment, unreachable: int) -> None:
    # Nets 0.00 … 0.99 have grosses in 0.00 … round(0.99 × (1 + rate)), i.e. 0 … 99 + rate cents (at 21 %:
    # 0.99 × 1.21 = 1.1979 → 1.20 = 120 cents): 100 + rate slots, hit by 100 distinct grosses (gross_from_net
    # is injective, see the round-trip property), so exactly `rate` slots are missed. Since 1.00 net is
    # exactly 1 + rate gross, the pattern repeats every euro of net.
    reachable = {gross_from_net(Money(Decimal(c).scaleb(-2)), treatment) for c in range(100)}
    slots = 100 + unreachable
    assert len(reachable) == 100
    assert all(Money.zero() <= g < Money(Decimal(slots).scaleb(-2)) for g in reachable)
    assert slots - len(reachable) == unreachable


@pytest.mark.parametrize(("treatment", "first_skipped"), [(S21, ["0.03", "0.09", "0.14"]), (S6, ["0.09", "0.26"])])
def test_which_tvac_cents_are_skipped(treatment: VatTreatment, first_skipped: list[str]) -> None:
    # In cents, gross(n) = n + round(r·n/100). It rises by 1 per net cent, except where round(r·n/100) steps
    # from k to k+1, i.e. at the first n with r·n/100 >= k + ½: n_k = ceil((k + ½)·100 / r). There the
    # gross jumps by 2 and skips the cent n_k + k. By hand at 21 %: n_0 = ceil(2.38) = 3 skips 3;
    # n_1 = ceil(7.14) = 8 skips 9; n_2 = ceil(11.9) = 12 skips 14. At 6 %: n_0 = ceil(8.33) = 9 skips 9;
    # n_1 = ceil(25) = 25 (0.06 × 25 = 1.5 exactly, half up) skips 26. The skipped cents of one period are
    # those k = 0 … r−1; adding 1.00 net adds exactly 1 + r gross, so a TVAC figure g is unreachable iff
    # g mod (1 + r) is one of them (3.72 = 3 × 1.21 + 0.09 and 80.00 = 66 × 1.21 + 0.14 are).
    rate = int(treatment.rate)
    skipped = [-(-(200 * k + 100) // (2 * rate)) + k for k in range(rate)]  # ceil((k + ½)·100/r) + k
    assert [Decimal(c).scaleb(-2) for c in skipped[: len(first_skipped)]] == [Decimal(s) for s in first_skipped]
    reachable = {gross_from_net(Money(Decimal(n).scaleb(-2)), treatment) for n in range(100)}
    for cent in range(100 + rate):
        gross = Money(Decimal(cent).scaleb(-2))
        assert (gross not in reachable) == (cent in skipped)


# --- invoice totals: VAT per category and rate (EN 16931 BR-CO-17) ----------------------------------------


def test_telenet_clic_bureau_invoice() -> None:
    # Seed 000, prices VAT-excluded: CLIC BUREAU 69.64 + Safespot PRO 8.00 + Speedboost 1GB Business 15.00
    # + Installation Business 200.00 = 292.64 net.
    # VAT 21 %: 292.64 × 0.21 = 58.528 + 2.9264 = 61.4544 → 61.45; gross 292.64 + 61.45 = 354.09.
    totals = compute_totals([line("69.64", S21), line("8.00", S21), line("15.00", S21), line("200.00", S21)])
    assert totals.subtotals == (VatSubtotal(S21, m("292.64"), m("61.45")),)
    assert (totals.net, totals.vat, totals.gross) == (m("292.64"), m("61.45"), m("354.09"))


def test_vat_is_rounded_once_per_category_not_per_line() -> None:
    # Seed 004, "Par page supplémentaire € 0,37 | € 0,31": three extra pages as three lines of 0.31 net.
    # Per line: 0.31 × 0.21 = 0.0651 → 0.07, three times = 0.21 (what BR-CO-17 forbids).
    # Per category: (0.31 + 0.31 + 0.31) × 0.21 = 0.93 × 0.21 = 0.1953 → 0.20; gross 0.93 + 0.20 = 1.13.
    lines = [line("0.31", S21)] * 3
    totals = compute_totals(lines)
    assert (totals.net, totals.vat, totals.gross) == (m("0.93"), m("0.20"), m("1.13"))
    assert sum(vat_of(x.net, x.treatment).amount for x in lines) == Decimal("0.21")


def test_vat_can_appear_only_on_the_category_sum() -> None:
    # Ten lines of 0.02 net at 21 %: per line 0.0042 → 0.00, so per-line VAT would be 0.00 in total.
    # Per category: 0.20 × 0.21 = 0.042 → 0.04.
    totals = compute_totals([line("0.02", S21)] * 10)
    assert (totals.net, totals.vat, totals.gross) == (m("0.20"), m("0.04"), m("0.24"))


def test_mixed_categories_give_one_subtotal_per_category_and_rate() -> None:
    # Belgacom (seed 004) figures, VAT-excluded:
    #   S21  Ligne simple, monthly fee 28.51 + Message personnalisé, access fee 24.79 = 53.30
    #        VAT 53.30 × 0.21 = 10.66 + 0.533 = 11.193 → 11.19; gross 64.49
    #   S6   indoor cabling, 10 m × 2.48 = 24.80 (illustrative: 6 % as for renovation of a dwelling
    #        over ten years old); VAT 24.80 × 0.06 = 1.488 → 1.49; gross 26.29
    #   O    GSM non-return indemnity 150.00 (damages, not a supply); VAT 0.00 (BR-O-09); gross 150.00
    #   net 53.30 + 24.80 + 150.00 = 228.10; VAT 11.19 + 1.49 = 12.68; gross 228.10 + 12.68 = 240.78
    # compute_totals is agnostic; an EN 16931 invoice may not carry O beside other categories (BR-O-11),
    # so telbill puts the indemnity on a document of its own (docs/adr/0001-…).
    totals = compute_totals([line("150.00", O), line("28.51", S21), line("24.80", S6), line("24.79", S21)])
    assert totals.subtotals == (
        VatSubtotal(S21, m("53.30"), m("11.19")),
        VatSubtotal(S6, m("24.80"), m("1.49")),
        VatSubtotal(O, m("150.00"), m("0.00")),
    )
    assert [s.gross for s in totals.subtotals] == [m("64.49"), m("26.29"), m("150.00")]
    assert (totals.net, totals.vat, totals.gross) == (m("228.10"), m("12.68"), m("240.78"))


def test_subtotals_come_in_a_stable_order_whatever_the_line_order() -> None:
    # S by falling rate, then Z, E, O; each 10.00 net: VAT 2.10, 1.20, 0.60, 0, 0, 0
    lines = [line("10.00", t) for t in (O, S6, Z, E, S12, S21)]
    totals = compute_totals(lines)
    assert [(s.treatment.code, s.vat) for s in totals.subtotals] == [
        ("S21", m("2.10")),
        ("S12", m("1.20")),
        ("S6", m("0.60")),
        ("Z", m("0.00")),
        ("E", m("0.00")),
        ("O", m("0.00")),
    ]
    # net 6 × 10.00 = 60.00; VAT 2.10 + 1.20 + 0.60 = 3.90; gross 63.90
    assert (totals.net, totals.vat, totals.gross) == (m("60.00"), m("3.90"), m("63.90"))


def test_credit_lines_net_off_inside_their_category() -> None:
    # 100.00 − 33.33 = 66.67 at 21 %: 66.67 × 0.21 = 14.0007 → 14.00; gross 80.67
    totals = compute_totals([line("100.00", S21), line("-33.33", S21)])
    assert totals.subtotals == (VatSubtotal(S21, m("66.67"), m("14.00")),)
    assert totals.gross == m("80.67")


def test_no_lines_no_subtotals() -> None:
    totals = compute_totals([])
    assert totals.subtotals == ()
    assert (totals.net, totals.vat, totals.gross) == (Money.zero(), Money.zero(), Money.zero())


# --- the net unit price is derived before multiplying (price basis TVAC) --------------------------------


def _no_base_price(code: str) -> Money:
    raise AssertionError(f"no base price expected, asked for {code}")


def test_labour_50_minutes_at_20_eur_tvac_per_started_quarter_hour() -> None:
    # Seed 004, "Par quart d'heure … € 20 | € 16,53", catalog declared TVAC.
    # Net unit price: 20 / 1.21 = 16.52892… → 16.53. 50 minutes = ceil(50 / 15) = 4 started quarter hours.
    # Line net 4 × 16.53 = 66.12. VAT 66.12 × 0.21 = 13.224 + 0.6612 = 13.8852 → 13.89. Gross 80.01.
    # Not 80.00: the unit net is 0.00107… above the exact 16.52892…, ×4 = 0.0043 net, ×1.21 = 0.0052 gross
    # above 80.00, past the half cent. And no net in cents gives 80.00 at all (see the unreachable table).
    price = r.Price(tvac=Decimal("20.00"), htva=Decimal("16.53"))
    rule = r.PerStartedUnit(rule="per_started_unit", unit="minute", block=15, price=price)
    assert unit_net(price, S21, PriceBasis.GROSS) == m("16.53")

    result = price_rule(
        rule, Order("LABOUR", Decimal(50)), lambda p: unit_net(p, S21, PriceBasis.GROSS), _no_base_price
    )
    assert result.net == m("66.12")
    totals = compute_totals([TaxableLine(result.net, S21)])
    assert (totals.net, totals.vat, totals.gross) == (m("66.12"), m("13.89"), m("80.01"))


def test_line_net_is_quantity_times_the_net_unit_price() -> None:
    # 100 detailed invoices at "€ 3,72 | € 3,07", catalog declared TVAC. Per unit: 3.72 / 1.21 → 3.07, so
    # the line is 100 × 3.07 = 307.00 and an invoice line (BT-146 3.07, BT-129 100, BT-131 307.00) satisfies
    # PEPPOL-EN16931-R120. Deriving the net from the line's TVAC total instead, 372.00 / 1.21 = 307.438… →
    # 307.44, would disagree with 100 × 3.07 by 0.44, beyond R120's 0.02 slack.
    price = r.Price(tvac=Decimal("3.72"), htva=Decimal("3.07"))
    rule = r.Flat(rule="flat", price=price)
    result = price_rule(
        rule, Order("DETAIL", Decimal(100)), lambda p: unit_net(p, S21, PriceBasis.GROSS), _no_base_price
    )
    assert result.net == m("307.00")
    assert net_from_gross(m("372.00"), S21) == m("307.44")
    # VAT 307.00 × 0.21 = 64.47; gross 371.47 (100 × the unreachable 3.72 would be 372.00)
    totals = compute_totals([TaxableLine(result.net, S21)])
    assert (totals.vat, totals.gross) == (m("64.47"), m("371.47"))


def test_htva_basis_takes_the_printed_net_as_is() -> None:
    # Telenet declares HTVA: the net unit price is the printed figure, no rounding at all.
    assert unit_net(r.Price(htva=Decimal("69.64")), S21, PriceBasis.NET) == m("69.64")
    # A TVAC-declared sheet that printed both: the TVAC figure is authoritative (15 / 1.21 → 12.40).
    both = r.Price(tvac=Decimal("15.00"), htva=Decimal("12.39"))
    assert unit_net(both, S21, PriceBasis.GROSS) == m("12.40")
    assert unit_net(both, S21, PriceBasis.NET) == m("12.39")


# --- properties -----------------------------------------------------------------------------------------

RATED = st.sampled_from([S21, S12, S6])
ALL = st.sampled_from([S21, S12, S6, Z, E, O])
cents = st.integers(min_value=-(10**11), max_value=10**11)
amounts = cents.map(lambda c: Money(Decimal(c).scaleb(-2)))
lines_strategy = st.lists(
    st.builds(TaxableLine, st.integers(-(10**8), 10**8).map(lambda c: Money(Decimal(c).scaleb(-2))), ALL),
    max_size=30,
)


@given(amounts, RATED)
def test_htva_tvac_htva_round_trips(net: Money, treatment: VatTreatment) -> None:
    # Claim: net_from_gross(gross_from_net(n)) == n for every n in cents and every rate r > 0.
    # Proof: g = round(n(1+r)) is within half a cent of n(1+r), so g/(1+r) is within 0.5/(1+r) of a cent
    # of n: strictly less than half a cent, and rounding it (whatever the tie rule) gives n back.
    assert net_from_gross(gross_from_net(net, treatment), treatment) == net


@given(amounts, RATED)
def test_tvac_htva_tvac_moves_at_most_one_cent_onto_a_reachable_figure(gross: Money, treatment: VatTreatment) -> None:
    # The other way does not round-trip (3.72 → 3.07 → 3.71). What holds: n = round(g/(1+r)) is within half
    # a cent of g/(1+r), so n(1+r) is within 0.5(1+r) cents of g, and g' = round(n(1+r)) is within
    # 0.5(1+r) + 0.5 cents of g (1.105 at 21 %); both are whole cents, so they differ by one cent at most.
    # g' is the gross of a net, so it round-trips (previous property); g round-trips iff it is reachable.
    back = gross_from_net(net_from_gross(gross, treatment), treatment)
    assert abs(exact(back) - exact(gross)) <= Fraction(1, 100)
    assert gross_from_net(net_from_gross(back, treatment), treatment) == back


@given(amounts, RATED)
def test_htva_to_tvac_is_odd_and_periodic(net: Money, treatment: VatTreatment) -> None:
    # half away from zero is symmetric; and 1.00 net is exactly 1 + rate gross, a whole number of cents, so
    # adding it shifts the gross by that step — while net and net + 1.00 are on the same side of zero: across
    # zero the rounding direction flips (−0.50 → −0.605 → −0.61, but 0.50 → 0.605 → 0.61, and −0.61 + 1.21 ≠ 0.61)
    assert gross_from_net(-net, treatment) == -gross_from_net(net, treatment)
    step = Money(Decimal(100 + int(treatment.rate)).scaleb(-2))
    same_side = -net if net.is_negative() else net
    assert gross_from_net(same_side + m("1.00"), treatment) == gross_from_net(same_side, treatment) + step


@given(amounts, ALL)
def test_conversions_match_the_oracle(amount: Money, treatment: VatTreatment) -> None:
    one_plus_rate = 1 + Fraction(treatment.rate) / 100
    assert exact(gross_from_net(amount, treatment)) == half_up_cents(exact(amount) * one_plus_rate)
    assert exact(net_from_gross(amount, treatment)) == half_up_cents(exact(amount) / one_plus_rate)


@given(lines_strategy)
def test_totals_agree_with_the_lines(lines: list[TaxableLine]) -> None:
    totals = compute_totals(lines)
    # BR-CO-10/13: net total = sum of line nets
    assert exact(totals.net) == sum((exact(x.net) for x in lines), Fraction(0))
    # BR-CO-14: VAT total = sum of the subtotals' VAT; BR-CO-15: gross = net + VAT
    assert exact(totals.vat) == sum((exact(s.vat) for s in totals.subtotals), Fraction(0))
    assert totals.gross == totals.net + totals.vat
    # one subtotal per treatment used, each with the sum of its lines and VAT rounded once on that sum
    assert {s.treatment for s in totals.subtotals} == {x.treatment for x in lines}
    assert len(totals.subtotals) == len({x.treatment for x in lines})
    for subtotal in totals.subtotals:
        taxable = sum((exact(x.net) for x in lines if x.treatment == subtotal.treatment), Fraction(0))
        assert exact(subtotal.taxable) == taxable  # BR-S-08 and its siblings
        assert exact(subtotal.vat) == half_up_cents(taxable * Fraction(subtotal.treatment.rate) / 100)


@given(lines_strategy.flatmap(lambda lines: st.tuples(st.just(lines), st.permutations(lines))))
def test_totals_do_not_depend_on_the_line_order(
    lines_and_shuffled: tuple[list[TaxableLine], list[TaxableLine]],
) -> None:
    lines, shuffled = lines_and_shuffled
    assert compute_totals(shuffled) == compute_totals(lines)


@given(lines_strategy)
def test_category_vat_is_within_half_a_cent_per_line_of_per_line_rounding(lines: list[TaxableLine]) -> None:
    # Per group of n lines: Σ round(v_i) − round(Σ v_i) = Σ e_i − e, with |e_i|, |e| ≤ 0.5 ct, so at most
    # (n+1)/2 cents, and reaching that needs every error at exactly ±0.5 ct with the same sign — impossible:
    # n half-cent errors of one sign make Σ v_i whole cents (n even, e = 0) or a half cent of the same sign
    # (n odd, e has the same sign and cancels one). Being whole cents, the gap is at most floor(n/2) cents,
    # hence at most n × 0.005 over the invoice.
    totals = compute_totals(lines)
    per_line_total = Fraction(0)
    for subtotal in totals.subtotals:
        group = [x for x in lines if x.treatment == subtotal.treatment]
        rate = Fraction(subtotal.treatment.rate) / 100
        per_line = sum((half_up_cents(exact(x.net) * rate) for x in group), Fraction(0))
        per_line_total += per_line
        assert abs(per_line - exact(subtotal.vat)) <= Fraction(len(group) // 2, 100)
    assert abs(per_line_total - exact(totals.vat)) <= Fraction(len(lines), 200)
