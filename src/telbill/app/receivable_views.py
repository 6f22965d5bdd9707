"""Receivables as the API and the back office list them: an account's payments, the review queue, the dunning
queue (reads only).

Contract: ``payments_of`` reads the account's ledger as ``app/bills.py`` does (every issued document posted, in
memory) and returns its payments with what each settles; ``review_queue`` the statement lines waiting for a
person, with the system's suggestions; ``dunning_queue`` what a dunning run would do on ``day`` — the run itself
in dry-run mode, which commits nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import cast

from telbill.app.access_store import AccessUnitOfWork
from telbill.app.bills import ledger_view
from telbill.app.dunning import DunningRequest, run_dunning
from telbill.app.receivables import ReceivablesDeps
from telbill.app.store import ReceivablesUnitOfWork
from telbill.core.money import Money
from telbill.core.receivables.dunning import Action
from telbill.core.receivables.ledger import EntryKind
from telbill.core.receivables.matching import Match

ReaderFactory = Callable[[], AccessUnitOfWork]


@dataclass(frozen=True, slots=True)
class PaymentView:
    id: str
    account_id: str
    day: date
    amount: Money
    communication: str | None
    returned: bool
    settles: tuple[tuple[str, Money], ...]  # (document, amount)
    unallocated: Money


def payments_of(reader: ReaderFactory, account_id: str) -> list[PaymentView]:
    with reader() as uow:
        uow.accounts.get(account_id)
        ledger = ledger_view(uow, account_id)
    returned = {e.reference for e in ledger.entries if e.kind is EntryKind.PAYMENT_RETURN}
    views = []
    for entry in ledger.entries:
        if entry.kind is not EntryKind.PAYMENT:
            continue
        settles = tuple(sorted(ledger.allocated_by(entry.id).items()))
        views.append(
            PaymentView(
                entry.id,
                account_id,
                entry.day,
                entry.magnitude,
                entry.communication,
                entry.id in returned,
                settles,
                ledger.remaining(entry.id),
            )
        )
    return sorted(views, key=lambda v: (v.day, v.id), reverse=True)


def review_queue(reader: ReaderFactory) -> list[Match]:
    with reader() as uow:
        pending = cast(ReceivablesUnitOfWork, uow).reviews.pending()
    return sorted(pending, key=lambda m: (m.line.booked, m.line.id))


def dunning_queue(deps: ReceivablesDeps, day: date) -> list[Action]:
    return run_dunning(deps, DunningRequest(day, dry_run=True)).actions
