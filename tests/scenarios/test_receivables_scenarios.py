"""What the receivables golden scenarios leave besides documents: the dunning steps taken, the subscription's
state and the ledger, worked out by hand in the scenario files' comments."""

from __future__ import annotations

from pathlib import Path

from telbill.app.receivables import ledgers_with_issued, receivables_of
from telbill.app.scenarios import run_scenario
from telbill.core.receivables.dunning import ActionKind
from telbill.core.subscriptions import State
from tests.app.builders import Operator
from tests.core.receivables_builders import d
from tests.scenarios.test_golden import load

HERE = Path(__file__).parent


def replayed(name: str) -> Operator:
    operator = Operator()
    result = run_scenario(operator.deps(), load(HERE / name))
    assert result.mismatches == ()
    return operator


def test_the_late_payer_is_reminded_suspended_settled_and_reactivated() -> None:
    operator = replayed("30-belgacom-late-payer-reminders-suspension-reactivation.yaml")
    history = operator.state.receivables.dunning["ACC-PEETERS"]
    assert [(t.kind, t.day, t.subscriptions) for t in history] == [
        (ActionKind.REMIND, d("2026-02-14"), ()),
        (ActionKind.REMIND, d("2026-02-28"), ()),
        (ActionKind.SUSPEND, d("2026-03-14"), ("SUB-1",)),
        (ActionKind.SETTLE, d("2026-03-20"), ("SUB-1",)),
    ]
    subscription = operator.state.subscriptions["SUB-1"]
    assert subscription.timeline().state is State.ACTIVE
    with receivables_of(operator.deps()).unit_of_work() as uow:
        ledger = ledgers_with_issued(uow, ["ACC-PEETERS"])["ACC-PEETERS"]
    # everything up to March is paid (34.49 + 34.49 + 60.49 = 129.47 = 3 × 34.49 + 26.00); April's 34.49 and the
    # reactivation fee 30.00 are open, due 1 May
    assert {i.entry.id: str(i.remaining) for i in ledger.open_items()} == {
        "F2026-000005": "34.49",
        "F2026-000006": "30.00",
    }
    assert str(ledger.balance()) == "64.49"


def test_the_professional_is_handed_over_with_the_minimum_fee() -> None:
    operator = replayed("31-belgacom-professional-handed-to-collection.yaml")
    history = operator.state.receivables.dunning["ACC-DUPONT"]
    assert [(t.kind, t.day) for t in history] == [
        (ActionKind.REMIND, d("2026-02-14")),
        (ActionKind.REMIND, d("2026-02-28")),
        (ActionKind.SUSPEND, d("2026-03-14")),
        (ActionKind.HAND_OVER, d("2026-04-13")),
    ]
    (fee,) = [c for _, c, _ in operator.state.charges.values() if c.order.code == "COLLECTION-FEE"]
    assert fee.order.params == (("unpaid_total", "133.47"),)  # 3 × 34.49 + 30.00
    assert operator.state.subscriptions["SUB-1"].timeline().state is State.SUSPENDED
