"""Builders for the receivables use-case tests: a Belgacom residential customer billed by real bill runs, and
bank statements written in memory.

An Peeters subscribes to DIRECTORY-LINE-SIMPLE: 34.49 TVAC, 28.50 net + 21 % VAT (5.985 → 5.99) = 34.49 a
month. Invoices are numbered F2026-000001… and carry the structured communication of base 2026000000 + n:
2026000001 mod 97 = 92 → +++202/6000/00192+++, 2026000002 → 93, 2026000003 → 94, 2026000004 → 95.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from telbill.app.receivables import ReceivablesDeps, ledgers_with_issued, receivables_of
from telbill.core.money import Money
from telbill.core.receivables.ledger import Ledger
from telbill.core.receivables.statements import Statement, StatementFile, StatementLine
from tests.app.builders import Operator, residential, subscription

COMMUNICATION = {n: f"20260000{n:02d}{(2026000000 + n) % 97 or 97:02d}" for n in range(1, 10)}


def peeters(operator: Operator, activated: str = "2026-01-01") -> None:
    with operator.uow() as uow:
        uow.accounts.add(residential("ACC-PEETERS"))
        plan = subscription("SUB-1", "ACC-PEETERS", "DIRECTORY-LINE-SIMPLE", ("activate", activated, None))
        uow.subscriptions.add(plan)
        uow.commit()


def receivables(operator: Operator) -> ReceivablesDeps:
    return receivables_of(operator.deps())


def line(day: str, amount: str, **fields: str) -> StatementLine:
    """A statement line (its id is given by ``statement_file``)."""
    return StatementLine("", date.fromisoformat(day), Money.of(amount), **fields)  # type: ignore[arg-type]


def statement_file(number: int, *lines: StatementLine, opening: str = "0.00") -> StatementFile:
    """One statement of the operator's account; the line ids carry the statement number and their position."""
    statement_id = f"BE68539007547034/2026/{number:03d}"
    renumbered = tuple(replace(ln, id=f"{statement_id}/{i:04d}") for i, ln in enumerate(lines, start=1))
    closing = Money.of(opening) + sum((ln.amount for ln in lines), Money.zero())
    day = max(ln.booked for ln in lines)
    account, opened = "BE68539007547034", Money.of(opening)
    statement = Statement(statement_id, account, f"{number:03d}", day, opened, closing, renumbered)
    return StatementFile(f"statement-{number:03d}", "test", (statement,))


def ledger(operator: Operator, account_id: str = "ACC-PEETERS") -> Ledger:
    """The ledger as a use case sees it: what is stored, and the documents issued since (not committed)."""
    with receivables(operator).unit_of_work() as uow:
        return ledgers_with_issued(uow, [account_id])[account_id]


def opens(operator: Operator, account_id: str = "ACC-PEETERS") -> dict[str, str]:
    return {item.entry.id: str(item.remaining) for item in ledger(operator, account_id).open_items()}
