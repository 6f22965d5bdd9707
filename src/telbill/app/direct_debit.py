"""SEPA direct debit export: which open items to collect, one pain.008 message per creditor. One transaction.

1. gather: the accounts that pay by direct debit, their ledgers (issued documents posted), every collection
   made for them before;
2. decide: ``core.receivables.collections.select_collections``: each open item due by the collection date
   that no collection still covers, under the account's mandate, FRST or RCUR;
3. apply: number each message from the gap-free series ``DD<year>``, render it (the renderer validates it
   against the pain.008 schema, or refuses), record its collections as submitted; commit. An item is in one
   submitted collection at most: exporting again collects nothing twice. The collections are booked as
   payments when a bank statement shows them collected (``payments.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Protocol

from telbill.app.receivables import ReceivablesDeps, ledgers_with_issued
from telbill.app.store import ReceivablesUnitOfWork
from telbill.core.accounts import Account, PaymentMethod
from telbill.core.billing.parties import Seller
from telbill.core.billing.run import seller_of
from telbill.core.errors import TelbillError
from telbill.core.receivables.collections import (
    CollectionRequest,
    DirectDebitMessage,
    creditor_identifier,
    select_collections,
)


class DirectDebitRenderer(Protocol):
    def pain008(self, message: DirectDebitMessage) -> bytes:
        """The pain.008 file of ``message``, validated against its schema (``sepa.invalid`` otherwise)."""
        ...


@dataclass(frozen=True, slots=True)
class SepaRequest:
    collection_date: date  # the day the debtors' accounts are debited (ReqdColltnDt)
    created: datetime  # when the message is made (CreDtTm)


@dataclass(frozen=True, slots=True)
class SepaExport:
    message: DirectDebitMessage
    xml: bytes


def export_direct_debits(
    deps: ReceivablesDeps, renderer: DirectDebitRenderer, request: SepaRequest
) -> list[SepaExport]:
    with deps.unit_of_work() as uow:
        accounts = [a for a in uow.accounts.many(uow.accounts.ids()) if a.payment_method is PaymentMethod.DIRECT_DEBIT]
        exports = [
            _export(uow, renderer, seller, group, request) for seller, group in _by_creditor(deps, accounts).values()
        ]
        uow.commit()
    return [export for export in exports if export is not None]


def _by_creditor(deps: ReceivablesDeps, accounts: list[Account]) -> dict[str, tuple[Seller, list[Account]]]:
    groups: dict[str, tuple[Seller, list[Account]]] = {}
    for account in accounts:
        seller = seller_of(deps.catalog(account.catalog_id), deps.seller)
        groups.setdefault(seller.iban, (seller, []))[1].append(account)
    return groups


def _export(
    uow: ReceivablesUnitOfWork,
    renderer: DirectDebitRenderer,
    seller: Seller,
    accounts: list[Account],
    request: SepaRequest,
) -> SepaExport | None:
    if seller.party.enterprise_number is None:
        raise TelbillError("sepa.creditor", f"{seller.party.name} has no enterprise number: no creditor identifier")
    ids = [a.id for a in accounts]
    ledgers = ledgers_with_issued(uow, ids)
    earlier = uow.collections.for_accounts(ids)
    wanted = tuple(CollectionRequest(a, ledgers[a.id].open_items(), tuple(earlier.get(a.id, ()))) for a in accounts)
    selected = select_collections(wanted, request.collection_date, "")
    if not selected:
        return None
    year = request.collection_date.year
    message_id = f"DD{year}-{uow.numbers.allocate(f'DD{year}', 1):06d}"
    collections = tuple(replace(collection, message_id=message_id) for collection in selected)
    creditor_id = creditor_identifier(seller.party.enterprise_number)
    message = DirectDebitMessage(message_id, request.created, seller, creditor_id, collections)
    xml = renderer.pain008(message)
    uow.collections.add(collections)
    return SepaExport(message, xml)
