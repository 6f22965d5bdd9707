"""Small builders for the receivables tests: amounts, days, ledger entries, coded refusals."""

from __future__ import annotations

import re
from datetime import date

import pytest

from telbill.core.errors import TelbillError
from telbill.core.money import Money
from telbill.core.receivables.ledger import Entry, EntryKind, Ledger
from telbill.core.receivables.postings import post


def m(text: str) -> Money:
    return Money.of(text)


def d(text: str) -> date:
    return date.fromisoformat(text)


def refused(code: str) -> pytest.RaisesExc[TelbillError]:
    return pytest.raises(TelbillError, match=rf"^{re.escape(code)}:")


def invoice(number: str, issued: str, due: str, gross: str, communication: str | None = None) -> Entry:
    return Entry(number, EntryKind.INVOICE, d(issued), m(gross), d(due), communication)


def fee(number: str, issued: str, due: str, gross: str) -> Entry:
    return Entry(number, EntryKind.FEE, d(issued), m(gross), d(due))


def payment(entry_id: str, day: str, amount: str, communication: str | None = None) -> Entry:
    return Entry(entry_id, EntryKind.PAYMENT, d(day), -m(amount), communication=communication)


def book(ledger: Ledger, *entries: Entry) -> Ledger:
    for entry in entries:
        ledger = ledger.with_posting(post(ledger, entry))
    return ledger
