"""Receivables use cases, shared parts: their dependencies, and the ledger catching up with issued documents.

The bill run issues documents; the ledger learns of them when a receivables use case first touches their
account: ``ledgers_with_issued`` posts, in issue order and in the use case's own transaction, every issued
document that no ledger holds yet. A document is thus in its account's ledger before anything is matched
against it or decided about it, and it is posted once (its number is the entry's id).

Use cases: ``payments.py`` (statement import, review queue), ``dunning.py`` (the dunning run),
``direct_debit.py`` (SEPA export).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import cast

from telbill.app.billing import BillingDeps, CatalogLookup
from telbill.app.store import ReceivablesUnitOfWork
from telbill.core.billing.parties import Seller
from telbill.core.receivables.ledger import Entry, Ledger
from telbill.core.receivables.postings import entry_of, post_into

ReceivablesUnitOfWorkFactory = Callable[[], ReceivablesUnitOfWork]


@dataclass(frozen=True, slots=True)
class ReceivablesDeps:
    unit_of_work: ReceivablesUnitOfWorkFactory
    catalog: CatalogLookup
    seller: Seller | None = None  # the installation's identity, for catalogs that do not name their operator


def receivables_of(deps: BillingDeps) -> ReceivablesDeps:
    """The receivables view of billing dependencies whose store also holds the receivables repositories, as
    the SQL store and the in-memory fakes do (scenarios replay both domains on one store)."""
    return ReceivablesDeps(cast(ReceivablesUnitOfWorkFactory, deps.unit_of_work), deps.catalog, deps.seller)


def ledgers_with_issued(uow: ReceivablesUnitOfWork, account_ids: Sequence[str]) -> dict[str, Ledger]:
    """The ledgers of ``account_ids`` carried forward (what is open: the cost does not grow with the history),
    every document issued to them posted (see the module doc)."""
    ledgers = uow.ledgers.open_for_accounts(account_ids)
    for account_id, facts in uow.ledgers.unposted(account_ids):
        entry = entry_of(facts)
        if entry is not None:
            book(uow, ledgers, account_id, entry)
    return ledgers


def book(uow: ReceivablesUnitOfWork, ledgers: dict[str, Ledger], account_id: str, entry: Entry) -> Ledger:
    """Post ``entry`` on the account's ledger: stored in this transaction, and ``ledgers`` kept up to date."""
    posting, ledgers[account_id] = post_into(ledgers[account_id], entry)
    uow.ledgers.add(account_id, posting)
    return ledgers[account_id]


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a use case that builds hundreds of thousands of small
    acyclic objects (statement lines, entries, allocations, rows): reference counting frees them, but each
    counts towards the collector's thresholds, and its full passes over the growing heap cost a third of a
    100,000-line import (3 s of 10 s CPU, ``bench/receivables.py``). Restored on the way out, whatever happens;
    a cycle made meanwhile is collected by the next pass. Wrap a *call* whose working objects die when it
    returns: the first pass after the pause traverses every object made during it that is still alive, so
    freeing them before the collector is back saves that pass (0.4 s of the import)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
