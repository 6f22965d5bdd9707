"""SEPA direct debit collections: which open items of which accounts to collect, under which mandate.

Contract:
- ``select_collections(requests, day)`` decides, for accounts paying by direct debit, one ``Collection``
  per open item due on or before the collection ``day`` that no earlier collection of ours still covers.
  A collection's end-to-end id is ``<document>/<attempt>``: unique, so that the bank statement line that
  confirms it (or returns it) names exactly one collection.
- The sequence type is ``FRST`` for the collections of the first message under a mandate that was never
  collected and whose account says first, ``RCUR`` afterwards (SEPA Core rulebook: a mandate's first
  collection, then recurring ones).
- A collection is paid when a bank statement shows its credit (``matching.py``), and undone when the
  statement shows it returned: ``postings.return_payment`` reopens the items it paid.
- ``creditor_identifier`` is the Belgian SEPA creditor identifier of an enterprise number: ``BE``, two check
  digits, the business code ``ZZZ`` and the 10 digits (EPC262-08: ISO 7064 mod 97-10 over the national
  identifier followed by ``BE00``, letters as 10–35).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from telbill.core.accounts import Account, PaymentMethod, SequenceType
from telbill.core.billing.parties import Seller, is_enterprise_number
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.money import Money, total
from telbill.core.receivables.ledger import OpenItem


class CollectionState(Enum):
    SUBMITTED = "submitted"
    COLLECTED = "collected"
    RETURNED = "returned"


@dataclass(frozen=True, slots=True)
class Collection:
    end_to_end: str  # "<document>/<attempt>"
    account_id: str
    document: str
    communication: str | None  # the document's structured communication, printed in the remittance
    amount: Money
    mandate: str
    mandate_signed: date
    iban: str
    bic: str | None
    debtor: str  # the account holder's name
    sequence: SequenceType
    collection_date: date
    message_id: str  # the pain.008 message it was sent in
    state: CollectionState = CollectionState.SUBMITTED
    payment: str | None = None  # the ledger entry that booked it, once a statement showed it collected


@dataclass(frozen=True, slots=True)
class CollectionRequest:
    """One direct-debit account with its open items and every collection ever made for it."""

    account: Account
    items: tuple[OpenItem, ...]
    earlier: tuple[Collection, ...] = ()


def select_collections(requests: tuple[CollectionRequest, ...], day: date, message_id: str) -> tuple[Collection, ...]:
    """The collections to send in message ``message_id`` for collection on ``day`` (see the module doc)."""
    selected: list[Collection] = []
    for request in requests:
        selected += _for_account(request, day, message_id)
    return tuple(selected)


def _for_account(request: CollectionRequest, day: date, message_id: str) -> list[Collection]:
    account, mandate = request.account, request.account.mandate
    if account.payment_method is not PaymentMethod.DIRECT_DEBIT or mandate is None:
        raise TelbillError("sepa.no_mandate", f"account {account.id} does not pay by direct debit", ErrorKind.CONFLICT)
    pending = {c.document for c in request.earlier if c.state != CollectionState.RETURNED}
    attempts: dict[str, int] = {}
    for earlier in request.earlier:
        attempts[earlier.document] = attempts.get(earlier.document, 0) + 1
    collected_before = any(c.mandate == mandate.reference for c in request.earlier)
    first = mandate.sequence is SequenceType.FIRST and not collected_before
    chosen: list[Collection] = []
    for item in sorted(request.items, key=lambda i: (i.entry.settle_by, i.entry.id)):
        entry = item.entry
        if entry.id in pending or entry.settle_by > day:
            continue
        sequence = SequenceType.FIRST if first else SequenceType.RECURRING
        end_to_end = f"{entry.id}/{attempts.get(entry.id, 0) + 1}"
        chosen.append(
            Collection(end_to_end, account.id, entry.id, entry.communication, item.remaining, mandate.reference,
                       mandate.signed, mandate.iban, mandate.bic, account.party.name, sequence, day, message_id)
        )  # fmt: skip
    return chosen


@dataclass(frozen=True, slots=True)
class DirectDebitMessage:
    """One pain.008 message: the creditor and its collections, with the ids and time the message states."""

    message_id: str
    created: datetime
    creditor: Seller
    creditor_id: str
    collections: tuple[Collection, ...]

    @property
    def total(self) -> Money:
        return total(collection.amount for collection in self.collections)


def creditor_identifier(enterprise_number: str) -> str:
    """``0477472701`` → ``BE11ZZZ0477472701`` (see the module doc)."""
    if not is_enterprise_number(enterprise_number):
        raise TelbillError("sepa.creditor", f"{enterprise_number!r} is not a Belgian enterprise number")
    digits = int("".join(str(int(c, 36)) for c in enterprise_number + "BE00"))
    return f"BE{98 - digits % 97:02d}ZZZ{enterprise_number}"
