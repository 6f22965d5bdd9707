"""Scenario events of receivables (docs/scenarios.md): a transfer received, a dunning run.

Both go through the production use cases. A payment is a one-line bank statement of the operator's
account, imported by ``payments.import_statements``: it is matched by the structured communication of the
document it names (``reference``) and allocated as any other; without a reference it waits for review, as
a transfer without communication does. A dunning run is ``dunning.run_dunning`` on the event's day, for
every account of the store (as a bill run bills every account); running it twice on a day does nothing
twice.
"""

from __future__ import annotations

from telbill.app.billing import BillingDeps
from telbill.app.dunning import DunningRequest, run_dunning
from telbill.app.payments import import_statements
from telbill.app.receivables import receivables_of
from telbill.app.scenario_schema import Event
from telbill.core.accounts import Account
from telbill.core.errors import TelbillError
from telbill.core.money import Money
from telbill.core.receivables.statements import Statement, StatementFile, StatementLine


def play_payment(deps: BillingDeps, account: Account, index: int, event: Event) -> None:
    assert event.pay is not None
    communication = None
    if event.pay.reference is not None:
        with deps.unit_of_work() as uow:
            document = uow.documents.get(event.pay.reference).document
        if document.structured_communication is None:
            raise TelbillError("scenario.reference", f"{document.number} has no structured communication to quote")
        communication = document.structured_communication.digits
    statement_id = f"scenario/{account.id}/events[{index}]"
    amount = Money.of(event.pay.amount)
    payer = event.pay.payer or account.party.name
    line = StatementLine(f"{statement_id}/1", event.on, amount, "", communication, payer, source=f"events[{index}]")
    statement = Statement(statement_id, "scenario", str(index), event.on, Money.zero(), amount, (line,))
    import_statements(receivables_of(deps), StatementFile(f"events[{index}]", "scenario", (statement,)))


def play_dunning(deps: BillingDeps, event: Event) -> None:
    run_dunning(receivables_of(deps), DunningRequest(event.on))
