"""Importing bank statements: matching, booking, the review queue, idempotence and refusal of faulty files.

The invoices come from real bill runs on the Belgacom catalog (receivables_world.py): F2026-000001 issued
2026-01-01, due 2026-01-31; F2026-000002 issued 2026-02-01, due 2026-03-03; 34.49 each.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from telbill.adapters.banking.statement_files import StatementFiles
from telbill.app.payments import assign_review, dismiss_review, import_statements
from telbill.app.store import StoredDocument
from telbill.core.accounts import Account
from telbill.core.billing.charges import ChargeKind
from telbill.core.billing.draft import LineMeta
from telbill.core.billing.numbering import StructuredCommunication
from telbill.core.billing.parties import Language, Party
from telbill.core.catalog.schema import Segment
from telbill.core.money import Money
from telbill.core.receivables.matching import Outcome
from telbill.core.tax.treatment import OUTSIDE_SCOPE
from tests.app.builders import Operator
from tests.app.receivables_world import COMMUNICATION, line, opens, peeters, receivables, statement_file
from tests.core.invoice_examples import invoice
from tests.core.invoice_examples import line as invoice_line
from tests.core.receivables_builders import refused

PAYMENTS = Path(__file__).resolve().parents[2].parent / "shared" / "payments"


def billed_twice() -> Operator:
    operator = Operator()
    peeters(operator)
    operator.bill("2026-01", "2026-01-01")
    operator.bill("2026-02", "2026-02-01")
    return operator


def test_issued_documents_are_posted_once_when_their_account_is_first_touched() -> None:
    operator = billed_twice()
    import_statements(receivables(operator), statement_file(1, line("2026-02-03", "-5.00")))  # a bank charge
    assert operator.state.receivables.entries == {}  # no account touched: nothing posted
    paid = line("2026-02-10", "10.00", structured=COMMUNICATION[1])
    import_statements(receivables(operator), statement_file(2, paid))
    import_statements(receivables(operator), statement_file(3, replace(paid, amount=Money.of("5.00"))))
    booked = [entry.id for _, entry in operator.state.receivables.entries.values()]
    payments = ["BE68539007547034/2026/002/0001", "BE68539007547034/2026/003/0001"]
    assert booked == ["F2026-000001", "F2026-000002", *payments]
    assert opens(operator) == {"F2026-000001": "19.49", "F2026-000002": "34.49"}  # 34.49 − 10.00 − 5.00


def test_a_payment_quoting_an_invoice_settles_that_invoice() -> None:
    operator = billed_twice()
    paid = line("2026-02-10", "34.49", structured=COMMUNICATION[2], counterparty_name="PEETERS AN")
    report = import_statements(receivables(operator), statement_file(1, paid))
    assert (report.outcomes[Outcome.PAYMENT], str(report.booked)) == (1, "34.49")
    assert opens(operator) == {"F2026-000001": "34.49"}  # February paid, January still open


def test_importing_a_statement_again_adds_nothing() -> None:
    operator = billed_twice()
    read = statement_file(1, line("2026-02-10", "50.00", structured=COMMUNICATION[1]), line("2026-02-10", "9.99"))
    first = import_statements(receivables(operator), read)
    again = import_statements(receivables(operator), read)
    assert (first.statements, first.already_imported) == (["BE68539007547034/2026/001"], [])
    assert (again.statements, again.already_imported, again.lines) == ([], ["BE68539007547034/2026/001"], 0)
    # 50.00 settles January (34.49) and 15.51 of February: 34.49 − 15.51 = 18.98 left, once
    assert opens(operator) == {"F2026-000002": "18.98"}
    with operator.uow() as uow:
        assert len(uow.reviews.pending()) == 1  # the 9.99 without communication, queued once


def test_a_faulty_file_is_refused_whole_and_nothing_is_written() -> None:
    # the first statement of the multi-statement file is sound, the second is faulty: nothing of either
    operator = billed_twice()
    before = repr(operator.state)
    read = StatementFiles().read(PAYMENTS / "coda" / "Coda_v2_3_multi_statements.txt")
    with refused("statement.faulty") as caught:
        import_statements(receivables(operator), read)
    assert "Coda_v2_3_multi_statements.txt:100:54 (transaction type)" in caught.value.message
    assert repr(operator.state) == before


def test_a_payment_without_communication_waits_for_a_person_with_a_suggestion() -> None:
    operator = billed_twice()
    paid = line("2026-02-10", "34.49", counterparty_name="PEETERS AN", communication="januari")
    report = import_statements(receivables(operator), statement_file(1, paid))
    assert report.outcomes[Outcome.REVIEW] == 1
    with operator.uow() as uow:
        (waiting,) = uow.reviews.pending()
    # the same amount as January's (and February's) open item, and the holder's name: January, the oldest
    assert [(s.account_id, s.document, s.reason) for s in waiting.suggestions] == [
        ("ACC-PEETERS", "F2026-000001", "amount and name")
    ]
    assert opens(operator) == {"F2026-000001": "34.49", "F2026-000002": "34.49"}  # nothing booked yet
    assign_review(receivables(operator), waiting.line.id, "ACC-PEETERS")
    assert opens(operator) == {"F2026-000002": "34.49"}
    with operator.uow() as uow:
        assert uow.reviews.pending() == []


def test_a_line_that_is_no_customers_payment_can_be_dismissed_with_a_reason() -> None:
    operator = billed_twice()
    import_statements(receivables(operator), statement_file(1, line("2026-02-10", "120.00", communication="interest")))
    with operator.uow() as uow:
        (waiting,) = uow.reviews.pending()
    with refused("review.reason"):
        dismiss_review(receivables(operator), waiting.line.id, " ")
    dismiss_review(receivables(operator), waiting.line.id, "interest of the bank")
    with refused("review.not_found"):
        assign_review(receivables(operator), waiting.line.id, "ACC-PEETERS")


def _customer(operator: Operator, account_id: str, name: str, number: int, communication: str, gross: str) -> None:
    """A customer with one open document of ``gross`` (outside the scope of VAT, so gross = net)."""
    party = Party(name, "Rue de la Loi 16", "1000", "Bruxelles", "BE", Language.FR)
    document = replace(
        invoice(number, (invoice_line(1, "fee", "1", gross, gross, treatment=OUTSIDE_SCOPE),), period=None),
        buyer=party,
        buyer_reference=account_id,
        issue_date=date(2006, 11, 6),
        due_date=date(2006, 12, 6),
        structured_communication=StructuredCommunication(communication),
    )
    meta = (LineMeta(ChargeKind.ONE_TIME, None, None, None, Money.of(gross)),)
    with operator.uow() as uow:
        uow.accounts.add(Account(account_id, party, Segment.RESIDENTIAL, "belgacom-fees-indemnities"))
        uow.documents.add(StoredDocument(account_id, "2006-11", True, document, meta))
        uow.commit()


def test_coda_kbc_2006_matched_against_three_customers() -> None:
    """CODA.txt, 67 lines: 29 credit movements (18 of type 0, 9 of type 3, 2 of type 2 detailed in 3 + 2
    lines) make 18 + 9 + 5 = 32 credit lines; 30 debit movements (15 of type 0, 13 of type 3, 2 of type 1
    detailed in 3 + 4) make 15 + 13 + 7 = 35 debit lines. Two credits quote structured communications of
    our documents (817.56 and 159.59): booked. The other 30 credits go to review, Olgerdin's 1,075.00 with a
    suggestion (the holder's name and the open amount). The 35 debits are ignored."""
    operator = Operator()
    _customer(operator, "ACC-CROIX", "La Croix d'Or SPRL", 1, "269021157996", "817.56")
    _customer(operator, "ACC-SECUREX", "Verz. Kas Arbeidson. Securex", 2, "702600521948", "159.59")
    _customer(operator, "ACC-OLGERDIN", "Olgerdin Egill Skallagrims", 3, "202600000394", "1075.00")
    read = StatementFiles().read(PAYMENTS / "coda" / "CODA.txt")
    report = import_statements(receivables(operator), read)
    assert report.lines == 67
    assert {o.value: n for o, n in report.outcomes.items() if n} == {"payment": 2, "review": 30, "ignored": 35}
    assert str(report.booked) == "977.15"  # 817.56 + 159.59
    assert opens(operator, "ACC-CROIX") == {} and opens(operator, "ACC-SECUREX") == {}
    with operator.uow() as uow:
        suggested = [m for m in uow.reviews.pending() if m.suggestions]
    assert [(m.line.id, [(s.account_id, s.document, s.reason) for s in m.suggestions]) for m in suggested] == [
        ("435000000080/2006/001/0003", [("ACC-OLGERDIN", "F2026-000003", "amount and name")])
    ]


def test_camt053_sample_pays_the_document_it_quotes() -> None:
    """camt053-sample.xml: Klant BV pays 101.00 quoting +++000/0012/34526+++."""
    operator = Operator()
    _customer(operator, "ACC-KLANT", "Klant BV", 4, "000001234526", "101.00")
    read = StatementFiles().read(PAYMENTS / "camt053" / "camt053-sample.xml")
    report = import_statements(receivables(operator), read)
    assert (report.statements, report.outcomes[Outcome.PAYMENT]) == (["BE71096123456769/2026-152"], 1)
    assert opens(operator, "ACC-KLANT") == {}
