"""The dunning run: gather → decide → apply, one transaction per batch of accounts (as the bill run).

1. gather, for each account of the batch: its ledger with every issued document posted, the catalog version
   in effect on the day (the policy and the fees' prices, for the account's segment), its subscriptions'
   states on the day, and every dunning action taken for it;
2. decide: ``core.receivables.dunning.evaluate(snapshot, day)``;
3. apply: record each action in the history; add its fee as a pending charge of the catalog item (billed by
   the next bill run, on a document of its own: the fees are outside the scope of VAT); suspend or reactivate
   subscriptions through their lifecycle (a reactivation charges the contract's reactivation fee at the
   next bill run); write the letters of reminders and suspensions; commit.

A dry run decides and reports the same, and writes nothing. Running the same day twice does nothing twice:
the first run's actions are in the history the second one gathers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from telbill.app.receivables import ReceivablesDeps, ledgers_with_issued
from telbill.app.store import ReceivablesUnitOfWork
from telbill.core.accounts import Account
from telbill.core.billing.charges import PendingCharge
from telbill.core.billing.parties import Seller
from telbill.core.billing.run import pricing_for, seller_of
from telbill.core.catalog.pricing import PricingContext
from telbill.core.errors import TelbillError
from telbill.core.receivables.dunning import AccountSnapshot, Action, ActionKind, evaluate
from telbill.core.receivables.letters import Letter, LetterContext, letter_of
from telbill.core.subscriptions import Event, EventKind

Progress = Callable[[int, int], None]


class LetterRenderer(Protocol):
    def pdf(self, letter: Letter) -> bytes: ...


@dataclass(frozen=True, slots=True)
class DunningRequest:
    day: date
    dry_run: bool = False
    batch_size: int = 500


@dataclass(slots=True)
class DunningReport:
    day: date
    dry_run: bool
    accounts: int = 0
    actions: list[Action] = field(default_factory=list)
    letters: list[Letter] = field(default_factory=list)

    def count(self, kind: ActionKind) -> int:
        return sum(1 for action in self.actions if action.kind is kind)


def run_dunning(deps: ReceivablesDeps, request: DunningRequest, progress: Progress | None = None) -> DunningReport:
    if request.batch_size < 1:
        raise TelbillError("dunning.batch_size", "the batch size must be at least 1", field="batch_size")
    with deps.unit_of_work() as uow:
        account_ids = uow.accounts.ids()
    report = DunningReport(request.day, request.dry_run, accounts=len(account_ids))
    done = 0
    for batch in _chunks(account_ids, request.batch_size):
        _dun_batch(deps, request, batch, report)
        done += len(batch)
        if progress is not None:
            progress(done, len(account_ids))
    return report


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _dun_batch(deps: ReceivablesDeps, request: DunningRequest, batch: Sequence[str], report: DunningReport) -> None:
    with deps.unit_of_work() as uow:
        accounts = uow.accounts.many(uow.lock_accounts(batch))
        decided = [
            (account, snapshot, action) for account, snapshot in _gather(deps, uow, accounts, request.day)
            for action in evaluate(snapshot, request.day)
        ]  # fmt: skip
        sellers: dict[str, Seller] = {}  # per catalog: the same for every letter
        for account, snapshot, action in decided:
            report.actions.append(action)
            letter = _letter(deps, account, snapshot.pricing, action, sellers)
            if letter is not None:
                report.letters.append(letter)
        if not request.dry_run:
            _apply(uow, [action for _, _, action in decided])
            uow.commit()


def _gather(
    deps: ReceivablesDeps, uow: ReceivablesUnitOfWork, accounts: list[Account], day: date
) -> Iterator[tuple[Account, AccountSnapshot]]:
    ids = [account.id for account in accounts]
    ledgers = ledgers_with_issued(uow, ids)
    subscriptions = uow.subscriptions.for_accounts(ids)
    history = uow.dunning.for_accounts(ids)
    for account in accounts:
        pricing = pricing_for(deps.catalog(account.catalog_id), account)(day)
        states = tuple((s.id, s.timeline(day).state) for s in subscriptions.get(account.id, ()))
        items = ledgers[account.id].open_items()
        yield account, AccountSnapshot(account.id, pricing, items, states, history.get(account.id, ()))


def _letter(
    deps: ReceivablesDeps, account: Account, pricing: PricingContext, action: Action, sellers: dict[str, Seller]
) -> Letter | None:
    """``pricing``: the snapshot's, for the day the action was decided on (the action's day)."""
    if action.kind not in (ActionKind.REMIND, ActionKind.SUSPEND):
        return None
    if account.catalog_id not in sellers:
        sellers[account.catalog_id] = seller_of(deps.catalog(account.catalog_id), deps.seller)
    return letter_of(action, LetterContext(account.party, sellers[account.catalog_id], pricing))


def _apply(uow: ReceivablesUnitOfWork, actions: Sequence[Action]) -> None:
    """The batch's actions: their history and fees in one statement each (a statement per action was most of
    a run), then the subscriptions they suspend or reactivate."""
    uow.dunning.add_all([(action.account_id, action.taken()) for action in actions])
    uow.charges.add_all([(action.account_id, _fee(action)) for action in actions if action.fee is not None])
    for action in actions:
        lifecycle = _LIFECYCLE.get(action.kind)
        if lifecycle is None:
            continue
        for subscription_id in action.subscriptions:
            subscription = uow.subscriptions.get(subscription_id)
            uow.subscriptions.save(subscription.with_event(Event(lifecycle, action.day)))


_LIFECYCLE = {ActionKind.SUSPEND: EventKind.SUSPEND, ActionKind.SETTLE: EventKind.REACTIVATE}


def _fee(action: Action) -> PendingCharge:
    assert action.fee is not None
    charge_id = f"dunning:{action.account_id}:{action.day.isoformat()}:{action.kind.value}"
    return PendingCharge(charge_id, None, action.fee.order, action.day, _reason(action))


def _reason(action: Action) -> str:
    if action.kind is ActionKind.REMIND:
        return f"reminder {action.number} of {action.day.isoformat()}"
    return f"handed over to collection on {action.day.isoformat()}, unpaid {action.overdue_total}"
