"""Dunning, step by step, on the Belgacom catalog (seed 004 section 1) and its ladder: reminders 14 and 28
days after the due date, suspension at 42, handover to collection at 72. Every date and amount below is
worked out by hand; docs/algorithms/dunning.md holds the same tables.

An Peeters (residential) pays 34.49 a month; her January invoice F2026-000001 is due on 2026-01-31 (issued
2026-01-01, 30 days' terms), February's F2026-000002 on 2026-03-03.
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from telbill.core.catalog.dunning_policy import DunningPolicy
from telbill.core.catalog.schema import Segment
from telbill.core.receivables.dunning import AccountSnapshot, Action, ActionKind, Taken, evaluate
from telbill.core.receivables.ledger import Entry, EntryKind, OpenItem
from telbill.core.subscriptions import State
from tests.catalogs.conftest import context
from tests.core.receivables_builders import d, m, refused

BELGACOM = "belgacom-fees-indemnities"


def item(number: str, due: str, open_amount: str, gross: str | None = None) -> OpenItem:
    entry = Entry(number, EntryKind.INVOICE, d(due), m(gross or open_amount), d(due))
    return OpenItem(entry, m(open_amount))


JAN = item("F2026-000001", "2026-01-31", "34.49")
FEB = item("F2026-000002", "2026-03-03", "34.49")


def snapshot(
    *items: OpenItem,
    history: tuple[Taken, ...] = (),
    state: State = State.ACTIVE,
    segment: Segment = Segment.RESIDENTIAL,
    catalog: str = BELGACOM,
) -> AccountSnapshot:
    return AccountSnapshot("ACC-PEETERS", context(catalog, segment), items, (("SUB-1", state),), history)


def run(snap: AccountSnapshot, day: str) -> tuple[Action, ...]:
    return evaluate(snap, d(day))


def only(actions: tuple[Action, ...]) -> Action:
    assert len(actions) == 1, actions
    return actions[0]


REMINDED_1 = (Taken(ActionKind.REMIND, d("2026-02-14"), 0),)
REMINDED_2 = (*REMINDED_1, Taken(ActionKind.REMIND, d("2026-02-28"), 1))
SUSPENDED = (*REMINDED_2, Taken(ActionKind.SUSPEND, d("2026-03-14"), 2, ("SUB-1",)))


@pytest.mark.parametrize("day", ["2026-01-31", "2026-02-01", "2026-02-13"])
def test_nothing_happens_before_the_first_reminder_is_due(day: str) -> None:
    # on the due date the item is not overdue yet; 13 days after it, the first reminder (14) is not due
    assert run(snapshot(JAN), day) == ()


def test_first_reminder_14_days_after_the_due_date_with_the_residential_fee() -> None:
    action = only(run(snapshot(JAN), "2026-02-14"))  # 31 January + 14 days
    assert (action.kind, action.step, action.number) == (ActionKind.REMIND, 0, 1)
    assert action.fee is not None and action.fee.order.code == "REMINDER-FEE"
    assert str(action.fee.net) == "13.00"  # residential: EUR 13, outside the scope of VAT
    assert [i.entry.id for i in action.overdue] == ["F2026-000001"] and str(action.overdue_total) == "34.49"


def test_a_professional_customer_pays_15_for_a_reminder() -> None:
    action = only(run(snapshot(JAN, segment=Segment.PROFESSIONAL), "2026-02-14"))
    assert action.fee is not None and str(action.fee.net) == "15.00"


def test_running_twice_on_the_same_day_does_nothing_twice() -> None:
    first = only(run(snapshot(JAN), "2026-02-14"))
    assert run(snapshot(JAN, history=(first.taken(),)), "2026-02-14") == ()


def test_second_reminder_28_days_after_the_due_date() -> None:
    assert run(snapshot(JAN, history=REMINDED_1), "2026-02-27") == ()  # 27 days
    action = only(run(snapshot(JAN, history=REMINDED_1), "2026-02-28"))  # 31 Jan + 28 = 28 Feb
    assert (action.kind, action.number, str(action.fee.net if action.fee else None)) == (ActionKind.REMIND, 2, "13.00")


def test_suspension_42_days_after_the_due_date_suspends_the_active_subscriptions_without_fee() -> None:
    # 31 Jan + 42 = 14 March; February's invoice (due 3 March) is overdue too by then
    action = only(run(snapshot(JAN, FEB, history=REMINDED_2), "2026-03-14"))
    assert (action.kind, action.subscriptions, action.fee) == (ActionKind.SUSPEND, ("SUB-1",), None)
    assert str(action.overdue_total) == "68.98"  # 34.49 + 34.49


def test_handover_to_collection_at_72_days_charges_at_least_60() -> None:
    # 31 Jan + 72 days = 13 April (28 days to 28 Feb, 59 to 31 Mar, 72 to 13 Apr). Overdue: three monthly
    # invoices of 34.49 and the reminders' fee document of 26.00 → 129.47; 15 % = 19.4205 → 19.42 < 60.00
    mar, fees = item("F2026-000003", "2026-03-31", "34.49"), item("F2026-000004", "2026-03-31", "26.00")
    action = only(run(snapshot(JAN, FEB, mar, fees, history=SUSPENDED, state=State.SUSPENDED), "2026-04-13"))
    assert action.kind is ActionKind.HAND_OVER
    assert str(action.overdue_total) == "129.47"
    assert action.fee is not None and action.fee.order.params == (("unpaid_total", "129.47"),)
    assert str(action.fee.net) == "60.00"


def test_the_collection_fee_is_15_percent_above_the_minimum() -> None:
    # 401.23 × 15 % = 60.1845 → 60.18 (half-up to the cent), above 60.00
    big = item("F2026-000001", "2026-01-31", "401.23")
    action = only(run(snapshot(big, history=SUSPENDED, state=State.SUSPENDED), "2026-04-13"))
    assert action.fee is not None and str(action.fee.net) == "60.18"


def test_nothing_after_the_handover_until_paid() -> None:
    handed = (*SUSPENDED, Taken(ActionKind.HAND_OVER, d("2026-04-13"), 3))
    assert run(snapshot(JAN, history=handed, state=State.SUSPENDED), "2026-06-01") == ()
    settled = only(run(snapshot(history=handed, state=State.SUSPENDED), "2026-06-02"))
    assert (settled.kind, settled.subscriptions) == (ActionKind.SETTLE, ("SUB-1",))


def test_paying_settles_the_episode_and_reactivates_what_dunning_suspended() -> None:
    action = only(run(snapshot(history=SUSPENDED, state=State.SUSPENDED), "2026-03-20"))
    assert (action.kind, action.subscriptions, action.fee) == (ActionKind.SETTLE, ("SUB-1",), None)
    after = (*SUSPENDED, action.taken())
    assert run(snapshot(history=after), "2026-03-20") == ()  # once
    assert run(snapshot(history=after), "2026-03-21") == ()


def test_a_subscription_suspended_by_hand_is_not_reactivated_by_a_settlement() -> None:
    reminded_only = only(run(snapshot(history=REMINDED_1, state=State.SUSPENDED), "2026-02-20"))
    assert (reminded_only.kind, reminded_only.subscriptions) == (ActionKind.SETTLE, ())


def test_a_partly_paid_item_is_still_overdue() -> None:
    partly = item("F2026-000001", "2026-01-31", "0.01", gross="34.49")
    assert only(run(snapshot(partly, history=REMINDED_1), "2026-02-28")).kind is ActionKind.REMIND


def test_after_missed_runs_one_step_at_a_time_with_every_interval_in_full() -> None:
    # no run until 20 March (age 48): the first reminder only, not three steps at once
    first = only(run(snapshot(JAN), "2026-03-20"))
    assert (first.kind, first.number) == (ActionKind.REMIND, 1)
    history = (first.taken(),)
    assert run(snapshot(JAN, history=history), "2026-04-02") == ()  # 13 days after the reminder
    second = only(run(snapshot(JAN, history=history), "2026-04-03"))  # 14 days after it (28 − 14)
    assert (second.kind, second.number) == (ActionKind.REMIND, 2)


def test_a_new_episode_starts_from_the_first_reminder() -> None:
    settled = (*REMINDED_1, Taken(ActionKind.SETTLE, d("2026-02-20")))
    # February's invoice, due 3 March, is 14 days overdue on 17 March: a first reminder again
    action = only(run(snapshot(FEB, history=settled), "2026-03-17"))
    assert (action.kind, action.number) == (ActionKind.REMIND, 1)


def test_a_younger_item_waits_for_its_own_age() -> None:
    # January paid after the first reminder, February overdue 11 days on 14 March: not settled (February is
    # overdue), and the second reminder waits until February is 28 days overdue: 3 March + 28 = 31 March
    assert run(snapshot(FEB, history=REMINDED_1), "2026-03-14") == ()
    assert run(snapshot(FEB, history=REMINDED_1), "2026-03-30") == ()
    assert only(run(snapshot(FEB, history=REMINDED_1), "2026-03-31")).number == 2


def test_a_catalog_without_dunning_policy_chases_nobody() -> None:
    assert run(snapshot(JAN, catalog="telenet-clic-bureau", segment=Segment.PROFESSIONAL), "2026-06-01") == ()


def test_a_day_before_the_last_action_is_refused() -> None:
    with refused("dunning.date_order"):
        run(snapshot(JAN, history=REMINDED_1), "2026-02-13")


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([{"step": "reminder", "days": 14}, {"step": "reminder", "days": 14}], "does not come after"),
        ([{"step": "suspension", "days": 14}, {"step": "reminder", "days": 28}], "cannot follow"),
        ([{"step": "suspension", "days": 14}, {"step": "suspension", "days": 28}], "one suspension at most"),
        ([{"step": "reminder", "days": 0}], "greater than 0"),
    ],
)
def test_a_ladder_goes_forward(steps: list[dict[str, object]], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        DunningPolicy.model_validate({"steps": steps})


def test_the_seed_ladder_is_read_from_the_catalog() -> None:
    policy = context(BELGACOM).version.dunning
    assert policy is not None
    assert [(s.step.value, s.days, s.fee) for s in policy.steps] == [
        ("reminder", 14, "REMINDER-FEE"),
        ("reminder", 28, "REMINDER-FEE"),
        ("suspension", 42, None),
        ("collection", 72, "COLLECTION-FEE"),
    ]
    assert policy.returned_debit_fee is None  # seed 004 prices none
