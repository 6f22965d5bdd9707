"""Recurring charges reconciled period by period on the seed catalogs, every amount worked out by hand.

Prices (net, VAT excluded):
- Telenet CLIC BUREAU 69.64, Safespot PRO 8.00, Speedboost 1GB 15.00 (the sheet is HTVA).
- Belgacom directory line: simple 34.49 TVAC → 34.49 / 1.21 = 28.5041… → 28.50; with 10 DDI numbers
  43.49 TVAC → 43.49 / 1.21 = 35.9421… → 35.94 (the sheet is TVAC first).

``Biller`` plays the bill run's part: it bills one period with the events known then and remembers what each
line charged, as the documents would; the next period is reconciled against that (docs/algorithms/proration.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from telbill.core.billing.charges import (
    BilledRecurring,
    ChargeKind,
    ChargeLine,
    PendingCharge,
    PricingAt,
    RecurringRequest,
    net_total,
    one_time_charges,
    recurring_charges,
)
from telbill.core.billing.cycles import period_of
from telbill.core.catalog.inputs import Order
from telbill.core.catalog.pricing import PricingContext
from telbill.core.catalog.schema import Segment
from telbill.core.money import Money
from telbill.core.period import DateRange
from telbill.core.subscriptions import Event, EventKind, Timeline, replay
from telbill.core.tax.treatment import VatCategory
from tests.catalogs.conftest import context

TELENET = "telenet-clic-bureau"
BELGACOM = "belgacom-fees-indemnities"
K = EventKind


def d(text: str) -> date:
    return date.fromisoformat(text)


def ev(kind: EventKind, day: str, item: str | None = None) -> Event:
    return Event(kind, d(day), item)


def pricing(catalog_id: str, segment: Segment = Segment.PROFESSIONAL) -> PricingAt:
    def at(_day: date) -> PricingContext:
        return context(catalog_id, segment)  # the seeds have one version each

    return at


def period(label: str, billing_day: int = 1) -> DateRange:
    year, month = (int(part) for part in label.split("-"))
    return period_of(year, month, billing_day)


def summary(lines: Sequence[ChargeLine]) -> list[tuple[str, str, str]]:
    """(first day of the billing period reconciled, item, net) of each line, in the order of the lines."""
    return [(str(line.period_start), line.item_code, str(line.net)) for line in lines]


class Biller:
    """One subscription billed period after period; remembers what each recurring line charged."""

    def __init__(self, catalog_id: str, segment: Segment = Segment.PROFESSIONAL, billing_day: int = 1) -> None:
        self.pricing_at = pricing(catalog_id, segment)
        self.billing_day = billing_day
        self.billed: list[BilledRecurring] = []

    def lines(self, timeline: Timeline, target: str) -> list[ChargeLine]:
        request = RecurringRequest(
            "SUB-1", timeline, self.billing_day, period(target, self.billing_day), tuple(self.billed)
        )
        return recurring_charges(self.pricing_at, request)

    def bill(self, timeline: Timeline, target: str) -> list[ChargeLine]:
        lines = self.lines(timeline, target)
        for line in lines:
            assert line.period_start is not None
            self.billed.append(BilledRecurring("SUB-1", line.item_code, line.period_start, line.net))
        return lines


def test_nothing_before_activation() -> None:
    biller = Biller(TELENET)
    ordered = replay("CLIC-BUREAU", (ev(K.REQUEST_INSTALLATION, "2026-03-01"),), ("SAFESPOT-PRO",))
    assert biller.lines(ordered, "2026-03") == []
    # activated in April: a March bill has nothing to say yet
    activated = replay("CLIC-BUREAU", (ev(K.ACTIVATE, "2026-04-02"),))
    assert biller.lines(activated, "2026-03") == []


def test_activation_mid_month_prorates_the_first_period_and_bills_the_next_in_advance() -> None:
    timeline = replay("CLIC-BUREAU", (ev(K.ACTIVATE, "2026-03-20"),), ("SAFESPOT-PRO",))
    lines = Biller(TELENET).bill(timeline, "2026-04")
    # March: in service 20..31 = 12 of 31 days
    #   CLIC BUREAU 69.64 × 12 = 835.68; / 31 = 26.9574… → 26.96
    #   Safespot PRO 8.00 × 12 = 96.00; / 31 = 3.0967… → 3.10
    # April, in advance: the whole fees
    assert summary(lines) == [
        ("2026-03-01", "CLIC-BUREAU", "26.96"),
        ("2026-03-01", "SAFESPOT-PRO", "3.10"),
        ("2026-04-01", "CLIC-BUREAU", "69.64"),
        ("2026-04-01", "SAFESPOT-PRO", "8.00"),
    ]
    assert net_total(lines) == Money.of("107.70")  # 26.96 + 3.10 + 69.64 + 8.00
    first = lines[0]
    assert (first.kind, first.subscription_id, first.treatment.category) == (
        ChargeKind.RECURRING,
        "SUB-1",
        VatCategory.STANDARD,
    )
    assert (first.billed_quantity, first.unit_price, first.unit_code) == (Decimal(1), Money.of("26.96"), "C62")
    # the line states the days it charges: 20..31 March
    assert first.service_period == DateRange(d("2026-03-20"), d("2026-04-01"))
    assert lines[2].service_period == period("2026-04")
    assert first.label == "CLIC BUREAU"  # the catalog's label; the arithmetic is in the provenance
    assert first.provenance.rule == "recurring_prorated_by_days"
    assert dict(first.provenance.inputs)["active_days"] == "12"
    assert dict(first.provenance.inputs)["period_days"] == "31"
    assert first.provenance.explanation == "69.64 per period × 12 of 31 days = 26.96"


def test_a_rerun_with_the_billed_amounts_fed_back_gives_no_line() -> None:
    biller = Biller(TELENET)
    timeline = replay("CLIC-BUREAU", (ev(K.ACTIVATE, "2026-03-20"),), ("SAFESPOT-PRO",))
    assert biller.bill(timeline, "2026-04") != []
    assert biller.lines(timeline, "2026-04") == []
    # the next period only bills the next advance: March and April are settled
    assert summary(biller.lines(timeline, "2026-05")) == [
        ("2026-05-01", "CLIC-BUREAU", "69.64"),
        ("2026-05-01", "SAFESPOT-PRO", "8.00"),
    ]


def test_termination_mid_month_after_the_advance_gives_a_credit() -> None:
    biller = Biller(TELENET)
    events = (ev(K.ACTIVATE, "2026-01-01"), ev(K.TERMINATE, "2026-06-11"))
    for month in ("2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"):
        biller.bill(replay("CLIC-BUREAU", events[:1], ("SAFESPOT-PRO",)), month)  # termination not known yet
    assert sum(b.amount.amount for b in biller.billed) == 6 * (Decimal("69.64") + Decimal("8.00"))
    lines = biller.bill(replay("CLIC-BUREAU", events, ("SAFESPOT-PRO",)), "2026-07")
    # June: in service 1..10 June = 10 of 30 days, billed in full in advance
    #   CLIC BUREAU 69.64 × 10 = 696.40; / 30 = 23.2133… → 23.21; 23.21 − 69.64 = −46.43
    #   Safespot PRO 8.00 × 10 = 80.00; / 30 = 2.6666… → 2.67; 2.67 − 8.00 = −5.33
    # July: nothing (no service, nothing billed)
    assert summary(lines) == [("2026-06-01", "CLIC-BUREAU", "-46.43"), ("2026-06-01", "SAFESPOT-PRO", "-5.33")]
    credit = lines[0]
    # an invoice line states a positive unit price: −1 × 46.43
    assert (credit.billed_quantity, credit.unit_price) == (Decimal(-1), Money.of("46.43"))
    assert credit.service_period == period("2026-06")  # a credit corrects the period as a whole
    assert "already billed 69.64; difference -46.43" in credit.provenance.explanation
    # fed back, the credit settles June: nothing more, ever
    assert biller.lines(replay("CLIC-BUREAU", events, ("SAFESPOT-PRO",)), "2026-08") == []


def test_an_option_added_and_removed_in_the_same_period() -> None:
    biller = Biller(TELENET)
    events = (
        ev(K.ACTIVATE, "2026-01-01"),
        ev(K.ADD_OPTION, "2026-05-03", "SPEEDBOOST-1GB"),
        ev(K.REMOVE_OPTION, "2026-05-14", "SPEEDBOOST-1GB"),
    )
    for month in ("2026-01", "2026-02", "2026-03", "2026-04", "2026-05"):
        biller.bill(replay("CLIC-BUREAU", events[:1]), month)  # the May bill of 1 May knew nothing of it
    lines = biller.bill(replay("CLIC-BUREAU", events), "2026-06")
    # Speedboost in service 3..13 May = 11 of 31 days: 15.00 × 11 = 165.00; / 31 = 5.3225… → 5.32
    # June: the plan only
    assert summary(lines) == [("2026-05-01", "SPEEDBOOST-1GB", "5.32"), ("2026-06-01", "CLIC-BUREAU", "69.64")]


def test_a_plan_change_mid_period_between_two_recurring_belgacom_items() -> None:
    biller = Biller(BELGACOM, Segment.RESIDENTIAL)
    events = (ev(K.ACTIVATE, "2026-01-01"), ev(K.CHANGE_PLAN, "2026-03-12", "DIRECTORY-LINE-DDI10"))
    for month in ("2026-01", "2026-02", "2026-03"):
        lines = biller.bill(replay("DIRECTORY-LINE-SIMPLE", events[:1]), month)
        assert summary(lines) == [(f"{month}-01", "DIRECTORY-LINE-SIMPLE", "28.50")]
    lines = biller.bill(replay("DIRECTORY-LINE-SIMPLE", events), "2026-04")
    # March: the simple line 1..11 March = 11 of 31 days: 28.50 × 11 = 313.50; / 31 = 10.1129… → 10.11;
    #        billed 28.50 in advance: 10.11 − 28.50 = −18.39
    #        the DDI line 12..31 March = 20 of 31 days: 35.94 × 20 = 718.80; / 31 = 23.1870… → 23.19
    # April: the DDI line in advance, 35.94
    assert summary(lines) == [
        ("2026-03-01", "DIRECTORY-LINE-DDI10", "23.19"),
        ("2026-03-01", "DIRECTORY-LINE-SIMPLE", "-18.39"),
        ("2026-04-01", "DIRECTORY-LINE-DDI10", "35.94"),
    ]
    assert net_total(lines) == Money.of("40.74")  # −18.39 + 23.19 + 35.94
    # March cost 10.11 + 23.19 = 33.30 in all: 28.50 billed before, 4.80 now (23.19 − 18.39)
    assert biller.lines(replay("DIRECTORY-LINE-SIMPLE", events), "2026-04") == []


def test_a_late_event_is_corrected_on_the_next_invoice() -> None:
    # Safespot PRO added on 20 April, but recorded only after the May invoice was issued.
    biller = Biller(TELENET)
    events = (ev(K.ACTIVATE, "2026-01-01"), ev(K.ADD_OPTION, "2026-04-20", "SAFESPOT-PRO"))
    for month in ("2026-01", "2026-02", "2026-03", "2026-04", "2026-05"):
        biller.bill(replay("CLIC-BUREAU", events[:1]), month)
    lines = biller.bill(replay("CLIC-BUREAU", events), "2026-06")
    # April: 20..30 April = 11 of 30 days: 8.00 × 11 = 88.00; / 30 = 2.9333… → 2.93
    # May: the whole month, never billed: 8.00. June in advance: 69.64 + 8.00
    assert summary(lines) == [
        ("2026-04-01", "SAFESPOT-PRO", "2.93"),
        ("2026-05-01", "SAFESPOT-PRO", "8.00"),
        ("2026-06-01", "CLIC-BUREAU", "69.64"),
        ("2026-06-01", "SAFESPOT-PRO", "8.00"),
    ]
    assert net_total(lines) == Money.of("88.57")  # 2.93 + 8.00 + 69.64 + 8.00


def test_billing_day_15() -> None:
    biller = Biller(TELENET, billing_day=15)
    events = (ev(K.ACTIVATE, "2026-02-20"), ev(K.TERMINATE, "2026-04-01"))
    lines = biller.bill(replay("CLIC-BUREAU", events[:1]), "2026-03")
    # [15 Feb, 15 Mar) has 28 days; in service 20..28 Feb (9) + 1..14 Mar (14) = 23 days:
    #   69.64 × 23 = 1601.72; / 28 = 57.2042… → 57.20
    # [15 Mar, 15 Apr) in advance: 69.64
    assert summary(lines) == [("2026-02-15", "CLIC-BUREAU", "57.20"), ("2026-03-15", "CLIC-BUREAU", "69.64")]
    lines = biller.bill(replay("CLIC-BUREAU", events), "2026-04")
    # terminated 1 April: in service 15..31 March = 17 of the 31 days of [15 Mar, 15 Apr):
    #   69.64 × 17 = 1183.88; / 31 = 38.1896… → 38.19; billed 69.64: 38.19 − 69.64 = −31.45
    assert summary(lines) == [("2026-03-15", "CLIC-BUREAU", "-31.45")]


def test_a_subscription_activated_and_terminated_within_one_period_before_its_first_bill() -> None:
    events = (ev(K.ACTIVATE, "2026-03-05"), ev(K.TERMINATE, "2026-03-25"))
    lines = Biller(TELENET).bill(replay("CLIC-BUREAU", events), "2026-04")
    # in service 5..24 March = 20 of 31 days: 69.64 × 20 = 1392.80; / 31 = 44.9290… → 44.93; April: nothing
    assert summary(lines) == [("2026-03-01", "CLIC-BUREAU", "44.93")]


def test_one_time_charges_are_priced_on_their_day_and_keep_their_source() -> None:
    pending = [
        PendingCharge("SUB-1:install", "SUB-1", Order("INSTALL-BUSINESS"), d("2026-03-10"), ""),
        PendingCharge("SUB-1:confort", "SUB-1", Order("INSTALL-CONFORT"), d("2026-03-11"), "second site"),
    ]
    lines = one_time_charges(pricing(TELENET), pending)
    assert [(line.item_code, str(line.net), line.source_id, line.day) for line in lines] == [
        ("INSTALL-BUSINESS", "200.00", "SUB-1:install", d("2026-03-10")),
        ("INSTALL-CONFORT", "70.25", "SUB-1:confort", d("2026-03-11")),
    ]
    assert all(line.kind is ChargeKind.ONE_TIME and line.service_period is None for line in lines)
    assert lines[0].label == "Installation Business"
    assert lines[1].label == "Installation Confort — second site"
    assert net_total(lines) == Money.of("270.25")  # 200.00 + 70.25


def test_the_same_reconciliation_for_two_subscriptions_keeps_each_ones_subscription_and_days() -> None:
    # The words of a recurring line depend on the item, the period, the days and what was billed; a bill run
    # shares them between accounts. SUB-1 runs from 10 March, SUB-2 from 20 March: different Marches, the
    # same April (69.64, the whole period), each on its own line with its own subscription and service period.
    # March: SUB-1 69.64 × 22 / 31 = 1532.08 / 31 = 49.4219… → 49.42; SUB-2 69.64 × 12 / 31 = 26.9574… → 26.96
    target = period("2026-04")
    lines = {
        (subscription, day): recurring_charges(
            pricing(TELENET),
            RecurringRequest(subscription, replay("CLIC-BUREAU", (ev(K.ACTIVATE, day),)), 1, target),
        )
        for subscription, day in (("SUB-1", "2026-03-10"), ("SUB-2", "2026-03-20"))
    }
    first, second = lines[("SUB-1", "2026-03-10")], lines[("SUB-2", "2026-03-20")]
    assert summary(first) == [("2026-03-01", "CLIC-BUREAU", "49.42"), ("2026-04-01", "CLIC-BUREAU", "69.64")]
    assert summary(second) == [("2026-03-01", "CLIC-BUREAU", "26.96"), ("2026-04-01", "CLIC-BUREAU", "69.64")]
    assert [line.subscription_id for line in first + second] == ["SUB-1", "SUB-1", "SUB-2", "SUB-2"]
    assert first[0].service_period == DateRange(d("2026-03-10"), d("2026-04-01"))
    assert second[0].service_period == DateRange(d("2026-03-20"), d("2026-04-01"))
    assert first[1].provenance == second[1].provenance
    assert first[1].provenance.explanation == "69.64 per period × the whole period = 69.64"


def test_a_negative_zero_billed_before_is_written_as_zero() -> None:
    # 0.00 and -0.00 are equal amounts but printed apart. A rounded credit can be -0.00; what was billed is a
    # sum starting from 0.00, and 0.00 + (-0.00) = 0.00: the provenance says 0.00 whichever came first, and
    # 69.64 − 0.00 = 69.64 does not mention what was billed (zero)
    timeline = replay("CLIC-BUREAU", (ev(K.ACTIVATE, "2026-04-01"),))
    for zero in ("-0.00", "0.00", "-0.00"):
        billed = (BilledRecurring("SUB-1", "CLIC-BUREAU", d("2026-04-01"), Money(Decimal(zero))),)
        [line] = recurring_charges(pricing(TELENET), RecurringRequest("SUB-1", timeline, 1, period("2026-04"), billed))
        assert (str(line.net), dict(line.provenance.inputs)["already_billed"]) == ("69.64", "0.00")
        assert line.provenance.explanation == "69.64 per period × the whole period = 69.64"
