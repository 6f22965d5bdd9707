"""CODA 2 bank statements (Febelfin "Standard CODA" 2.x) → ``Statement``s; a faulty file is refused whole.

telbill reads CODA itself rather than through ``febelfin-coda``, which validates with ``assert`` (gone under
``python -O``), names neither line nor field, refuses two of the sound fixtures and accepts a faulty one
(docs/adr/0003-coda-read-by-telbill.md).

Records are 128 characters; positions below are 1-based, as in the standard. Shorter lines are read as if
padded with blanks (a trailing blank is easily lost in transfer). Every check is an error ``Finding`` naming
the line, the position and the field, and all of a file's findings are reported at once:

- the version (0, position 128) is 2; every record type is known (0, 1, 21–23, 31–33, 4, 8, 9) and comes
  inside a statement (after 0, before 9); dates (DDMMYY) and amounts (15 digits, 3 decimals) are valid;
  the currency is EUR;
- a 22/23 record continues the 21 record of the same movement and detail number; a detail (detail
  number other than 0000) belongs to the movement before it;
- a movement of transaction type 1 or 2 (totalised by the customer or the bank) or 3 (with detailed data)
  is followed by its details, which add up to it; details of type 5–9 never stand alone;
- the new balance (8) = the old balance (1) + the movements (types 0–3); the trailer (9) states the number
  of records 1, 2x, 3x and 8, and the totals of debit and credit movements.

One check is a warning only: the account of record 8 should repeat that of record 1 (the anonymised
fixtures differ there, their balances do not).

Statement id: ``<account>/<year of the new balance>/<paper statement number>``. Lines: plain movements
(types 0 and 3) and the details of globalised ones (types 5 and 6, the individual payments).
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from telbill.core.errors import Finding, Location, Severity
from telbill.core.money import Money, total
from telbill.core.receivables.statements import (
    Statement,
    StatementFile,
    StatementLine,
    structured_digits,
    structured_in,
)

FORMAT = "CODA 2"
_ACCOUNT = {"0": (6, 17, 19, 21), "1": (6, 39, 40, 42), "2": (6, 21, 40, 42), "3": (6, 39, 40, 42)}
_ISO_REASON = re.compile(r"^[A-Z]{2}[0-9]{2}$")
_DETAILED = {"1": "totalised by the customer", "2": "totalised by the bank", "3": "with detailed data"}


def cut(record: str, start: int, end: int) -> str:
    """Positions ``start``–``end`` of a record, 1-based and inclusive, as the standard numbers them."""
    return record[start - 1 : end]


@dataclass(slots=True)
class _Movement:
    """A 21 record with what its 22/23 records add (a scratchpad of the reader)."""

    line: int
    sequence: str
    detail: str
    type: str
    amount: Money
    booked: date
    text: list[str] = field(default_factory=list)
    structured: str | None = None
    end_to_end: str | None = None
    return_reason: str | None = None
    name: str | None = None
    account: str | None = None
    details: list[_Movement] = field(default_factory=list)


@dataclass
class _Statement:
    line: int
    account: str = ""
    number: str = ""
    opening: Money = field(default_factory=Money.zero)
    closing: Money | None = None
    day: date | None = None
    records: int = 0
    movements: list[_Movement] = field(default_factory=list)
    last: _Movement | None = None  # the movement the next 22/23 record continues


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.findings: list[Finding] = []
        self.statements: list[Statement] = []
        self.open: _Statement | None = None
        self.dates: dict[str, date] = {}  # DDMMYY → the date, read once
        self.amounts: dict[str, Money] = {}  # sign and 15 digits → the amount, read once (amounts repeat)

    def error(self, line: int, column: int, field_name: str, message: str) -> None:
        location = Location(self.source, line, column, field_name)
        self.findings.append(Finding(_code(field_name), Severity.ERROR, message, location))

    def warn(self, line: int, column: int, field_name: str, message: str) -> None:
        location = Location(self.source, line, column, field_name)
        self.findings.append(Finding(_code(field_name), Severity.WARNING, message, location))

    def date(self, record: str, line: int, start: int, name: str) -> date | None:
        text = cut(record, start, start + 5)
        known = self.dates.get(text)  # a statement's lines share a handful of days
        if known is not None:
            return known
        try:
            self.dates[text] = date(2000 + int(text[4:6]), int(text[2:4]), int(text[0:2]))
        except ValueError:
            self.error(line, start, name, f"{text!r} is not a date DDMMYY")
            return None
        return self.dates[text]

    def amount(self, record: str, line: int, start: int, name: str) -> Money | None:
        """A sign (0 credit, 1 debit) at ``start``, then 15 digits with 3 decimals."""
        known = self.amounts.get(record[start - 1 : start + 15])  # a statement repeats its amounts
        if known is not None:
            return known
        sign, digits = record[start - 1], record[start : start + 15]
        if sign not in "01" or not (digits.isascii() and digits.isdigit()):
            self.error(line, start, name, f"{sign}{digits!r} is not a sign and 15 digits")
            return None
        thousandths = int(digits)
        if thousandths % 10:
            self.error(line, start + 15, name, f"{digits} has a third decimal: telbill books cents")
            return None
        cents = Decimal(thousandths // 10).scaleb(-2)  # two decimals by construction: no check needed
        money = self.amounts[sign + digits] = Money._cents(-cents if sign == "1" else cents)
        return money

    # ------------------------------------------------------------------------------------------ records

    def read(self, number: int, record: str) -> None:
        kind = record[:1]
        if kind == "0":
            self.header(number, record)
        elif self.open is None:
            self.error(number, 1, "record", f"a record {record[:2]!r} outside a statement (before 0 or after 9)")
        elif kind == "1":
            self.old_balance(number, record, self.open)
        elif kind == "2":
            self.movement_record(number, record, self.open)
        elif kind == "3":
            self.open.records += 1
        elif kind == "8":
            self.new_balance(number, record, self.open)
        elif kind == "9":
            self.trailer(number, record, self.open)
        elif kind != "4":  # 4: a free message of the bank, counted nowhere
            self.error(number, 1, "record", f"{kind!r} is not a CODA record type")

    def header(self, number: int, record: str) -> None:
        if self.open is not None:
            self.error(number, 1, "record", "a new header (0) before the trailer (9) of the statement before")
        self.open = _Statement(number)
        version = cut(record, 128, 128)
        if version != "2":
            self.error(number, 128, "version", f"CODA version {version.strip() or '(blank)'} is not supported: "
                       "telbill reads version 2")  # fmt: skip
        self.date(record, number, 6, "creation date")

    def old_balance(self, number: int, record: str, statement: _Statement) -> None:
        statement.records += 1
        layout = _ACCOUNT.get(cut(record, 2, 2))
        if layout is None:
            self.error(number, 2, "account structure", f"{cut(record, 2, 2)!r} is not an account structure 0–3")
            return
        statement.account = cut(record, layout[0], layout[1]).strip()
        currency = cut(record, layout[2], layout[3])
        if currency != "EUR":
            self.error(number, layout[2], "currency", f"the account is in {currency!r}: telbill books euro only")
        statement.number = cut(record, 3, 5)
        statement.opening = self.amount(record, number, 43, "old balance") or Money.zero()
        self.date(record, number, 59, "old balance date")

    def movement_record(self, number: int, record: str, statement: _Statement) -> None:
        # the hot path: plain slices (record[a:b] is positions a+1 to b)
        statement.records += 1
        article = record[1]
        if article == "1":
            self.movement(number, record, statement)
            return
        last = statement.last
        key = record[2:10]
        if article not in ("2", "3"):
            self.error(number, 2, "record", f"2{article} is not a movement record (21, 22 or 23)")
        elif last is None or key != last.sequence + last.detail:
            self.error(number, 3, "movement number", f"record 2{article} of {key} follows no 21 record of {key}")
        elif article == "2":
            last.text.append(record[10:63])  # 11–63 the communication goes on, 64–98 the end-to-end reference
            last.end_to_end = record[63:98].strip() or None
            reason = record[113:117]  # after the R-transaction type (113): an ISO reason such as MD06
            if record[112] in "12345" and _ISO_REASON.match(reason):
                last.return_reason = reason
        else:
            last.account = record[10:44].strip() or None  # 11–44 the counterparty's account, 48–82 its name
            last.name = record[47:82].strip() or None
            last.text.append(record[82:125])

    def movement(self, number: int, record: str, statement: _Statement) -> None:
        # the hot path: plain slices, positions 3–6 movement, 7–10 detail, 54 transaction type, 62 structured
        # flag, 63–65 its type, 66–77 the 12 digits, 63–115 a free communication
        sequence, detail, kind = record[2:6], record[6:10], record[53]
        amount = self.amount(record, number, 32, "amount")
        booked = self.dates.get(record[115:121]) or self.date(record, number, 116, "entry date")
        if not (sequence.isdigit() and detail.isdigit()):
            self.error(number, 3, "movement number", f"{sequence}{detail!r} is not a movement and detail number")
            return
        if amount is None or booked is None:
            return
        movement = _Movement(number, sequence, detail, kind, amount, booked)
        if record[61] == "1" and record[62:65] in ("101", "102"):
            movement.structured = structured_digits(record[65:77])
        else:
            movement.text.append(record[62:115])
        statement.last = movement
        if detail == "0000" and kind not in "56789":  # a plain movement, the common case of ``place``
            statement.movements.append(movement)
        else:
            self.place(movement, statement)

    def place(self, movement: _Movement, statement: _Statement) -> None:
        if movement.detail == "0000":
            if movement.type in "56789":
                self.error(movement.line, 54, "transaction type", f"movement {movement.sequence} is of type "
                           f"{movement.type}, a detail type, but has no movement to detail")  # fmt: skip
            statement.movements.append(movement)
            return
        parent = statement.movements[-1] if statement.movements else None
        if parent is None or parent.sequence != movement.sequence:
            self.error(movement.line, 3, "movement number", f"detail {movement.sequence}/{movement.detail} "
                       "does not follow its movement")  # fmt: skip
            return
        parent.details.append(movement)

    def new_balance(self, number: int, record: str, statement: _Statement) -> None:
        statement.records += 1
        account = cut(record, 5, 41).strip()
        if statement.account and not account.startswith(statement.account):
            named = account.split()[0] if account else "(blank)"
            self.warn(number, 5, "account", f"record 8 names account {named}, record 1 {statement.account}")
        statement.closing = self.amount(record, number, 42, "new balance")
        statement.day = self.date(record, number, 58, "new balance date")

    def trailer(self, number: int, record: str, statement: _Statement) -> None:
        self.open = None
        self.check_movements(statement)
        self.check_totals(number, record, statement)
        if statement.closing is not None and statement.day is not None and not self.findings_since(statement.line):
            self.statements.append(_finished(statement))

    def findings_since(self, line: int) -> bool:
        return any(
            f.severity is Severity.ERROR and f.location.line is not None and f.location.line >= line
            for f in self.findings
        )

    # ------------------------------------------------------------------------------------------ checks

    def check_movements(self, statement: _Statement) -> None:
        for movement in statement.movements:
            if not movement.details:  # the common case: a plain movement, nothing to add up
                if movement.type in _DETAILED:
                    described = f"{movement.type} ({_DETAILED[movement.type]})"
                    self.error(movement.line, 54, "transaction type", f"movement {movement.sequence} is of type "
                               f"{described} but none of its details follows")  # fmt: skip
                continue
            first_level = [d.amount for d in movement.details if d.type in "5678"]
            if first_level and total(first_level) != movement.amount:
                self.error(movement.line, 32, "amount", f"movement {movement.sequence} of {movement.amount} is not "
                           f"the total of its details ({total(first_level)})")  # fmt: skip

    def check_totals(self, number: int, record: str, statement: _Statement) -> None:
        mains = [m.amount.amount for m in statement.movements]
        if statement.closing is None:
            self.error(number, 1, "new balance", "the statement has no new balance (record 8) before its trailer")
        elif statement.opening.amount + sum(mains, Decimal(0)) != statement.closing.amount:
            computed = Money(statement.opening.amount + sum(mains, Decimal(0)))
            self.error(statement.line, 1, "new balance", f"old balance {statement.opening} + movements = {computed}, "
                       f"but the new balance is {statement.closing}")  # fmt: skip
        count = cut(record, 17, 22)
        if not count.isdigit() or int(count) != statement.records:
            self.error(number, 17, "record count", f"the trailer announces {count} records, "
                       f"the statement holds {statement.records}")  # fmt: skip
        debit = -sum((a for a in mains if a < 0), Decimal(0))
        credit = sum((a for a in mains if a > 0), Decimal(0))
        for start, name, counted in ((23, "debit total", debit), (38, "credit total", credit)):
            stated = self.amount("0" + cut(record, start, start + 14), number, 1, name)
            if stated is not None and stated.amount != counted:
                message = f"the trailer states {stated}, the movements add up to {Money(counted)}"
                self.error(number, start, name, message)

    def finish(self, last_line: int) -> StatementFile:
        if self.open is not None:
            self.error(last_line, 1, "record", "the file ends inside a statement: no trailer record (9)")
        if not self.statements and not self.findings:
            self.error(1, 1, "record", "the file holds no statement")
        findings = sorted(self.findings, key=lambda f: (f.location.line or 0, f.location.column or 0))
        return StatementFile(self.source, FORMAT, tuple(self.statements), tuple(findings))


def _code(field_name: str) -> str:
    return "coda." + field_name.replace(" ", "_")


def _finished(statement: _Statement) -> Statement:
    assert statement.closing is not None and statement.day is not None
    statement_id = f"{statement.account}/{statement.day.year}/{statement.number}"
    lines: list[StatementLine] = []
    for movement in statement.movements:
        if movement.type in "12":  # globalised: its details of type 5 and 6 are the payments
            lines += [_line(statement_id, detail) for detail in movement.details if detail.type in "56"]
        else:
            lines.append(_line(statement_id, movement))
    return Statement(statement_id, statement.account, statement.number, statement.day, statement.opening,
                     statement.closing, tuple(lines))  # fmt: skip


def _line(statement_id: str, movement: _Movement) -> StatementLine:
    text = " ".join(" ".join(movement.text).split())  # the words of every part, one space apart
    suffix = movement.sequence if movement.detail == "0000" else f"{movement.sequence}.{movement.detail}"
    return StatementLine(
        f"{statement_id}/{suffix}",
        movement.booked,
        movement.amount,
        text,
        movement.structured or structured_in(text),
        movement.name,
        movement.account,
        movement.end_to_end,
        movement.return_reason,
        f"line {movement.line}",
    )


def read_coda(data: bytes, source: str) -> StatementFile:
    """Every statement of a CODA file and every finding (windows-1252, as Belgian banks write it)."""
    with _cycle_collector_paused():  # around the call: the reader's scratch objects are freed first
        return _read(data, source)


def _read(data: bytes, source: str) -> StatementFile:
    reader = _Reader(source)
    text = data.decode("cp1252", errors="replace")
    number = 0
    movement_record = reader.movement_record
    for number, record in enumerate(text.splitlines(), start=1):  # splitlines drops \r\n and \n alike
        if len(record) != 128:
            if not record or record.isspace():
                continue
            if len(record) > 128:
                reader.error(number, 129, "record length", f"a record has 128 characters, this one {len(record)}")
                continue
            record = record.ljust(128)
        if record[0] == "2" and reader.open is not None:  # 3 of every 4 records: ``read``'s dispatch inlined
            movement_record(number, record, reader.open)
        else:
            reader.read(number, record)
    return reader.finish(number)


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Reading builds several objects per record, none in a cycle: the cyclic collector's passes over them would
    cost a third of the reading (as for the import: ``app.receivables.cycle_collector_paused``)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
