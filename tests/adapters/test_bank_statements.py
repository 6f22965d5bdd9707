"""Every bank statement fixture of ../shared/payments, read by telbill's CODA and camt.053 readers.

Expected figures are read off the files by hand: positions are the Febelfin CODA standard's (1-based). A
file with an error is refused whole: no statement of it comes back, and the findings name line and field.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from telbill.adapters.banking.camt053 import read_camt053
from telbill.adapters.banking.statement_files import StatementFiles, read_statement_bytes
from telbill.core.errors import Severity
from telbill.core.money import Money, total
from telbill.core.receivables.statements import StatementFile, refuse_if_faulty
from tests.core.receivables_builders import d, refused

PAYMENTS = Path(__file__).resolve().parents[2].parent / "shared" / "payments"


def read(name: str) -> StatementFile:
    folder = "camt053" if name.endswith(".xml") else "coda"
    return StatementFiles().read(PAYMENTS / folder / name)


def errors(read_file: StatementFile) -> list[tuple[int | None, int | None, str | None, str]]:
    return [(f.location.line, f.location.column, f.location.field, f.code) for f in read_file.errors]


def credits(read_file: StatementFile) -> Money:
    return total(line.amount for s in read_file.statements for line in s.lines if not line.amount.is_negative())


def debits(read_file: StatementFile) -> Money:
    return total(line.amount for s in read_file.statements for line in s.lines if line.amount.is_negative())


def test_the_fixtures_are_where_the_tests_look(shared_dir: Path) -> None:
    assert (shared_dir / "payments" / "coda" / "CODA.txt").is_file()
    assert len(list((PAYMENTS / "coda").glob("*.txt"))) == 9


def test_coda_kbc_2006() -> None:
    """CODA.txt: one statement of BBAN 435000000080 (structure 0), paper number 001, 6 to 7 December 2006.
    Trailer: 260 records, debits 3,085,871.60, credits 12,491,168.59; 0.00 + 12,491,168.59 − 3,085,871.60 =
    9,405,296.99, the new balance. 59 movements, four of them globalised (0007: 3 details, 0008: 4, 0043: 3,
    0044: 2), so 59 − 4 + 12 = 67 lines, whose credits and debits are the trailer's totals."""
    read_file = read("CODA.txt")
    assert read_file.findings == ()
    (statement,) = read_file.statements
    assert (statement.id, statement.account, statement.number) == ("435000000080/2006/001", "435000000080", "001")
    assert (str(statement.opening), str(statement.closing), statement.day) == ("0.00", "9405296.99", d("2006-12-07"))
    assert len(statement.lines) == 67
    assert (str(credits(read_file)), str(debits(read_file))) == ("12491168.59", "-3085871.60")
    by_id = {line.id.rsplit("/", 1)[1]: line for line in statement.lines}
    # movement 0003, line 8: a credit of 1,075.00 with a free communication; the payer in its 23 record
    olgerdin = by_id["0003"]
    assert (str(olgerdin.amount), olgerdin.communication, olgerdin.structured) == ("1075.00", "/INV/2061260", None)
    assert (olgerdin.counterparty_name, olgerdin.counterparty_account) == (
        "Olgerdin Egill Skallagrims",
        "LU037050522702273100",
    )
    # movements 0053 and 0055 quote structured communications (positions 62–77: 1, type 101, 12 digits)
    assert (by_id["0053"].structured, str(by_id["0053"].amount)) == ("269021157996", "817.56")
    assert (by_id["0055"].structured, str(by_id["0055"].amount)) == ("702600521948", "159.59")
    # 0007 (−128,000.00, type 1) is three details of type 5: −4,000 − 27,000 − 97,000
    assert [str(by_id[f"0007.000{n}"].amount) for n in (1, 3, 5)] == ["-4000.00", "-27000.00", "-97000.00"]
    assert "0007" not in by_id


def test_coda_foreign_iban() -> None:
    """Coda_foreign_account.txt: structure 3 (foreign IBAN FR12…825), statement 024; 443,390.70 − 37.00 − 7.40
    = 443,346.30. The free message (record 4) is counted nowhere: the trailer's 7 records are 1, 21, 22, 21,
    22, 31 and 8."""
    read_file = read("Coda_foreign_account.txt")
    assert read_file.findings == ()
    (statement,) = read_file.statements
    assert statement.id == "FR1234567890240924002304825/2018/024"
    assert [(str(line.amount), line.communication) for line in statement.lines] == [
        ("-37.00", "TRANS : NMSC / INFO : ELYS PC ABONNEMENT"),
        ("-7.40", "TRANS : NCOM / INFO : TVA 20 0"),
    ]
    assert str(statement.closing) == "443346.30"


def test_coda_globalisation_with_its_details() -> None:
    """Coda_v2_3_globalisation.txt: old balance −455.17 (sign 1); 113,135.00 + 113,135.00 + 50,000.00 (type 3,
    detailed by 0003/0002 of type 8) − 544.30 = 275,270.53. Record 8 names BE1230… where record 1 has
    BE1234… (the anonymisation): a warning, not an error."""
    read_file = read("Coda_v2_3_globalisation.txt")
    assert read_file.errors == ()
    assert [(f.severity, f.location.line, f.location.field) for f in read_file.findings] == [
        (Severity.WARNING, 24, "account")
    ]
    (statement,) = read_file.statements
    assert [str(line.amount) for line in statement.lines] == ["113135.00", "113135.00", "50000.00", "-544.30"]
    assert (str(statement.opening), str(statement.closing)) == ("-455.17", "275270.53")


def test_coda_single_statement() -> None:
    """Coda_v2_3_single_statement.txt: BE86 4070 5141 6150, statement 042, 0.00 → 0.00: credits 64,703.01 and
    debits 64,703.01. 17 movements, two globalised by the bank (type 2): 0016 with 1 detail, 0017 with 14:
    17 − 2 + 15 = 30 lines."""
    read_file = read("Coda_v2_3_single_statement.txt")
    assert read_file.findings == ()
    (statement,) = read_file.statements
    assert statement.id == "BE86407051416150/2009/042"
    assert len(statement.lines) == 30
    assert (str(credits(read_file)), str(debits(read_file))) == ("64703.01", "-64703.01")
    first = statement.lines[0]  # a card payment: communication type 114, no structured communication
    assert (str(first.amount), first.structured) == ("20.00", None)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # position 128 of the header: version 5; and no trailer follows the header
        ("Coda_faulty_version.txt", [(1, 1, "record", "coda.record"), (1, 128, "version", "coda.version")]),
        # movement 0003 (line 7) is of type 1, "totalised by the customer", and no detail follows it
        ("Coda_v2_3_faulty_globalisation.txt", [(7, 54, "transaction type", "coda.transaction_type")]),
        # both movements are of type 1 without details
        (
            "Coda_v2_3_faulty_globalisation_2.txt",
            [
                (3, 54, "transaction type", "coda.transaction_type"),
                (5, 54, "transaction type", "coda.transaction_type"),
            ],
        ),
        # the globalisation file with the four records of 0003's detail cut out: 0003 (type 3) has no detail
        # left, and the trailer still announces 23 records where 19 remain
        (
            "Coda_v2_3_globalisation_2.txt",
            [(13, 54, "transaction type", "coda.transaction_type"), (21, 17, "record count", "coda.record_count")],
        ),
        # two statements: the first sound, the second the faulty globalisation above: refused whole
        ("Coda_v2_3_multi_statements.txt", [(100, 54, "transaction type", "coda.transaction_type")]),
    ],
)
def test_a_faulty_coda_file_is_refused_whole_naming_line_and_field(
    name: str, expected: list[tuple[int, int, str, str]]
) -> None:
    read_file = read(name)
    assert errors(read_file) == expected
    with refused("statement.faulty") as caught:
        refuse_if_faulty(read_file)
    assert f"{name}:{expected[0][0]}:{expected[0][1]} ({expected[0][2]})" in caught.value.message


def test_the_faulty_version_message_says_what_is_supported() -> None:
    message = next(f.message for f in read("Coda_faulty_version.txt").errors if f.code == "coda.version")
    assert message == "CODA version 5 is not supported: telbill reads version 2"


def test_camt053_sample() -> None:
    """camt053-sample.xml: statement 2026-152 of BE71 0961 2345 6769; opening 1,000.00 + 101.00 = 1,101.00.
    The credit quotes the Belgian creditor reference (SCOR, issuer BBA) 000001234526: 0000012345 mod 97 = 26."""
    read_file = read("camt053-sample.xml")
    assert read_file.findings == ()
    (statement,) = read_file.statements
    assert (statement.id, statement.number, statement.day) == ("BE71096123456769/2026-152", "152", d("2026-06-01"))
    (line,) = statement.lines
    assert (str(line.amount), line.structured, line.booked) == ("101.00", "000001234526", d("2026-06-01"))
    assert (line.counterparty_name, line.counterparty_account, line.end_to_end) == (
        "Klant BV",
        "BE62510007547061",
        None,
    )


def _sample(replace: str, by: str) -> bytes:
    text = (PAYMENTS / "camt053" / "camt053-sample.xml").read_text(encoding="utf-8")
    assert replace in text
    return text.replace(replace, by, 1).encode()


@pytest.mark.parametrize(
    ("replace", "by", "line", "path"),
    [
        ('<Amt Ccy="EUR">1101.00</Amt>', '<Amt Ccy="EUR">1100.00</Amt>', 5, "Bal"),  # 1,000 + 101 ≠ 1,100
        ('<Amt Ccy="EUR">101.00</Amt><CdtDbtInd>', '<Amt Ccy="EUR">101.001</Amt><CdtDbtInd>', 11, "Amt"),
        ('<Amt Ccy="EUR">101.00</Amt><CdtDbtInd>', '<Amt Ccy="USD">101.00</Amt><CdtDbtInd>', 11, "Amt"),
        ("<CdtDbtInd>CRDT</CdtDbtInd><Sts>", "<CdtDbtInd>CREDIT</CdtDbtInd><Sts>", 11, "CdtDbtInd"),
        ("<BookgDt><Dt>2026-06-01</Dt>", "<BookgDt><Dt>2026-13-01</Dt>", 12, "BookgDt/Dt"),
    ],
)
def test_a_faulty_camt053_file_is_refused_naming_line_and_element(replace: str, by: str, line: int, path: str) -> None:
    read_file = read_camt053(_sample(replace, by), "faulty.xml")
    assert read_file.statements == ()
    assert [(f.location.line, f.location.field) for f in read_file.errors] == [(line, path)]


def test_a_file_of_another_kind_is_refused() -> None:
    read_file = read_statement_bytes(b"Date;Amount\n2026-01-01;10.00\n", "export.csv")
    assert [f.code for f in read_file.errors] == ["statement.format"]
    assert [f.code for f in read_camt053(b"<Document><BkToCstmrStmt/>", "cut.xml").errors] == ["camt.xml"]
