"""Matching bank statement lines with what customers owe (docs/algorithms/dunning.md, "Matching").

Each line gets exactly one outcome, decided in this order:
1. its end-to-end reference is one of our direct debit collections: a credit **collects** it (booked as the
   payment of its document), a debit **returns** it (that payment is reversed);
2. a debit otherwise is **ignored**: the operator's own payments and bank charges are no customer's payment;
3. a credit quoting the structured communication of one of our documents is a **payment** of that
   document's account (allocation then settles that document first);
4. any other credit goes to **review**, for a person, with suggestions: accounts whose holder's name the
   payer's name contains (at least half of the holder's name words), an open item of the same amount first.

Nothing here posts anything: the shell applies the outcomes (``app/receivables.py``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType

from telbill.core.money import total
from telbill.core.receivables.collections import Collection
from telbill.core.receivables.ledger import OpenItem
from telbill.core.receivables.statements import StatementLine


class Outcome(Enum):
    PAYMENT = "payment"
    COLLECTED = "collected"
    RETURNED = "returned"
    REVIEW = "review"
    IGNORED = "ignored"


@dataclass(frozen=True, slots=True)
class Suggestion:
    account_id: str
    document: str | None  # the open item of the same amount, if there is one
    reason: str  # "amount and name", "total open and name", "name"


@dataclass(frozen=True, slots=True)
class Match:
    line: StatementLine
    outcome: Outcome
    account_id: str | None = None
    document: str | None = None
    suggestions: tuple[Suggestion, ...] = ()
    reason: str = ""


# words that say nothing about who pays: legal forms and particles
_LEGAL_FORMS = ("sa", "nv", "bv", "bvba", "sprl", "srl", "scrl", "cvba", "vzw", "asbl", "sc", "cv", "comm", "scs",
                "ltd", "gmbh", "sas", "sasu", "sarl")  # fmt: skip
_PARTICLES = ("de", "la", "le", "les", "du", "des", "van", "der", "den", "het", "en", "et", "and", "mr", "mme", "mevr")
_NOISE = frozenset((*_LEGAL_FORMS, *_PARTICLES, "dhr"))


def name_words(name: str) -> frozenset[str]:
    """The words of a name that identify someone: accents and case folded, legal forms dropped."""
    plain = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(c if c.isalnum() else " " for c in plain if not unicodedata.combining(c))
    return frozenset(word for word in letters.split() if word not in _NOISE and len(word) > 1)


COMMON = 100  # holders beyond which a name word alone finds no one (``PayerIndex.accounts_named_in``)


@dataclass(frozen=True, slots=True)
class PayerIndex:
    """Account holders by the words of their names."""

    names: Mapping[str, frozenset[str]]  # account id → name words
    by_word: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_word: dict[str, list[str]] = {}
        for account_id, words in self.names.items():
            for word in words:
                by_word.setdefault(word, []).append(account_id)
        object.__setattr__(self, "names", MappingProxyType(dict(self.names)))
        object.__setattr__(self, "by_word", MappingProxyType({w: tuple(ids) for w, ids in by_word.items()}))

    @classmethod
    def of(cls, holders: Iterable[tuple[str, str]]) -> PayerIndex:
        return cls({account_id: name_words(name) for account_id, name in holders})

    def accounts_named_in(self, payer: str | None) -> tuple[str, ...]:
        """Accounts at least half of whose holder's name words appear in ``payer``, best first (the share of the
        holder's words, then the account id).

        The candidates are the holders of the payer's rarer words: a word that more than ``COMMON`` holders share
        (a common first name, "services") names no one by itself, though it still counts in a candidate's share,
        and a payer with no rarer word gets no suggestion by name (a person searches). Walking every holder of
        such a word for every line made matching quadratic: a 100,000-line statement whose payers shared one
        word with 20,000 holders did not finish in ten minutes."""
        words = name_words(payer or "")
        rare = (self.by_word.get(word, ()) for word in words)
        found: list[tuple[float, str]] = []
        for account_id in {account_id for accounts in rare if len(accounts) <= COMMON for account_id in accounts}:
            own = self.names[account_id]
            shared = len(own & words)
            if 2 * shared >= len(own):
                found.append((-shared / len(own), account_id))
        return tuple(account_id for _, account_id in sorted(found))


@dataclass(frozen=True, slots=True)
class MatchBook:
    """What matching knows, gathered by the shell for the lines of one import."""

    documents: Mapping[str, tuple[str, str]]  # structured communication → (account id, document number)
    collections: Mapping[str, Collection]  # end-to-end id → our collection
    payers: PayerIndex = PayerIndex({})
    open_items: Mapping[str, tuple[OpenItem, ...]] = field(default_factory=lambda: MappingProxyType({}))


def match_line(line: StatementLine, book: MatchBook) -> Match:
    collection = book.collections.get(line.end_to_end) if line.end_to_end else None
    if collection is not None:
        outcome = Outcome.RETURNED if line.amount.is_negative() else Outcome.COLLECTED
        reason = f"direct debit {line.end_to_end}"
        return Match(line, outcome, collection.account_id, collection.document, reason=reason)
    if line.amount.is_negative() or line.amount.is_zero():
        return Match(line, Outcome.IGNORED, reason="a debit no collection of ours explains")
    if line.structured is not None:
        known = book.documents.get(line.structured)
        if known is not None:
            return Match(line, Outcome.PAYMENT, known[0], known[1], reason="structured communication")
        return Match(line, Outcome.REVIEW, suggestions=suggest(line, book), reason="structured communication unknown")
    return Match(line, Outcome.REVIEW, suggestions=suggest(line, book), reason="no structured communication")


def suggest(line: StatementLine, book: MatchBook) -> tuple[Suggestion, ...]:
    """Rule 4: the accounts the payer's name names, those with an item of the line's amount first."""
    strong: list[Suggestion] = []
    weak: list[Suggestion] = []
    for account_id in book.payers.accounts_named_in(line.counterparty_name):
        items = book.open_items.get(account_id, ())
        same = next((item for item in items if item.remaining == line.amount), None)
        if same is not None:
            strong.append(Suggestion(account_id, same.entry.id, "amount and name"))
        elif items and total(item.remaining for item in items) == line.amount:
            strong.append(Suggestion(account_id, None, "total open and name"))
        else:
            weak.append(Suggestion(account_id, None, "name"))
    return tuple(strong + weak)[:5]
