"""SEPA direct debits end to end: the export selects what is due, writes a pain.008.001.08 file that
validates against its XSD; the bank statement books the collection as a payment; a returned debit reopens
the item and is charged per the catalog.

An Peeters pays by direct debit (mandate MANDATE-PEETERS-1 signed 1 December 2025, IBAN BE71 0961 2345
6769). Her January invoice F2026-000001 (34.49, due 31 January) is collected on 31 January.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from lxml import etree

from telbill.adapters.banking.sepa import render_pain008, validate_pain008
from telbill.app.direct_debit import SepaExport, SepaRequest, export_direct_debits
from telbill.app.payments import import_statements
from telbill.core.accounts import Mandate, PaymentMethod
from telbill.core.catalog.schema import Catalog
from telbill.core.receivables.collections import CollectionState, DirectDebitMessage
from telbill.core.receivables.matching import Outcome
from tests.app.builders import Operator, residential, subscription
from tests.app.receivables_world import line, opens, receivables, statement_file
from tests.catalogs.conftest import seed_catalog
from tests.core.receivables_builders import refused

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.08"}
MANDATE = Mandate("MANDATE-PEETERS-1", date(2025, 12, 1), "BE71096123456769")


class Renderer:
    def pain008(self, message: DirectDebitMessage) -> bytes:
        return render_pain008(message)


def debtor(operator: Operator) -> None:
    account = replace(residential("ACC-PEETERS"), payment_method=PaymentMethod.DIRECT_DEBIT, mandate=MANDATE)
    with operator.uow() as uow:
        uow.accounts.add(account)
        uow.subscriptions.add(
            subscription("SUB-1", "ACC-PEETERS", "DIRECTORY-LINE-SIMPLE", ("activate", "2026-01-01", None))
        )
        uow.commit()
    operator.bill("2026-01", "2026-01-01")


def export(operator: Operator, day: str) -> list[SepaExport]:
    request = SepaRequest(date.fromisoformat(day), datetime(2026, 1, 30, 9, 0))
    return export_direct_debits(receivables(operator), Renderer(), request)


def test_the_export_writes_a_pain008_that_validates_and_collects_nothing_twice() -> None:
    operator = Operator()
    debtor(operator)
    (sent,) = export(operator, "2026-01-31")
    validate_pain008(sent.xml)  # also done before the file is handed out
    root = etree.fromstring(sent.xml)
    assert root.findtext("p:CstmrDrctDbtInitn/p:GrpHdr/p:MsgId", namespaces=NS) == "DD2026-000001"
    assert root.findtext("p:CstmrDrctDbtInitn/p:GrpHdr/p:CtrlSum", namespaces=NS) == "34.49"
    assert root.findtext(".//p:EndToEndId", namespaces=NS) == "F2026-000001/1"
    assert root.findtext(".//p:SeqTp", namespaces=NS) == "FRST"
    assert root.findtext(".//p:MndtId", namespaces=NS) == "MANDATE-PEETERS-1"
    # the seller of the Belgacom catalog, enterprise 0202239951, + BE00 → 0202239951 11 14 00: 2022399511 mod 97
    # = 48; 48 × 100000 + 11400 = 4811400 = 97 × 49602 + 6; check digits 98 − 6 = 92
    assert 202239951111400 % 97 == 6
    assert root.findtext(".//p:CdtrSchmeId/p:Id/p:PrvtId/p:Othr/p:Id", namespaces=NS) == "BE92ZZZ0202239951"
    assert root.findtext(".//p:RmtInf/p:Ustrd", namespaces=NS) == "F2026-000001 +++202/6000/00192+++"
    assert export(operator, "2026-01-31") == []  # submitted already: nothing twice


def test_the_same_message_gives_the_same_bytes() -> None:
    operator = Operator()
    debtor(operator)
    (sent,) = export(operator, "2026-01-31")
    assert render_pain008(sent.message) == sent.xml


def test_a_file_that_breaks_the_schema_is_refused_naming_the_line() -> None:
    operator = Operator()
    debtor(operator)
    (sent,) = export(operator, "2026-01-31")
    broken = sent.xml.replace(b"<IBAN>BE71096123456769</IBAN>", b"<IBAN>BE71 0961 2345 6769</IBAN>")
    with refused("sepa.invalid") as caught:
        validate_pain008(broken)
    assert "IBAN" in caught.value.message and "line " in caught.value.message


def collected_then_returned(operator: Operator) -> None:
    export(operator, "2026-01-31")
    credit = line("2026-01-31", "34.49", end_to_end="F2026-000001/1", counterparty_name="An Peeters")
    report = import_statements(receivables(operator), statement_file(1, credit))
    assert report.outcomes[Outcome.COLLECTED] == 1 and opens(operator) == {}
    back = line("2026-02-06", "-34.49", end_to_end="F2026-000001/1", return_reason="AM04")
    report = import_statements(receivables(operator), statement_file(2, back))
    assert report.outcomes[Outcome.RETURNED] == 1


def test_a_returned_debit_reopens_the_item_and_the_seed_charges_nothing_for_it() -> None:
    operator = Operator()
    debtor(operator)
    collected_then_returned(operator)
    assert opens(operator) == {"F2026-000001": "34.49"}
    with operator.uow() as uow:
        assert uow.collections.by_end_to_end(["F2026-000001/1"])["F2026-000001/1"].state is CollectionState.RETURNED
    assert [c for _, c, _ in operator.state.charges.values()] == []  # seed 004 prices no returned-debit fee


def test_a_catalog_that_prices_a_returned_debit_charges_it() -> None:
    # a variant of the Belgacom catalog whose policy names a fee for returned debits (the reminder fee item
    # stands in for it: EUR 13 for a residential customer)
    seed = seed_catalog("belgacom-fees-indemnities")
    version = seed.versions[0]
    assert version.dunning is not None
    priced = version.model_copy(
        update={"dunning": version.dunning.model_copy(update={"returned_debit_fee": "REMINDER-FEE"})}
    )
    catalog = seed.model_copy(update={"versions": (priced,)})

    class PricedOperator(Operator):
        def catalog(self, catalog_id: str) -> Catalog:
            return catalog

    operator = PricedOperator()
    debtor(operator)
    collected_then_returned(operator)
    ((_, charge, _),) = operator.state.charges.values()
    assert (charge.order.code, charge.day, charge.reason) == (
        "REMINDER-FEE", date(2026, 2, 6), "direct debit F2026-000001/1 returned (AM04)"
    )  # fmt: skip
    operator.bill("2026-02", "2026-02-10")
    fee = operator.state.documents["F2026-000003"]  # F2: February's 34.49; F3: the fee, out of scope
    assert (fee.out_of_scope, str(fee.document.totals.gross)) == (True, "13.00")
