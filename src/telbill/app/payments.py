"""Payments from bank statements, and the review queue a person works through. One transaction each.

``import_statements(deps, read)``:
1. a file with an error finding is refused whole (``statement.faulty``), before anything is written;
2. statements imported before (same id) are skipped: importing a statement again adds nothing;
3. gather: the documents the lines' structured communications name, the collections their end-to-end ids
   name; for the lines left to review, the accounts their payers' names name, with their open items;
4. decide: ``core.receivables.matching`` gives each line its outcome;
5. apply: payments are booked on their accounts' ledgers (``allocation.py`` settles the items), collected
   direct debits booked as payments, returned ones reversed (their items reopen) and charged the catalog's
   returned-debit fee if it has one; review lines queued; the statements recorded; commit.

``assign_review(deps, line_id, account_id)`` books a queued line as a payment of that account;
``dismiss_review(deps, line_id, reason)`` closes it without booking (not a customer's payment).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from telbill.app.receivables import ReceivablesDeps, book, cycle_collector_paused, ledgers_with_issued
from telbill.app.store import ReceivablesUnitOfWork
from telbill.core.billing.charges import PendingCharge
from telbill.core.catalog.inputs import Order
from telbill.core.catalog.versions import version_at
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.money import Money, total
from telbill.core.receivables.collections import CollectionState
from telbill.core.receivables.ledger import Entry, EntryKind, Ledger, Posting
from telbill.core.receivables.matching import Match, MatchBook, Outcome, PayerIndex, match_line
from telbill.core.receivables.postings import post_all, postings_of, return_payment
from telbill.core.receivables.statements import StatementFile, StatementLine, refuse_if_faulty


class StatementReader(Protocol):
    def read(self, path: Path) -> StatementFile:
        """Every statement of a bank file and every finding; a file that cannot be read raises a coded error."""
        ...


@dataclass(slots=True)
class ImportReport:
    source: str
    format: str
    statements: list[str] = field(default_factory=list)
    already_imported: list[str] = field(default_factory=list)
    lines: int = 0
    outcomes: dict[Outcome, int] = field(default_factory=lambda: dict.fromkeys(Outcome, 0))
    booked: Money = field(default_factory=Money.zero)  # payments and collections booked
    warnings: list[str] = field(default_factory=list)


def import_statements(deps: ReceivablesDeps, read: StatementFile) -> ImportReport:
    refuse_if_faulty(read)
    with cycle_collector_paused():  # around the call, so that its working objects are freed first
        return _import(deps, read)


def _import(deps: ReceivablesDeps, read: StatementFile) -> ImportReport:
    report = ImportReport(read.source, read.format, warnings=[str(f) for f in read.findings])
    with deps.unit_of_work() as uow:
        known = uow.statements.known([s.id for s in read.statements])
        new = [s for s in read.statements if s.id not in known]
        report.already_imported = [s.id for s in read.statements if s.id in known]
        lines = [line for statement in new for line in statement.lines]
        matches = _match(uow, lines)
        _apply(deps, uow, matches, report)
        for statement in new:
            uow.statements.add(statement, read.source)
            report.statements.append(statement.id)
        uow.commit()
    report.lines = len(lines)
    return report


def _match(uow: ReceivablesUnitOfWork, lines: Sequence[StatementLine]) -> list[Match]:
    communications = sorted({line.structured for line in lines if line.structured})
    end_to_end = sorted({line.end_to_end for line in lines if line.end_to_end})
    book_ = MatchBook(uow.ledgers.documents_by_communication(communications), uow.collections.by_end_to_end(end_to_end))
    matches = [match_line(line, book_) for line in lines]
    if not any(m.outcome is Outcome.REVIEW for m in matches):
        return matches
    payers = PayerIndex.of(uow.ledgers.holders())
    named = {
        a for m in matches if m.outcome is Outcome.REVIEW for a in payers.accounts_named_in(m.line.counterparty_name)
    }
    ledgers = ledgers_with_issued(uow, sorted(named))
    book_ = replace(book_, payers=payers, open_items={a: ledger.open_items() for a, ledger in ledgers.items()})
    return [match_line(m.line, book_) if m.outcome is Outcome.REVIEW else m for m in matches]


def _apply(deps: ReceivablesDeps, uow: ReceivablesUnitOfWork, matches: list[Match], report: ImportReport) -> None:
    booked = (Outcome.PAYMENT, Outcome.COLLECTED, Outcome.RETURNED)
    ledgers = ledgers_with_issued(uow, sorted({m.account_id for m in matches if m.outcome in booked and m.account_id}))
    payments = _Payments(uow, ledgers)
    paid: list[Money] = []
    for match in matches:
        report.outcomes[match.outcome] += 1
        if match.outcome is Outcome.PAYMENT:
            paid.append(payments.add(match))
        elif match.outcome is Outcome.COLLECTED:
            payments.book(match.account_id)
            if _collected(uow, ledgers, match):
                paid.append(match.line.amount)
        elif match.outcome is Outcome.RETURNED:
            payments.book(match.account_id)
            _returned(deps, uow, ledgers, match)
        elif match.outcome is Outcome.REVIEW:
            uow.reviews.add(match)
    payments.book_every()
    report.booked = total(paid)


class _Payments:
    """Payments waiting to be booked, per account, in the statement's order: all of an account's at once
    (``postings.post_all``: the ledger built once), before anything else touches its ledger (a collection, a
    return) and at the end."""

    def __init__(self, uow: ReceivablesUnitOfWork, ledgers: dict[str, Ledger]) -> None:
        self.uow, self.ledgers = uow, ledgers
        self.waiting: dict[str, list[Entry]] = {}

    def add(self, match: Match) -> Money:
        assert match.account_id is not None
        line = match.line
        self.waiting.setdefault(match.account_id, []).append(_payment(line, line.structured, match.document))
        return line.amount

    def book(self, account_id: str | None) -> None:
        entries = self.waiting.pop(account_id, None) if account_id is not None else None
        if entries:
            assert account_id is not None
            postings, self.ledgers[account_id] = post_all(self.ledgers[account_id], entries)
            for posting in postings:
                self.uow.ledgers.add(account_id, posting)

    def book_every(self) -> None:
        """The payments left, last of the import: their ledgers are not needed afterwards. Their postings are
        handed over as they are built (``Ledgers.add_all``: a store may write some while booking the rest)."""
        self.uow.ledgers.add_all(self._postings_left())

    def _postings_left(self) -> Iterator[tuple[str, Posting]]:
        waiting, self.waiting = self.waiting, {}
        for account_id, entries in waiting.items():
            for posting in postings_of(self.ledgers.pop(account_id), entries):
                yield account_id, posting


def _payment(line: StatementLine, communication: str | None = None, reference: str | None = None) -> Entry:
    return Entry(line.id, EntryKind.PAYMENT, line.booked, -line.amount, None, communication, reference)


def _collected(uow: ReceivablesUnitOfWork, ledgers: dict[str, Ledger], match: Match) -> bool:
    """Book a collection the statement shows; False when it was collected or returned before (to review)."""
    line = match.line
    assert line.end_to_end is not None and match.account_id is not None
    collection = uow.collections.by_end_to_end([line.end_to_end])[line.end_to_end]
    if collection.state is not CollectionState.SUBMITTED:
        uow.reviews.add(replace(match, outcome=Outcome.REVIEW, reason=f"direct debit {line.end_to_end} is "
                                f"{collection.state.value} already"))  # fmt: skip
        return False
    book(uow, ledgers, match.account_id, _payment(line, collection.communication, collection.document))
    uow.collections.mark(line.end_to_end, CollectionState.COLLECTED, line.id)
    return True


def _returned(deps: ReceivablesDeps, uow: ReceivablesUnitOfWork, ledgers: dict[str, Ledger], match: Match) -> None:
    """The items the direct debit paid reopen; the catalog's returned-debit fee, if any, is charged."""
    line, account_id = match.line, match.account_id
    assert line.end_to_end is not None and account_id is not None
    collection = uow.collections.by_end_to_end([line.end_to_end])[line.end_to_end]
    if collection.state is CollectionState.RETURNED:
        uow.reviews.add(replace(match, outcome=Outcome.REVIEW, reason=f"direct debit {line.end_to_end} returned twice"))
        return
    if collection.payment is not None:
        if not ledgers[account_id].complete:  # reversing needs what the payment settled: the whole ledger
            ledgers[account_id] = uow.ledgers.for_accounts([account_id])[account_id]
        posting = return_payment(ledgers[account_id], collection.payment, line.id, line.booked)
        uow.ledgers.add(account_id, posting)
        ledgers[account_id] = ledgers[account_id].with_posting(posting)
    uow.collections.mark(line.end_to_end, CollectionState.RETURNED, collection.payment)
    account = uow.accounts.get(account_id)
    policy = version_at(deps.catalog(account.catalog_id), line.booked).dunning
    if policy is not None and policy.returned_debit_fee is not None:
        reason = f"direct debit {line.end_to_end} returned" + (f" ({line.return_reason})" if line.return_reason else "")
        charge = PendingCharge(f"{line.id}:returned", None, Order(policy.returned_debit_fee), line.booked, reason)
        uow.charges.add(account_id, charge)


def assign_review(deps: ReceivablesDeps, line_id: str, account_id: str) -> Ledger:
    """Book a queued line as a payment of ``account_id`` (its suggestion's document first, if it named one)."""
    with deps.unit_of_work() as uow:
        match = uow.reviews.get(line_id)
        uow.accounts.get(account_id)
        ledgers = ledgers_with_issued(uow, [account_id])
        named = next((s.document for s in match.suggestions if s.account_id == account_id), None)
        ledger = book(uow, ledgers, account_id, _payment(match.line, match.line.structured, named))
        uow.reviews.close(line_id, f"assigned to {account_id}")
        uow.commit()
    return ledger


def dismiss_review(deps: ReceivablesDeps, line_id: str, reason: str) -> None:
    if not reason.strip():
        raise TelbillError("review.reason", "say why the line is no customer's payment", ErrorKind.NEEDS_INPUT)
    with deps.unit_of_work() as uow:
        uow.reviews.get(line_id)
        uow.reviews.close(line_id, f"dismissed: {reason.strip()}")
        uow.commit()
