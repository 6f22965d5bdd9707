"""Bank statements in one shape, whatever file they came in (CODA, camt.053), and what reading one found.

Contract:
- A ``Statement`` is one statement of one bank account. Its ``id`` is the same every time the same
  statement is read (the account and the bank's statement number): importing it again adds nothing.
- A ``StatementLine`` is one movement a customer payment can be matched against: a plain movement, or one
  detail of a movement the bank or the payer globalised (the details are the payments; their total is the
  booked amount). ``amount`` is signed from the operator's side: + credited to its account, − debited.
- ``structured`` holds the 12 digits of a Belgian structured communication when the payer quoted a valid
  one, flagged as such by the bank or typed in the free text (``structured_in``).
- ``StatementFile`` is what a reader returns: the statements and every finding. A file with an error
  finding is refused whole (``refuse_if_faulty``): nothing of it is imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from telbill.core.billing.numbering import is_valid_structured_communication
from telbill.core.errors import ErrorKind, Finding, Severity, TelbillError
from telbill.core.money import Money


@dataclass(frozen=True, slots=True)
class StatementLine:
    id: str  # "<statement id>/<movement>" or "<statement id>/<movement>.<detail>"
    booked: date
    amount: Money
    communication: str = ""  # the free text as the bank gives it
    structured: str | None = None  # 12 digits of a structured communication
    counterparty_name: str | None = None
    counterparty_account: str | None = None
    end_to_end: str | None = None  # the SEPA end-to-end reference (a direct debit of ours: its id)
    return_reason: str | None = None  # the SEPA reason code of a returned direct debit (AC04, MD06…)
    source: str = ""  # where in the file: "line 42", "Ntry[3]/TxDtls[1]"


@dataclass(frozen=True, slots=True)
class Statement:
    id: str
    account: str  # IBAN, or the Belgian BBAN of an old CODA file
    number: str  # the bank's statement number
    day: date  # the day of the closing balance
    opening: Money
    closing: Money
    lines: tuple[StatementLine, ...]


@dataclass(frozen=True, slots=True)
class StatementFile:
    source: str
    format: str  # "CODA 2" or "camt.053"
    statements: tuple[Statement, ...]
    findings: tuple[Finding, ...] = ()

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def line_count(self) -> int:
        return sum(len(statement.lines) for statement in self.statements)


def refuse_if_faulty(read: StatementFile) -> None:
    """Raise ``statement.faulty`` naming every error of the file (at most ten) when there is one."""
    errors = read.errors
    if not errors:
        return
    shown = "; ".join(str(error) for error in errors[:10])
    more = f" (and {len(errors) - 10} more)" if len(errors) > 10 else ""
    raise TelbillError(
        "statement.faulty",
        f"{read.source} is refused whole, nothing is imported: {shown}{more}",
        ErrorKind.INVALID,
        field=read.source,
    )


# 3 + 4 + 5 digits, slashes and spaces optional, not inside a longer run of digits (an account number)
_CANDIDATE = re.compile(r"(?<!\d)(\d{3}) ?/? ?(\d{4}) ?/? ?(\d{5})(?!\d)")


def structured_in(text: str) -> str | None:
    """The structured communication typed in a free text, when there is exactly one valid one."""
    found = {
        "".join(match.groups())
        for match in _CANDIDATE.finditer(text)
        if is_valid_structured_communication("".join(match.groups()))
    }
    return found.pop() if len(found) == 1 else None


def structured_digits(text: str) -> str | None:
    """The 12 digits of a communication a bank flagged as structured, if its check digits are right."""
    digits = text.strip()
    if not (len(digits) == 12 and digits.isascii() and digits.isdigit()):
        digits = digits.replace("/", "").replace("+", "").replace("*", "").replace(" ", "")
        if not (len(digits) == 12 and digits.isascii() and digits.isdigit()):
            return None
    # ``check_digits`` inlined (a statement checks one per line): the base mod 97, written 97 for 0
    return digits if (int(digits[:10]) % 97 or 97) == int(digits[10:]) else None
