"""The letters dunning sends: what a reminder or a suspension notice says, as data for a renderer.

Contract: ``letter_of(action, context)`` gives the letter of a REMIND or SUSPEND action (None for the other
kinds): the overdue items with their structured communications, the total, the fee the step charges, the
date by which to pay before the next step (the day of the action + the interval to the next step of the
ladder) with what that step would charge, and, for a suspension, the reactivation fee that paying will
cost. A letter is in the buyer's language; its words are the renderer's (``adapters/rendering/letters.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from telbill.core.billing.numbering import StructuredCommunication
from telbill.core.billing.parties import Party, Seller
from telbill.core.catalog.dunning_policy import DunningPolicy, DunningStep, DunningStepKind
from telbill.core.catalog.inputs import Order
from telbill.core.catalog.pricing import PricingContext, price_order
from telbill.core.money import Money
from telbill.core.receivables.dunning import Action, ActionKind, Fee


class LetterKind(Enum):
    REMINDER = "reminder"
    SUSPENSION = "suspension"


@dataclass(frozen=True, slots=True)
class LetterItem:
    document: str
    due: date
    open_amount: Money
    communication: str | None  # printed +++ddd/dddd/ddddd+++


@dataclass(frozen=True, slots=True)
class Letter:
    kind: LetterKind
    number: int  # the reminder's number in the episode (1, 2…); 0 for a suspension notice
    account_id: str
    buyer: Party
    seller: Seller
    day: date
    items: tuple[LetterItem, ...]
    total: Money
    fee: Fee | None  # what this step charges, with the next bill
    pay_by: date | None  # pay before this day to avoid the next step (None: no next step)
    next_step: DunningStepKind | None
    next_fee: Money | None  # what the next step would charge, on today's overdue total
    subscriptions: tuple[str, ...] = ()  # suspended
    reactivation_fee: Money | None = None


@dataclass(frozen=True, slots=True)
class LetterContext:
    buyer: Party
    seller: Seller
    pricing: PricingContext  # the catalog version in effect on the day, for the account's segment


def letter_of(action: Action, context: LetterContext) -> Letter | None:
    kinds = {ActionKind.REMIND: LetterKind.REMINDER, ActionKind.SUSPEND: LetterKind.SUSPENSION}
    kind = kinds.get(action.kind)
    policy = context.pricing.version.dunning
    if kind is None or policy is None or action.step is None:
        return None
    items = tuple(
        LetterItem(i.entry.id, i.entry.settle_by, i.remaining, _printed(i.entry.communication)) for i in action.overdue
    )
    pay_by, following = _next(policy, action.step, action.day)
    next_fee = None
    if following is not None and following.fee is not None:
        params = (("unpaid_total", str(action.overdue_total)),) if following.step is DunningStepKind.COLLECTION else ()
        next_fee = price_order(context.pricing, Order(following.fee, None, params)).net
    reactivation = _reactivation_fee(context.pricing) if kind is LetterKind.SUSPENSION else None
    return Letter(kind, action.number, action.account_id, context.buyer, context.seller, action.day, items,
                  action.overdue_total, action.fee, pay_by, following.step if following else None, next_fee,
                  action.subscriptions, reactivation)  # fmt: skip


def _next(policy: DunningPolicy, step: int, day: date) -> tuple[date | None, DunningStep | None]:
    if step + 1 >= len(policy.steps):
        return None, None
    following = policy.steps[step + 1]
    return day + timedelta(days=following.days - policy.steps[step].days), following


def _reactivation_fee(context: PricingContext) -> Money | None:
    code = context.version.policies.reactivation_fee
    return None if code is None else price_order(context, Order(code)).net


def _printed(digits: str | None) -> str | None:
    return None if digits is None else str(StructuredCommunication(digits))
