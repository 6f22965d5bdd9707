"""Dunning: what to do about one account's overdue items on one day, decided from gathered facts.

Gather → decide → apply, after Kill Bill's overdue module: the shell gathers an ``AccountSnapshot`` (the
catalog version in effect with the account's segment, the ledger's open items, the subscriptions' states,
every dunning action taken so far); ``evaluate(snapshot, day)`` returns the actions; the applicator carries
them out and records each as ``Taken``, which the next snapshot holds. Worked tables:
docs/algorithms/dunning.md.

Definitions:
- An item is **overdue** on ``day`` when ``day`` is after its due date and part of it is still open. The
  account's **age** is the number of days since the due date of its oldest overdue item.
- An **episode** is the run of steps since the last ``SETTLE``. Its steps follow the catalog's ladder in
  order, one at a time. Step *i* is due when the age has reached its ``days`` and, for every step but the
  first, ``days[i] − days[i−1]`` days have passed since step *i−1* was taken: with a daily run the steps fall
  exactly ``days`` after the due date; after missed runs, the customer still gets every interval in full.
- When nothing is overdue any more, the episode is **settled**: the subscriptions its suspension suspended
  (and that are still suspended) are reactivated. The reactivation fee is the contract's: reactivating a
  subscription charges it at the next bill run (``billing/contract_fees.py``).
- After the handover to collection, no further step is taken; paying still settles the episode.

Idempotence: a step taken is in the history, and the next step is due at the earliest ``days[i] − days[i−1]``
(at least one) days later, so evaluating twice on the same day decides nothing the second time. A day before
the last action taken is refused (``dunning.date_order``): history is not rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from telbill.core.catalog.dunning_policy import DunningPolicy, DunningStepKind
from telbill.core.catalog.inputs import Order
from telbill.core.catalog.pricing import PricingContext, price_order
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.money import Money, total
from telbill.core.receivables.ledger import OpenItem
from telbill.core.subscriptions import State


class ActionKind(Enum):
    REMIND = "remind"
    SUSPEND = "suspend"
    HAND_OVER = "hand_over"  # to the collection agency
    SETTLE = "settle"  # nothing is overdue any more: the episode ends


_KIND_OF_STEP = {
    DunningStepKind.REMINDER: ActionKind.REMIND,
    DunningStepKind.SUSPENSION: ActionKind.SUSPEND,
    DunningStepKind.COLLECTION: ActionKind.HAND_OVER,
}


@dataclass(frozen=True, slots=True)
class Taken:
    """An action as the history records it: enough to know where the episode stands."""

    kind: ActionKind
    day: date
    step: int | None = None  # the index of the policy step (None for SETTLE)
    subscriptions: tuple[str, ...] = ()  # suspended by SUSPEND, reactivated by SETTLE


@dataclass(frozen=True, slots=True)
class AccountSnapshot:
    account_id: str
    pricing: PricingContext  # the catalog version in effect on the day, for the account's segment
    items: tuple[OpenItem, ...]  # the ledger's open debits
    subscriptions: tuple[tuple[str, State], ...] = ()
    history: tuple[Taken, ...] = ()  # every dunning action taken for the account, in order


@dataclass(frozen=True, slots=True)
class Fee:
    """A fee a step charges: the catalog order (what the applicator records) and its price."""

    order: Order
    net: Money
    label: str
    explanation: str


@dataclass(frozen=True, slots=True)
class Action:
    kind: ActionKind
    account_id: str
    day: date
    step: int | None  # the index of the policy step (None for SETTLE)
    number: int  # for a reminder, its number in the episode (1, 2…); else 0
    overdue: tuple[OpenItem, ...]  # oldest first: what a letter lists
    fee: Fee | None = None
    subscriptions: tuple[str, ...] = ()  # to suspend (SUSPEND) or reactivate (SETTLE)

    @property
    def overdue_total(self) -> Money:
        return total(item.remaining for item in self.overdue)

    def taken(self) -> Taken:
        return Taken(self.kind, self.day, self.step, self.subscriptions)


def evaluate(snapshot: AccountSnapshot, day: date) -> tuple[Action, ...]:
    """The actions due on ``day`` (none, or one: the next step, or the settlement of the episode)."""
    policy = snapshot.pricing.version.dunning
    episode = current_episode(snapshot.history)
    if snapshot.history and day < snapshot.history[-1].day:
        last = snapshot.history[-1].day
        raise TelbillError(
            "dunning.date_order",
            f"{snapshot.account_id}: a dunning run on {day} comes before the last action ({last})",
            ErrorKind.CONFLICT,
        )
    overdue = overdue_items(snapshot.items, day)
    if not overdue:
        return (_settle(snapshot, day, episode),) if episode else ()
    if policy is None:
        return ()
    step = _due_step(policy, episode, overdue[0].entry.settle_by, day)
    if step is None:
        return ()
    return (_step_action(snapshot, policy, step, overdue, day),)


def current_episode(history: tuple[Taken, ...]) -> tuple[Taken, ...]:
    """The actions since the last settlement."""
    settled = [index for index, taken in enumerate(history) if taken.kind is ActionKind.SETTLE]
    return history[settled[-1] + 1 :] if settled else history


def overdue_items(items: tuple[OpenItem, ...], day: date) -> tuple[OpenItem, ...]:
    """The open items whose due date has passed on ``day``, oldest first."""
    late = [item for item in items if item.entry.settle_by < day and not item.remaining.is_zero()]
    return tuple(sorted(late, key=lambda item: (item.entry.settle_by, item.entry.day, item.entry.id)))


def _due_step(policy: DunningPolicy, episode: tuple[Taken, ...], oldest_due: date, day: date) -> int | None:
    index = len(episode)
    if index >= len(policy.steps):
        return None
    if (day - oldest_due).days < policy.steps[index].days:
        return None
    if index > 0:
        interval = policy.steps[index].days - policy.steps[index - 1].days
        if (day - episode[-1].day).days < interval:
            return None
    return index


def _step_action(
    snapshot: AccountSnapshot, policy: DunningPolicy, index: int, overdue: tuple[OpenItem, ...], day: date
) -> Action:
    step = policy.steps[index]
    kind = _KIND_OF_STEP[step.step]
    number = index + 1 if kind is ActionKind.REMIND else 0  # reminders come first in a ladder
    fee = None
    if step.fee is not None:
        params = (("unpaid_total", str(total(item.remaining for item in overdue))),)
        fee = _priced(snapshot.pricing, Order(step.fee, None, params if kind is ActionKind.HAND_OVER else ()))
    suspended: tuple[str, ...] = ()
    if kind is ActionKind.SUSPEND:
        suspended = tuple(sid for sid, state in snapshot.subscriptions if state is State.ACTIVE)
    return Action(kind, snapshot.account_id, day, index, number, overdue, fee, suspended)


def _settle(snapshot: AccountSnapshot, day: date, episode: tuple[Taken, ...]) -> Action:
    suspended = {sid for taken in episode if taken.kind is ActionKind.SUSPEND for sid in taken.subscriptions}
    still = tuple(sid for sid, state in snapshot.subscriptions if sid in suspended and state is State.SUSPENDED)
    return Action(ActionKind.SETTLE, snapshot.account_id, day, None, 0, (), None, still)


def _priced(context: PricingContext, order: Order) -> Fee:
    line = price_order(context, order)
    return Fee(order, line.net, line.label, line.provenance.explanation)
