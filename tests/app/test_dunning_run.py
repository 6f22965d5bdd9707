"""The dunning run over real bill runs: An Peeters does not pay January and February, is reminded twice,
suspended, pays, and is reactivated. Every date and amount worked out by hand (docs/algorithms/dunning.md).

Ladder of the Belgacom catalog: reminders 14 and 28 days after the due date (EUR 13 each for a residential
customer), suspension at 42 days, collection at 72. January's invoice is due on 31 January.
"""

from __future__ import annotations

from datetime import date

from telbill.app.dunning import DunningReport, DunningRequest, run_dunning
from telbill.app.payments import import_statements
from telbill.core.receivables.dunning import ActionKind
from telbill.core.receivables.letters import LetterKind
from telbill.core.subscriptions import State
from tests.app.builders import Operator
from tests.app.receivables_world import COMMUNICATION, line, opens, peeters, receivables, statement_file
from tests.core.receivables_builders import refused


def dun(operator: Operator, day: str, dry_run: bool = False) -> DunningReport:
    return run_dunning(receivables(operator), DunningRequest(date.fromisoformat(day), dry_run))


def kinds(report: DunningReport) -> list[str]:
    return [action.kind.value for action in report.actions]


def state(operator: Operator) -> State:
    return operator.state.subscriptions["SUB-1"].timeline().state


def late_payer() -> Operator:
    operator = Operator()
    peeters(operator)
    operator.bill("2026-01", "2026-01-01")  # F2026-000001, 34.49, due 31 January
    operator.bill("2026-02", "2026-02-01")  # F2026-000002, 34.49, due 3 March
    return operator


def test_the_first_reminder_charges_13_as_a_pending_charge_and_writes_a_letter() -> None:
    operator = late_payer()
    assert kinds(dun(operator, "2026-02-13")) == []
    report = dun(operator, "2026-02-14")
    assert kinds(report) == ["remind"]
    (charge,) = [c for _, c, billed in operator.state.charges.values() if c.order.code == "REMINDER-FEE"]
    assert (charge.id, charge.day, charge.reason) == ("dunning:ACC-PEETERS:2026-02-14:remind", date(2026, 2, 14),
                                                       "reminder 1 of 2026-02-14")  # fmt: skip
    (letter,) = report.letters
    assert (letter.kind, letter.number, str(letter.total), letter.pay_by) == (
        LetterKind.REMINDER, 1, "34.49", date(2026, 2, 28)  # the second reminder comes 14 days later
    )  # fmt: skip
    assert [(i.document, i.communication) for i in letter.items] == [("F2026-000001", "+++202/6000/00192+++")]


def test_running_twice_on_a_day_does_nothing_twice() -> None:
    operator = late_payer()
    dun(operator, "2026-02-14")
    assert kinds(dun(operator, "2026-02-14")) == []
    assert [t.kind for t in operator.state.receivables.dunning["ACC-PEETERS"]] == [ActionKind.REMIND]
    assert sum(1 for _, c, _ in operator.state.charges.values() if c.order.code == "REMINDER-FEE") == 1


def test_a_dry_run_decides_the_same_and_writes_nothing() -> None:
    operator = late_payer()
    before = repr(operator.state)
    assert kinds(dun(operator, "2026-02-14", dry_run=True)) == ["remind"]
    assert repr(operator.state) == before
    assert kinds(dun(operator, "2026-02-14")) == ["remind"]


def test_reminders_suspension_payment_and_reactivation() -> None:
    operator = late_payer()
    assert kinds(dun(operator, "2026-02-14")) == ["remind"]
    assert kinds(dun(operator, "2026-02-28")) == ["remind"]  # 28 days after 31 January
    operator.bill("2026-03", "2026-03-01")  # F3: March 34.49; F4: the two reminder fees, 26.00, out of scope
    fees = operator.state.documents["F2026-000004"]
    assert (fees.out_of_scope, [str(line.net) for line in fees.document.lines]) == (True, ["13.00", "13.00"])
    suspension = dun(operator, "2026-03-14")  # 42 days after 31 January
    assert kinds(suspension) == ["suspend"] and state(operator) is State.SUSPENDED
    (letter,) = suspension.letters
    # overdue: January and February (due 3 March): 68.98; reactivation 30.00; collection 30 days later
    assert (letter.kind, str(letter.total), str(letter.reactivation_fee), letter.pay_by) == (
        LetterKind.SUSPENSION, "68.98", "30.00", date(2026, 4, 13)
    )  # fmt: skip
    pay_january_and_february(operator, "2026-03-20")
    assert opens(operator) == {"F2026-000003": "34.49", "F2026-000004": "26.00"}  # due 31 March: not overdue
    settled = dun(operator, "2026-03-20")
    assert [(a.kind, a.subscriptions) for a in settled.actions] == [(ActionKind.SETTLE, ("SUB-1",))]
    assert state(operator) is State.ACTIVE
    operator.bill("2026-04", "2026-04-01")  # F5: April 34.49; F6: the reactivation fee, 30.00, out of scope
    reactivation = operator.state.documents["F2026-000006"]
    assert [(line.item_code, str(line.net)) for line in reactivation.document.lines] == [("REACTIVATION-FEE", "30.00")]


def pay_january_and_february(operator: Operator, day: str) -> None:
    """Two transfers, each quoting its invoice's structured communication: 34.49 + 34.49."""
    january = line(day, "34.49", structured=COMMUNICATION[1])
    february = line(day, "34.49", structured=COMMUNICATION[2])
    import_statements(receivables(operator), statement_file(7, january, february))


def test_handover_to_collection_charges_15_percent_at_least_60() -> None:
    operator = late_payer()
    for day in ("2026-02-14", "2026-02-28"):
        dun(operator, day)
    operator.bill("2026-03", "2026-03-01")
    dun(operator, "2026-03-14")
    operator.bill("2026-04", "2026-04-01")  # F5: April 34.49, due 1 May
    report = dun(operator, "2026-04-13")  # 72 days after 31 January
    (handover,) = report.actions
    # overdue on 13 April: F1 34.49, F2 34.49, F3 34.49 (due 31 March), F4 26.00 (fees, due 31 March) = 129.47
    # 15 % = 19.4205 → 19.42, below the minimum: 60.00
    assert (handover.kind, str(handover.overdue_total)) == (ActionKind.HAND_OVER, "129.47")
    assert handover.fee is not None and str(handover.fee.net) == "60.00"
    assert report.letters == []


def test_a_run_before_the_last_action_is_refused() -> None:
    operator = late_payer()
    dun(operator, "2026-02-14")
    with refused("dunning.date_order"):
        dun(operator, "2026-02-10")
