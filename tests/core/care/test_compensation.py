"""Every compensation clause of seed 004 §4 and §6 and the porting clause of seed 000, worked by hand.

Monthly fees are VAT included (docs/compensation.md §1.1), from the demo line subscriptions of the Belgacom
catalog: Classic 21.78, Duo 26.62, ISDN-30 363.00, R2 60.50; Privilege Garantie 12.10, Belgacom Office 24.20.
Every ticket is in March 2026 (31 days, billing day 1) unless said otherwise; the week of Monday 9 March has
no public holiday. Repair clauses are paid on request: the builders record the request just after the repair.
"""

from __future__ import annotations

from datetime import date

import pytest

from telbill.core.care.compensation import AwardStatus
from telbill.core.care.coverage import Coverage
from telbill.core.care.tickets import Ticket, TicketKind
from tests.core.care.builders import TELENET, K, amounts, assessed, coverage, event, repaired

CLASSIC = coverage("LINE-CLASSIC")
PRIVILEGE = coverage("LINE-CLASSIC", "COMPLEMENT-PRIVILEGE-GARANTIE")
OFFICE = coverage("LINE-CLASSIC", "COMPLEMENT-BELGACOM-OFFICE")
ISDN30 = coverage("LINE-ISDN30")
R2 = coverage("LINE-R2")
OFFERED_IN_TIME = event(K.APPOINTMENT_PROPOSED, "2026-03-09 11:00", slot="2026-03-10 14:00")


def test_the_fees_are_the_monthly_fees_vat_included() -> None:
    # LINE-CLASSIC tvac 21.78 → net 21.78 / 1.21 = 18.00, VAT 3.78, gross 21.78; Privilege 12.10
    assert (str(PRIVILEGE.fees.base), str(PRIVILEGE.fees.complementary)) == ("21.78", "12.10")
    assert [t.code for t in PRIVILEGE.classes] == ["BASE-LINE", "PRIVILEGE-GARANTIE"]
    assert [t.code for t in ISDN30.classes] == ["ISDN30"] and OFFICE.round_the_clock and not PRIVILEGE.round_the_clock


# --- REPAIR-BASE-LATE: one month of fees per started calendar day past the deadline --------------------------


def test_base_line_late_by_two_days_without_an_appointment() -> None:
    # registered Monday 9 March 10:00, deadline Tuesday 16:30, repaired Thursday 12 March 11:00.
    # Delay: Wednesday 16:30 (1), Thursday 16:30 (2) → 2 days × 21.78 = 43.56.
    # No appointment was ever proposed: refund of 4 started days of interruption (Monday 10:00 → Thursday
    # 11:00 = 3 days 1 hour): 21.78 × 4 / 31 = 2.8103… → 2.81. Not more than 7 days: no long-interruption refund.
    result = assessed(repaired("2026-03-09 10:00", "2026-03-12 11:00"), CLASSIC)
    assert amounts(result) == {"REPAIR-BASE-LATE": "43.56", "REPAIR-BASE-NO-APPOINTMENT": "2.81"}
    assert str(result.due) == "46.37"


def test_an_appointment_offered_in_time_leaves_only_the_delay() -> None:
    result = assessed(repaired("2026-03-09 10:00", "2026-03-12 11:00", OFFERED_IN_TIME), CLASSIC)
    assert amounts(result) == {"REPAIR-BASE-LATE": "43.56"}
    refused = next(a for a in result.awards if a.clause == "REPAIR-BASE-NO-APPOINTMENT")
    assert refused.reason == "an appointment was possible"


def test_base_line_late_days_include_the_complementary_fee() -> None:
    # the same delay on a line with Privilege Garantie: 2 × (21.78 + 12.10) = 2 × 33.88 = 67.76
    result = assessed(repaired("2026-03-09 10:00", "2026-03-12 11:00", OFFERED_IN_TIME), PRIVILEGE)
    assert amounts(result)["REPAIR-BASE-LATE"] == "67.76"


def test_late_days_are_calendar_days_across_the_spring_change() -> None:
    # registered Thursday 26 March 10:00, deadline Friday 27 March 16:30 CET, repaired Monday 30 March
    # 17:00 CEST: 71.5 real hours, but the wall clock passed Monday 16:30 → 4 started days × 21.78 = 87.12
    offered = event(K.APPOINTMENT_PROPOSED, "2026-03-26 11:00", slot="2026-03-27 09:00")
    result = assessed(repaired("2026-03-26 10:00", "2026-03-30 17:00", offered), CLASSIC)
    assert amounts(result) == {"REPAIR-BASE-LATE": "87.12"}


def test_repaired_in_time_owes_nothing() -> None:
    result = assessed(repaired("2026-03-09 10:00", "2026-03-10 16:30"), CLASSIC)
    assert str(result.due) == "0.00"
    assert {a.reason for a in result.awards} == {"deadline met"}


# --- REPAIR-BASE-NO-APPOINTMENT and REPAIR-BASE-LONG-INTERRUPTION: refunds --------------------------------


def test_no_appointment_refund_across_a_month_end_in_february() -> None:
    # registered Friday 27 February 10:00; next working day Monday 2 March, deadline 16:30; repaired Tuesday
    # 3 March 12:00. Interruption: 28 Feb 10:00 (1), 1 Mar (2), 2 Mar (3), 3 Mar 10:00 (4), 4 Mar 10:00 (5)
    # → 5 days, refunded on the billing period of the registration, February (28 days):
    # 21.78 × 5 / 28 = 3.8892… → 3.89. Late: Monday 16:30 → Tuesday 12:00 = 1 day × 21.78.
    result = assessed(repaired("2026-02-27 10:00", "2026-03-03 12:00"), CLASSIC)
    assert amounts(result) == {"REPAIR-BASE-LATE": "21.78", "REPAIR-BASE-NO-APPOINTMENT": "3.89"}


def test_long_interruption_of_nine_days_with_an_appointment_possible() -> None:
    # registered Monday 9 March 10:00, repaired Wednesday 18 March 09:00 = 8 days 23 hours → 9 started days,
    # more than 7: 21.78 × 9 / 31 = 6.3232… → 6.32. Late: Tuesday 16:30 → Wednesday 18 09:00 = 8 days
    # (Wednesday 11 … Wednesday 18 at 16:30) × 21.78 = 174.24.
    result = assessed(repaired("2026-03-09 10:00", "2026-03-18 09:00", OFFERED_IN_TIME), CLASSIC)
    assert amounts(result) == {"REPAIR-BASE-LATE": "174.24", "REPAIR-BASE-LONG-INTERRUPTION": "6.32"}


@pytest.mark.parametrize(("done", "refund"), [("2026-03-16 10:00", None), ("2026-03-16 10:01", "5.62")])
def test_seven_days_exactly_is_not_more_than_seven(done: str, refund: str | None) -> None:
    # Monday 10:00 → Monday 10:00 = 7 days; one minute more = 8 started days: 21.78 × 8 / 31 = 5.6206… → 5.62
    result = assessed(repaired("2026-03-09 10:00", done, OFFERED_IN_TIME), CLASSIC)
    assert amounts(result).get("REPAIR-BASE-LONG-INTERRUPTION") == refund


def test_the_two_refunds_are_not_cumulative() -> None:
    # no appointment before Tuesday 16:30 (the only one offered is Wednesday) and 9 days of interruption:
    # one refund, 6.32, under the first clause; the second is reported, not paid
    offered_late = event(K.APPOINTMENT_PROPOSED, "2026-03-09 11:00", slot="2026-03-11 09:00")
    result = assessed(repaired("2026-03-09 10:00", "2026-03-18 09:00", offered_late), CLASSIC)
    assert amounts(result) == {"REPAIR-BASE-LATE": "174.24", "REPAIR-BASE-NO-APPOINTMENT": "6.32"}
    long = next(a for a in result.awards if a.clause == "REPAIR-BASE-LONG-INTERRUPTION")
    assert (long.status, str(long.amount)) == (AwardStatus.NOT_CUMULATIVE, "6.32")
    assert str(result.due) == "180.56"


# --- REPAIR-ISDN30: tiers of working hours on the 24/24 calendar ---------------------------------------------


@pytest.mark.parametrize(
    ("done", "amount"),
    [
        ("2026-03-09 18:00", None),  # exactly 8 hours: within the deadline
        ("2026-03-09 18:01", "108.90"),  # above 8: 30 % × 363.00
        ("2026-03-10 10:00", "181.50"),  # exactly 24 hours: above 12, not 24: 50 %
        ("2026-03-10 16:00", "363.00"),  # 30 hours: above 24: 100 %
        ("2026-03-11 11:00", "544.50"),  # 49 hours: above 48: 150 %
        ("2026-03-12 11:00", "726.00"),  # 73 hours: above 72: 200 %
    ],
)
def test_isdn30_tiers(done: str, amount: str | None) -> None:
    result = assessed(repaired("2026-03-09 10:00", done), ISDN30)
    assert amounts(result).get("REPAIR-ISDN30") == amount


def test_isdn30_across_the_autumn_change_counts_25_hours() -> None:
    # Saturday 24 October 20:00 CEST → Sunday 25 October 20:00 CET: 25 real hours, above 24 → 100 % = 363.00
    assert amounts(assessed(repaired("2026-10-24 20:00", "2026-10-25 20:00"), ISDN30)) == {"REPAIR-ISDN30": "363.00"}


# --- REPAIR-OFFICE: tiers of net hours, fees of the line plus the Office SLA ------------------------------------


def test_office_net_repair_delay_takes_the_pause_out() -> None:
    # registered Friday 13 March 22:00, repaired Saturday 13:00 = 15 hours; the customer was away 08:00–10:00:
    # net 13 hours, above 12 → 200 % × (21.78 + 24.20) = 2 × 45.98 = 91.96
    pause = (event(K.PAUSED, "2026-03-14 08:00"), event(K.RESUMED, "2026-03-14 10:00"))
    result = assessed(repaired("2026-03-13 22:00", "2026-03-14 13:00", *pause), OFFICE)
    assert amounts(result) == {"REPAIR-OFFICE": "91.96"}
    office = next(a for a in result.awards if a.clause == "REPAIR-OFFICE")
    assert dict(office.inputs)["net_hours"] == "13 h"
    assert "200 % × monthly fees (21.78 + 24.20) = 91.96" in office.explanation


def test_office_a_longer_pause_lowers_the_tier() -> None:
    # away 08:00–11:00: net 12 hours, not above 12 → above 6: 150 % × 45.98 = 68.97
    pause = (event(K.PAUSED, "2026-03-14 08:00"), event(K.RESUMED, "2026-03-14 11:00"))
    assert amounts(assessed(repaired("2026-03-13 22:00", "2026-03-14 13:00", *pause), OFFICE)) == {
        "REPAIR-OFFICE": "68.97"
    }


def test_office_above_72_hours() -> None:
    # Monday 08:00 → Thursday 09:00 = 73 hours → 500 % × 45.98 = 229.90
    result = assessed(repaired("2026-03-09 08:00", "2026-03-12 09:00", OFFERED_IN_TIME), OFFICE)
    assert amounts(result)["REPAIR-OFFICE"] == "229.90"


@pytest.mark.parametrize(("done", "amount"), [("2026-03-29 06:00", None), ("2026-03-29 06:01", "68.97")])
def test_office_across_the_spring_change(done: str, amount: str | None) -> None:
    # Saturday 28 March 23:00 CET → Sunday 06:00 CEST is 6 real hours (the wall clock shows 7): within the
    # deadline; a minute more → above 6 → 150 % × 45.98 = 68.97
    assert amounts(assessed(repaired("2026-03-28 23:00", done), OFFICE)).get("REPAIR-OFFICE") == amount


# --- REPAIR-R2: a lump sum past the next working day, then per day beyond the 3rd ------------------------------


@pytest.mark.parametrize(
    ("done", "amount"),
    [
        ("2026-03-10 16:00", None),  # before Tuesday 16:30: in time
        ("2026-03-11 10:00", "495.79"),  # late; Monday 09:00 → Wednesday 10:00 = 3 started days: none beyond
        # Monday 09:00 → Saturday 14:00 = 6 started days, 3 beyond the 3rd: 495.79 + 3 × 247.88 = 1,239.43
        ("2026-03-14 14:00", "1239.43"),
    ],
)
def test_r2(done: str, amount: str | None) -> None:
    assert amounts(assessed(repaired("2026-03-09 09:00", done), R2)).get("REPAIR-R2") == amount


def test_r2_paused_days_are_not_counted() -> None:
    # the customer kept the technician out from Thursday 09:00 to Friday 09:00 (24 hours): the interruption
    # counts up to Saturday 14:00 − 24 h = Friday 14:00: 5 started days, 2 beyond the 3rd
    # → 495.79 + 2 × 247.88 = 991.55
    pause = (event(K.PAUSED, "2026-03-12 09:00"), event(K.RESUMED, "2026-03-13 09:00"))
    assert amounts(assessed(repaired("2026-03-09 09:00", "2026-03-14 14:00", *pause), R2)) == {"REPAIR-R2": "991.55"}


# --- REPAIR-PRIVILEGE: EUR 15 after 8 working hours, EUR 44.99 per day beyond the next working day -------------


@pytest.mark.parametrize(
    ("done", "amount"),
    [
        ("2026-03-09 17:00", None),  # 7 working hours: in time
        ("2026-03-10 12:00", "15.00"),  # past Monday 18:00, before Tuesday 18:00: the lump sum only
        ("2026-03-11 12:00", "59.99"),  # Tuesday 18:00 → Wednesday 12:00: 1 started day: 15.00 + 44.99
        ("2026-03-12 11:00", "104.98"),  # Wednesday 18:00 (1), Thursday 18:00 (2): 15.00 + 2 × 44.99
    ],
)
def test_privilege(done: str, amount: str | None) -> None:
    result = assessed(repaired("2026-03-09 10:00", done, OFFERED_IN_TIME), PRIVILEGE)
    assert amounts(result).get("REPAIR-PRIVILEGE") == amount


# --- statuses -----------------------------------------------------------------------------------------------


def test_repair_clauses_wait_for_the_customers_request() -> None:
    ticket = repaired("2026-03-09 10:00", "2026-03-11 12:00", OFFERED_IN_TIME, requested=False)
    result = assessed(ticket, PRIVILEGE)
    privilege = next(a for a in result.awards if a.clause == "REPAIR-PRIVILEGE")
    assert (privilege.status, str(privilege.amount), str(result.due)) == (AwardStatus.AWAITING_REQUEST, "59.99", "0.00")


def test_an_unresolved_ticket_shows_the_amount_so_far() -> None:
    ticket = repaired("2026-03-09 10:00", "2026-03-20 10:00", OFFERED_IN_TIME)
    result = assessed(ticket, PRIVILEGE, when="2026-03-11 12:00")  # read before the repair
    privilege = next(a for a in result.awards if a.clause == "REPAIR-PRIVILEGE")
    assert (privilege.status, str(privilege.amount), str(result.due)) == (AwardStatus.PROVISIONAL, "59.99", "0.00")


# --- installation (seed 004 §4) -------------------------------------------------------------------------------


def installation(requested: str, in_service: str | None, due: str | None) -> Ticket:
    events = [event(K.REGISTERED, f"{requested} 09:00")]
    if in_service:
        events.append(event(K.IN_SERVICE, f"{in_service} 15:00"))
    agreed = date.fromisoformat(due) if due else None
    return Ticket("I-1", TicketKind.INSTALLATION, "ACC-1", "SUB-1", tuple(events), agreed)


@pytest.mark.parametrize(
    ("cover", "in_service", "amount"),
    [
        (CLASSIC, "2026-03-12", None),  # on the agreed Thursday
        (CLASSIC, "2026-03-13", "43.56"),  # a day late: 200 % × 21.78
        (PRIVILEGE, "2026-03-13", "67.76"),  # 200 % × (21.78 + 12.10)
        (coverage("LINE-DUO"), "2026-03-16", "53.24"),  # Duo: 200 % × 26.62
    ],
)
def test_install_date_missed(cover: Coverage, in_service: str, amount: str | None) -> None:
    result = assessed(installation("2026-03-09", in_service, "2026-03-12"), cover, when="2026-03-31 00:00")
    assert amounts(result).get("INSTALL-DATE-MISSED") == amount
    assert "INSTALL-NOT-IN-TIME" not in amounts(result)  # a date was agreed: it is the deadline


@pytest.mark.parametrize(
    ("requested", "in_service", "amount"),
    [
        ("2026-03-09", "2026-03-16", None),  # the 5th working day after Monday 9 March is Monday 16
        ("2026-03-09", "2026-03-17", "43.56"),
        ("2026-04-01", "2026-04-09", None),  # Easter Monday skipped: the 5th working day is Thursday 9 April
        ("2026-04-01", "2026-04-10", "43.56"),
    ],
)
def test_classic_line_not_in_service_within_five_working_days(
    requested: str, in_service: str, amount: str | None
) -> None:
    result = assessed(installation(requested, in_service, None), CLASSIC, when="2026-04-30 00:00")
    assert amounts(result).get("INSTALL-NOT-IN-TIME") == amount
    award = next(a for a in result.awards if a.clause == "INSTALL-NOT-IN-TIME")
    assert award.status is (AwardStatus.DUE if amount else AwardStatus.NOT_OWED)  # not on request


def test_the_five_working_days_concern_classic_lines_only() -> None:
    result = assessed(installation("2026-03-09", "2026-03-31", None), coverage("LINE-DUO"), when="2026-04-30 00:00")
    assert [a.clause for a in result.awards] == ["INSTALL-DATE-MISSED"] and str(result.due) == "0.00"


@pytest.mark.parametrize(
    ("rfs", "in_service", "amount"),
    [
        ("2026-03-09", "2026-03-09", None),
        ("2026-03-09", "2026-03-16", "363.00"),  # 5 working days late: 100 %
        ("2026-03-09", "2026-03-18", "726.00"),  # 7: 200 %
        ("2026-03-09", "2026-03-24", "1089.00"),  # 11 (10 … 24 March): 300 %
        ("2026-11-09", "2026-11-20", "726.00"),  # 8, the Armistice skipped: 200 %
    ],
)
def test_isdn30_installation_after_the_ready_for_service_date(rfs: str, in_service: str, amount: str | None) -> None:
    result = assessed(installation("2026-03-02", in_service, rfs), ISDN30, when="2026-12-31 00:00")
    assert amounts(result).get("INSTALL-ISDN30-DELAY") == amount


# --- porting (seed 000) ------------------------------------------------------------------------------------------


def porting(numbers: int, due: str, ported: str, requested: bool) -> Ticket:
    events = [event(K.REGISTERED, "2026-01-05 09:00"), event(K.PORTED, f"{ported} 10:00")]
    if requested:
        events.append(event(K.COMPENSATION_REQUESTED, f"{ported} 11:00"))
    own = tuple(f"+3225550{n:03d}" for n in range(numbers))
    return Ticket("P-1", TicketKind.PORTING, "ACC-1", "SUB-1", tuple(events), date.fromisoformat(due), own)


@pytest.mark.parametrize(
    ("numbers", "due", "ported", "amount"),
    [
        (3, "2026-03-10", "2026-03-10", None),
        (3, "2026-03-10", "2026-03-12", "30.00"),  # 3 numbers × 2 days × 5.00
        (1, "2026-01-31", "2026-02-03", "15.00"),  # over the month end: 1 × 3 days × 5.00
    ],
)
def test_porting_delay(numbers: int, due: str, ported: str, amount: str | None) -> None:
    cover = coverage("CLIC-BUREAU", catalog_id=TELENET)
    result = assessed(porting(numbers, due, ported, requested=True), cover, catalog_id=TELENET)
    assert amounts(result).get("PORTING-DELAY") == amount


def test_porting_compensation_only_on_the_customers_express_request() -> None:
    cover = coverage("CLIC-BUREAU", catalog_id=TELENET)
    result = assessed(porting(3, "2026-03-10", "2026-03-12", requested=False), cover, catalog_id=TELENET)
    [award] = result.awards
    assert (award.status, str(award.amount), str(result.due)) == (AwardStatus.AWAITING_REQUEST, "30.00", "0.00")


def test_telenet_repairs_carry_no_sla() -> None:
    cover = coverage("CLIC-BUREAU", catalog_id=TELENET)
    assert cover.classes == ()
    assert assessed(repaired("2026-03-09 10:00", "2026-03-20 10:00"), cover, catalog_id=TELENET).awards == ()
