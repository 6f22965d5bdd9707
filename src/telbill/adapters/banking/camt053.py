"""ISO 20022 camt.053 bank-to-customer statements → ``Statement``s; a faulty file is refused whole.

Read with lxml (no entities, no network), namespace-agnostic, so camt.053.001.02 and its successors read
alike. Every check is an error ``Finding`` naming the line of the element and its path, all reported:

- the root is a camt.053 ``Document``; each ``Stmt`` has an ``Id``, an account (IBAN) in EUR, an opening
  (``OPBD`` or ``PRCD``) and a closing (``CLBD``) balance;
- each entry has an amount in EUR with at most two decimals, a ``CdtDbtInd`` of CRDT or DBIT and a booking
  date; the transaction details of an entry with several add up to it;
- opening balance + booked entries (status ``BOOK``) = closing balance. Pending entries are not lines.

Statement id: ``<IBAN>/<Stmt/Id>``. Lines: each transaction detail of a booked entry (a batch booking
lists one per payment), or the entry itself when it has none. A structured communication is the creditor
reference of a ``SCOR`` reference issued by ``BBA`` (the Belgian bankers' association), or one typed in the
unstructured remittance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

from telbill.core.errors import Finding, Location, Severity, TelbillError
from telbill.core.money import Money, total
from telbill.core.receivables.statements import (
    Statement,
    StatementFile,
    StatementLine,
    structured_digits,
    structured_in,
)

FORMAT = "camt.053"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=True)


class _Faulty(Exception):
    """One element is wrong: the finding is recorded and the statement is not kept."""


@dataclass
class _Reader:
    source: str

    def __post_init__(self) -> None:
        self.findings: list[Finding] = []

    def fault(self, element: etree._Element, path: str, message: str) -> _Faulty:
        location = Location(self.source, element.sourceline, None, path)
        self.findings.append(Finding("camt." + path.split("/")[-1], Severity.ERROR, message, location))
        return _Faulty(message)

    def child(self, element: etree._Element, path: str) -> etree._Element:
        found = element.find(_ns(path))
        if found is None:
            raise self.fault(element, path, f"{etree.QName(element).localname} has no {path}")
        return found

    def text(self, element: etree._Element, path: str) -> str:
        found = self.child(element, path)
        if not (found.text or "").strip():
            raise self.fault(found, path, f"{path} is empty")
        return str(found.text).strip()

    def optional(self, element: etree._Element, path: str) -> str | None:
        found = element.find(_ns(path))
        return str(found.text).strip() if found is not None and found.text and found.text.strip() else None

    def day(self, element: etree._Element, path: str) -> date:
        text = self.text(element, path)
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            raise self.fault(self.child(element, path), path, f"{text!r} is not a date") from None

    def amount(self, element: etree._Element, path: str, sign_path: str | None = None) -> Money:
        """An amount in EUR; with ``sign_path``, negative when that element says DBIT."""
        found = self.child(element, path)
        if found.get("Ccy") != "EUR":
            raise self.fault(found, path, f"the amount is in {found.get('Ccy')!r}: telbill books euro only")
        try:
            value = Decimal((found.text or "").strip())
            money = Money(value)
        except (InvalidOperation, TelbillError):
            raise self.fault(found, path, f"{found.text!r} is not an amount in cents") from None
        if sign_path is None:
            return money
        indicator = self.text(element, sign_path)
        if indicator not in ("CRDT", "DBIT"):
            raise self.fault(self.child(element, sign_path), sign_path, f"{indicator!r} is neither CRDT nor DBIT")
        return -money if indicator == "DBIT" else money

    # ------------------------------------------------------------------------------------------ statement

    def statement(self, stmt: etree._Element) -> Statement:
        number = self.text(stmt, "Id")
        iban = self.optional(stmt, "Acct/Id/IBAN") or self.text(stmt, "Acct/Id/Othr/Id")
        currency = self.optional(stmt, "Acct/Ccy")
        if currency not in (None, "EUR"):
            raise self.fault(stmt, "Acct/Ccy", f"the account is in {currency!r}: telbill books euro only")
        opening, closing, day = self.balances(stmt)
        statement_id = f"{iban}/{number}"
        lines: list[StatementLine] = []
        booked: list[Money] = []
        for index, entry in enumerate(stmt.findall(_ns("Ntry")), start=1):
            if (self.optional(entry, "Sts") or self.optional(entry, "Sts/Cd")) not in ("BOOK", None):
                continue
            amount = self.amount(entry, "Amt", "CdtDbtInd")
            booked.append(amount)
            lines += self.entry_lines(entry, f"{statement_id}/{index}", amount)
        if opening + total(booked) != closing:
            raise self.fault(stmt, "Bal", f"opening balance {opening} + booked entries {total(booked)} = "
                             f"{opening + total(booked)}, but the closing balance is {closing}")  # fmt: skip
        return Statement(statement_id, iban, self.optional(stmt, "ElctrncSeqNb") or number, day, opening, closing,
                         tuple(lines))  # fmt: skip

    def balances(self, stmt: etree._Element) -> tuple[Money, Money, date]:
        found: dict[str, tuple[Money, date]] = {}
        for balance in stmt.findall(_ns("Bal")):
            code = self.optional(balance, "Tp/CdOrPrtry/Cd") or ""
            found[code] = (self.amount(balance, "Amt", "CdtDbtInd"), self.day(balance, "Dt/Dt"))
        opening = found.get("OPBD") or found.get("PRCD")
        if opening is None or "CLBD" not in found:
            raise self.fault(stmt, "Bal", "a statement needs an opening (OPBD or PRCD) and a closing (CLBD) balance")
        return opening[0], found["CLBD"][0], found["CLBD"][1]

    def entry_lines(self, entry: etree._Element, line_id: str, amount: Money) -> list[StatementLine]:
        booked = self.day(entry, "BookgDt/Dt")
        details = entry.findall(_ns("NtryDtls/TxDtls"))
        if not details:
            return [self.line(entry, entry, line_id, amount, booked)]
        if len(details) == 1:
            return [self.line(entry, details[0], line_id, amount, booked)]
        sign = -1 if amount.is_negative() else 1
        amounts = [self.amount(tx, "AmtDtls/TxAmt/Amt") if tx.find(_ns("AmtDtls")) is not None
                   else self.amount(tx, "Amt") for tx in details]  # fmt: skip
        if total(amounts).amount * sign != amount.amount:
            raise self.fault(entry, "NtryDtls", f"the transactions add up to {total(amounts)}, the entry is {amount}")
        return [
            self.line(entry, tx, f"{line_id}.{n}", Money(part.amount * sign), booked)
            for n, (tx, part) in enumerate(zip(details, amounts, strict=True), start=1)
        ]

    def line(
        self, entry: etree._Element, tx: etree._Element, line_id: str, amount: Money, booked: date
    ) -> StatementLine:
        party = "Dbtr" if not amount.is_negative() else "Cdtr"
        name = self.optional(tx, f"RltdPties/{party}/Nm") or self.optional(tx, f"RltdPties/{party}/Pty/Nm")
        account = self.optional(tx, f"RltdPties/{party}Acct/Id/IBAN")
        free = " ".join(str(u.text).strip() for u in tx.findall(_ns("RmtInf/Ustrd")) if u.text)
        return StatementLine(
            line_id,
            booked,
            amount,
            free,
            _creditor_reference(tx) or structured_in(free),
            name,
            account,
            _end_to_end(tx),
            self.optional(tx, "RtrInf/Rsn/Cd"),
            f"line {tx.sourceline}",
        )


def _ns(path: str) -> str:
    return "/".join(f"{{*}}{step}" for step in path.split("/"))


def _creditor_reference(tx: etree._Element) -> str | None:
    for reference in tx.findall(_ns("RmtInf/Strd/CdtrRefInf")):
        issuer = reference.find(_ns("Tp/Issr"))
        ref = reference.find(_ns("Ref"))
        if ref is not None and ref.text and (issuer is None or (issuer.text or "").strip() == "BBA"):
            return structured_digits(ref.text)
    return None


def _end_to_end(tx: etree._Element) -> str | None:
    found = tx.find(_ns("Refs/EndToEndId"))
    text = (found.text or "").strip() if found is not None else ""
    return text if text and text != "NOTPROVIDED" else None


def read_camt053(data: bytes, source: str) -> StatementFile:
    """Every statement of a camt.053 file and every finding."""
    reader = _Reader(source)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        location = Location(source, error.lineno, error.offset, "xml")
        return StatementFile(source, FORMAT, (), (Finding("camt.xml", Severity.ERROR, str(error), location),))
    namespace = etree.QName(root).namespace or ""
    if etree.QName(root).localname != "Document" or "camt.053" not in namespace:
        reader.fault(root, "Document", f"the root is {root.tag}, not a camt.053 Document")
        return StatementFile(source, FORMAT, (), tuple(reader.findings))
    statements: list[Statement] = []
    for stmt in root.findall(_ns("BkToCstmrStmt/Stmt")):
        try:
            statements.append(reader.statement(stmt))
        except _Faulty:
            continue
    if not statements and not reader.findings:
        reader.fault(root, "Stmt", "the file holds no statement")
    return StatementFile(source, FORMAT, tuple(statements), tuple(reader.findings))
