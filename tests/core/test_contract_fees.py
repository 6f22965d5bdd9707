"""Fees the contract charges by itself (Belgacom seed, section 1), every amount worked out by hand.

- "Résiliation anticipée: 100% du montant des redevances restant dues jusqu'à l'échéance de la première
  année": the recurring fees from the termination day to the first anniversary, period by period.
- "Frais administratifs de remise en service": 30.00 per reactivation after a suspension.
- "Non restitution d'un GSM endéans les 30 jours calendrier suivant le raccordement": 150.00.

The directory line is 34.49 TVAC → 34.49 / 1.21 = 28.5041… → 28.50 net a month; with 10 DDI numbers
43.49 / 1.21 = 35.9421… → 35.94.
"""

from __future__ import annotations

from datetime import date

import pytest

from telbill.core.accounts import Account
from telbill.core.billing.charges import PricingAt, one_time_charges
from telbill.core.billing.contract_fees import (
    ContractFacts,
    add_months,
    device_not_returned,
    early_termination,
    reactivation_days,
    reactivation_fees,
    remaining_fees,
)
from telbill.core.billing.parties import Language, Party
from telbill.core.billing.run import contract_charges, timeline_of
from telbill.core.catalog.pricing import PricingContext
from telbill.core.catalog.schema import ContractPolicies, Segment
from telbill.core.money import Money
from telbill.core.subscriptions import DeviceLoan, Event, EventKind, Subscription, Timeline, replay
from telbill.core.tax.treatment import VatCategory
from tests.catalogs.conftest import context, seed_catalog

BELGACOM = "belgacom-fees-indemnities"
TELENET = "telenet-clic-bureau"
K = EventKind


def d(text: str) -> date:
    return date.fromisoformat(text)


def ev(kind: EventKind, day: str, item: str | None = None) -> Event:
    return Event(kind, d(day), item)


def pricing(catalog_id: str = BELGACOM) -> PricingAt:
    def at(_day: date) -> PricingContext:
        return context(catalog_id, Segment.RESIDENTIAL)

    return at


def policies(catalog_id: str = BELGACOM) -> ContractPolicies:
    return seed_catalog(catalog_id).versions[-1].policies


def line(*events: Event, plan: str = "DIRECTORY-LINE-SIMPLE") -> Timeline:
    return replay(plan, events)


def facts(timeline: Timeline, billing_day: int = 1, reactivations: tuple[date, ...] = ()) -> ContractFacts:
    return ContractFacts("SUB-1", timeline, reactivations, billing_day)


def test_the_belgacom_policies_are_those_of_the_sheet() -> None:
    belgacom = policies()
    assert (belgacom.commitment_months, belgacom.device_return_days) == (12, 30)
    assert (belgacom.early_termination_fee, belgacom.reactivation_fee, belgacom.device_not_returned_fee) == (
        "EARLY-TERMINATION",
        "REACTIVATION-FEE",
        "GSM-NOT-RETURNED",
    )
    telenet = policies(TELENET)  # the Telenet sheet charges none of these
    assert (telenet.early_termination_fee, telenet.reactivation_fee, telenet.device_not_returned_fee) == (None,) * 3


# --- add_months ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2026-01-01", 12, "2027-01-01"),
        ("2026-01-31", 1, "2026-02-28"),  # no 31 February: the last day of the month
        ("2028-01-31", 1, "2028-02-29"),  # leap year
        ("2026-01-30", 1, "2026-02-28"),
        ("2026-01-29", 1, "2026-02-28"),
        ("2028-01-29", 1, "2028-02-29"),
        ("2028-02-29", 12, "2029-02-28"),  # a leap day's anniversary
        ("2028-02-29", 48, "2032-02-29"),
        ("2026-03-31", 1, "2026-04-30"),
        ("2026-12-15", 1, "2027-01-15"),  # across the year end
        ("2026-05-31", 9, "2027-02-28"),
        ("2026-03-31", -1, "2026-02-28"),
        ("2026-03-15", 0, "2026-03-15"),
    ],
)
def test_add_months(day: str, months: int, expected: str) -> None:
    assert add_months(d(day), months) == d(expected)


# --- Early termination ---------------------------------------------------------------------------------


def test_early_termination_mid_month_by_hand() -> None:
    timeline = line(ev(K.ACTIVATE, "2026-01-01"), ev(K.TERMINATE, "2026-10-17"))
    # anniversary 1 January 2027. Remaining, period by period:
    #   17..31 October = 15 of 31 days: 28.50 × 15 = 427.50; / 31 = 13.7903… → 13.79
    #   November (30 of 30 days): 28.50; December (31 of 31): 28.50
    #   13.79 + 28.50 + 28.50 = 70.79
    assert remaining_fees(pricing(), timeline, d("2027-01-01"), 1) == Money.of("70.79")
    charge = early_termination(pricing(), policies(), facts(timeline))
    assert charge is not None
    assert (charge.id, charge.subscription_id, charge.day) == ("SUB-1:early-termination", "SUB-1", d("2026-10-17"))
    assert charge.order.code == "EARLY-TERMINATION"
    assert charge.order.param("remaining_fees") == "70.79"
    assert charge.reason == "terminated 2026-10-17, before 2027-01-01"
    # priced: 100 % of 70.79 = 70.79, damages outside the scope of VAT
    (priced,) = one_time_charges(pricing(), [charge])
    assert priced.net == Money.of("70.79")
    assert priced.treatment.category is VatCategory.OUTSIDE_SCOPE


def test_early_termination_on_the_first_of_a_month_counts_whole_months() -> None:
    timeline = line(ev(K.ACTIVATE, "2026-01-01"), ev(K.TERMINATE, "2026-04-01"))
    # April .. December = 9 whole months: 9 × 28.50 = 256.50
    charge = early_termination(pricing(), policies(), facts(timeline))
    assert charge is not None and charge.order.param("remaining_fees") == "256.50"


def test_early_termination_the_day_before_the_anniversary() -> None:
    timeline = line(ev(K.ACTIVATE, "2026-01-01"), ev(K.TERMINATE, "2026-12-31"))
    # 31 December only = 1 of 31 days: 28.50 / 31 = 0.9193… → 0.92
    charge = early_termination(pricing(), policies(), facts(timeline))
    assert charge is not None and charge.order.param("remaining_fees") == "0.92"


@pytest.mark.parametrize("terminated", ["2027-01-01", "2027-01-02", "2027-06-30"])
def test_no_early_termination_fee_on_or_after_the_anniversary(terminated: str) -> None:
    timeline = line(ev(K.ACTIVATE, "2026-01-01"), ev(K.TERMINATE, terminated))
    assert early_termination(pricing(), policies(), facts(timeline)) is None


def test_early_termination_with_billing_day_15_and_an_anniversary_mid_period() -> None:
    timeline = line(ev(K.ACTIVATE, "2026-01-20"), ev(K.TERMINATE, "2026-11-03"))
    # anniversary 20 January 2027; periods run from the 15th:
    #   [15 Oct, 15 Nov) 31 days, remaining 3..14 Nov = 12 days: 28.50 × 12 = 342.00; / 31 = 11.0322… → 11.03
    #   [15 Nov, 15 Dec) whole: 28.50; [15 Dec, 15 Jan) whole: 28.50
    #   [15 Jan, 15 Feb) 31 days, remaining 15..19 Jan = 5 days: 28.50 × 5 = 142.50; / 31 = 4.5967… → 4.60
    #   11.03 + 28.50 + 28.50 + 4.60 = 72.63
    charge = early_termination(pricing(), policies(), facts(timeline, billing_day=15))
    assert charge is not None and charge.order.param("remaining_fees") == "72.63"


def test_early_termination_after_a_plan_change_counts_the_plan_in_force() -> None:
    timeline = line(
        ev(K.ACTIVATE, "2026-01-01"),
        ev(K.CHANGE_PLAN, "2026-03-12", "DIRECTORY-LINE-DDI10"),
        ev(K.TERMINATE, "2026-11-16"),
    )
    # 16..30 November = 15 of 30 days: 35.94 × 15 = 539.10; / 30 = 17.97; December 35.94; 17.97 + 35.94 = 53.91
    charge = early_termination(pricing(), policies(), facts(timeline))
    assert charge is not None and charge.order.param("remaining_fees") == "53.91"


def test_no_early_termination_fee_without_activation_or_termination_or_policy() -> None:
    never_activated = line(ev(K.REQUEST_INSTALLATION, "2026-01-01"), ev(K.TERMINATE, "2026-02-01"))
    assert early_termination(pricing(), policies(), facts(never_activated)) is None
    running = line(ev(K.ACTIVATE, "2026-01-01"))
    assert early_termination(pricing(), policies(), facts(running)) is None
    terminated = line(ev(K.ACTIVATE, "2026-01-01"), ev(K.TERMINATE, "2026-04-01"))
    assert early_termination(pricing(), policies(TELENET), facts(terminated)) is None


# --- Reactivation --------------------------------------------------------------------------------------


def test_a_reactivation_fee_per_reactivation_day() -> None:
    events = (
        ev(K.ACTIVATE, "2026-01-01"),
        ev(K.SUSPEND, "2026-02-10"),
        ev(K.REACTIVATE, "2026-02-20"),
        ev(K.SUSPEND, "2026-05-01"),
        ev(K.REACTIVATE, "2026-05-04"),
    )
    days = reactivation_days(tuple((e.kind, e.day) for e in events))
    assert days == (d("2026-02-20"), d("2026-05-04"))
    charges = reactivation_fees(policies(), facts(line(*events), reactivations=days))
    assert [(c.id, c.order.code, c.day, c.reason) for c in charges] == [
        ("SUB-1:reactivation:2026-02-20", "REACTIVATION-FEE", d("2026-02-20"), "reactivated 2026-02-20"),
        ("SUB-1:reactivation:2026-05-04", "REACTIVATION-FEE", d("2026-05-04"), "reactivated 2026-05-04"),
    ]
    priced = one_time_charges(pricing(), charges)
    assert [str(p.net) for p in priced] == ["30.00", "30.00"]  # the sheet's single figure, € 30
    assert {p.treatment.category for p in priced} == {VatCategory.OUTSIDE_SCOPE}
    assert reactivation_fees(policies(TELENET), facts(line(*events), reactivations=days)) == []


# --- A GSM not returned within 30 calendar days ---------------------------------------------------------
# Connected 5 January 2026: the 30 calendar days that follow are 6 January .. 4 February (26 + 4 days).


def loan(returned: str | None = None, connected: str = "2026-01-05") -> DeviceLoan:
    return DeviceLoan("GSM-1", d(connected), None if returned is None else d(returned))


def test_a_gsm_returned_on_the_30th_day_costs_nothing() -> None:
    assert device_not_returned(policies(), "SUB-1", loan("2026-02-04"), d("2026-06-01")) is None


def test_a_gsm_returned_on_the_31st_day_costs_the_indemnity() -> None:
    charge = device_not_returned(policies(), "SUB-1", loan("2026-02-05"), d("2026-06-01"))
    assert charge is not None
    assert (charge.id, charge.order.code, charge.day) == (
        "SUB-1:device-not-returned:GSM-1",
        "GSM-NOT-RETURNED",
        d("2026-02-05"),  # due from the first day after the deadline
    )
    assert charge.reason == "device GSM-1 connected 2026-01-05, not returned by 2026-02-04"
    (priced,) = one_time_charges(pricing(), [charge])
    assert priced.net == Money.of("150.00") and priced.treatment.category is VatCategory.OUTSIDE_SCOPE


def test_a_gsm_not_returned_is_charged_only_once_the_deadline_has_passed() -> None:
    assert device_not_returned(policies(), "SUB-1", loan(), d("2026-01-05")) is None
    assert device_not_returned(policies(), "SUB-1", loan(), d("2026-02-04")) is None  # today = deadline: not yet
    charge = device_not_returned(policies(), "SUB-1", loan(), d("2026-02-05"))
    assert charge is not None and charge.day == d("2026-02-05")
    # returned late, after the charge: the same charge (same id), so it is billed once
    later = device_not_returned(policies(), "SUB-1", loan("2026-03-01"), d("2026-03-02"))
    assert later == charge


def test_the_30_days_are_calendar_days_across_a_short_february() -> None:
    # connected 31 January 2026: 1..28 February = 28 days, 1 and 2 March = 29th and 30th day
    assert device_not_returned(policies(), "SUB-1", loan(connected="2026-01-31"), d("2026-03-02")) is None
    charge = device_not_returned(policies(), "SUB-1", loan(connected="2026-01-31"), d("2026-03-03"))
    assert charge is not None and charge.day == d("2026-03-03")


def test_no_gsm_indemnity_without_the_policy() -> None:
    assert device_not_returned(policies(TELENET), "SUB-1", loan(), d("2026-06-01")) is None


# --- All the contract's fees known on a day (core.billing.run.contract_charges) ------------------------


def test_contract_charges_know_only_the_events_up_to_the_day() -> None:
    account = Account(
        "ACC-2", Party("An Peeters", "Meir 1", "2000", "Antwerpen", "BE", Language.NL), Segment.RESIDENTIAL, BELGACOM
    )
    subscription = Subscription(
        "SUB-1",
        "ACC-2",
        "DIRECTORY-LINE-SIMPLE",
        events=(
            ev(K.ACTIVATE, "2026-01-01"),
            ev(K.LEND_DEVICE, "2026-01-05", "GSM-1"),
            ev(K.SUSPEND, "2026-02-10"),
            ev(K.REACTIVATE, "2026-02-20"),
            ev(K.TERMINATE, "2026-04-01"),
        ),
    )
    catalog = seed_catalog(BELGACOM)
    # on 1 February: the GSM can still be returned (until 4 February), nothing else happened yet
    assert contract_charges(catalog, account, (subscription,), d("2026-02-01")) == []
    # on 1 March: the GSM (due 5 February) and the reactivation of 20 February
    march = contract_charges(catalog, account, (subscription,), d("2026-03-01"))
    assert sorted(c.id for c in march) == ["SUB-1:device-not-returned:GSM-1", "SUB-1:reactivation:2026-02-20"]
    # on 1 April: also the early termination, 9 whole months × 28.50 = 256.50
    april = {c.id: c for c in contract_charges(catalog, account, (subscription,), d("2026-04-01"))}
    assert sorted(april) == [
        "SUB-1:device-not-returned:GSM-1",
        "SUB-1:early-termination",
        "SUB-1:reactivation:2026-02-20",
    ]
    assert april["SUB-1:early-termination"].order.param("remaining_fees") == "256.50"


def test_a_subscription_is_replayed_once_per_day_and_each_subscription_on_its_own() -> None:
    # the bill run replays a subscription for its contract fees and again for its bill, on the same day
    # (run.timeline_of): the second time is the first timeline; another day, or an equal subscription that is
    # another object, is replayed afresh, so nothing leaks from one to the other
    events = (ev(K.ACTIVATE, "2026-01-05"), ev(K.TERMINATE, "2026-03-10"))
    first = Subscription("SUB-1", "ACC-1", "DIRECTORY-LINE-SIMPLE", (), events)
    twin = Subscription("SUB-1", "ACC-1", "DIRECTORY-LINE-SIMPLE", (), events)
    before, after = d("2026-03-01"), d("2026-03-31")
    assert timeline_of(first, before) is timeline_of(first, before)
    assert timeline_of(first, before) == first.timeline(before)  # still running on 1 March
    assert (timeline_of(first, before).terminated, timeline_of(first, after).terminated) == (None, d("2026-03-10"))
    assert timeline_of(twin, after) == timeline_of(first, after)
    assert timeline_of(twin, after) is not timeline_of(first, after)
