"""Which open items a SEPA direct debit export collects, under which sequence type; the creditor identifier."""

from __future__ import annotations

from dataclasses import replace

from telbill.core.accounts import Account, Mandate, PaymentMethod, SequenceType
from telbill.core.billing.parties import Language, Party
from telbill.core.catalog.schema import Segment
from telbill.core.receivables.collections import (
    CollectionRequest,
    CollectionState,
    creditor_identifier,
    select_collections,
)
from telbill.core.receivables.ledger import OpenItem
from tests.core.receivables_builders import d, invoice, m, refused

MANDATE = Mandate("MANDATE-PEETERS-1", d("2025-12-01"), "BE71096123456769")
ACCOUNT = Account(
    "ACC-PEETERS", Party("An Peeters", "Meir 1", "2000", "Antwerpen", "BE", Language.NL), Segment.RESIDENTIAL,
    "belgacom-fees-indemnities", payment_method=PaymentMethod.DIRECT_DEBIT, mandate=MANDATE,
)  # fmt: skip
JAN = OpenItem(invoice("F2026-000001", "2026-01-01", "2026-01-31", "34.49", "202600000192"), m("34.49"))
FEB = OpenItem(invoice("F2026-000002", "2026-02-01", "2026-03-03", "34.49", "202600000293"), m("34.49"))


def test_items_due_by_the_collection_date_are_collected_first_under_frst() -> None:
    (january,) = select_collections((CollectionRequest(ACCOUNT, (JAN, FEB)),), d("2026-01-31"), "DD2026-000001")
    # February is due on 3 March: not yet
    assert (january.end_to_end, january.sequence, str(january.amount)) == (
        "F2026-000001/1",
        SequenceType.FIRST,
        "34.49",
    )
    assert (january.mandate, january.iban, january.debtor) == ("MANDATE-PEETERS-1", "BE71096123456769", "An Peeters")


def test_once_collected_the_mandate_goes_recurring_and_an_item_is_not_collected_twice() -> None:
    (january,) = select_collections((CollectionRequest(ACCOUNT, (JAN, FEB)),), d("2026-01-31"), "DD2026-000001")
    again = select_collections((CollectionRequest(ACCOUNT, (JAN, FEB), (january,)),), d("2026-03-03"), "DD2026-000002")
    assert [(c.end_to_end, c.sequence) for c in again] == [("F2026-000002/1", SequenceType.RECURRING)]


def test_a_returned_collection_is_collected_again_with_the_next_attempt_number() -> None:
    returned = replace(
        select_collections((CollectionRequest(ACCOUNT, (JAN,)),), d("2026-01-31"), "DD2026-000001")[0],
        state=CollectionState.RETURNED,
    )
    (retry,) = select_collections((CollectionRequest(ACCOUNT, (JAN,), (returned,)),), d("2026-02-15"), "DD2026-000002")
    assert (retry.end_to_end, retry.sequence) == ("F2026-000001/2", SequenceType.RECURRING)


def test_an_account_paying_by_transfer_has_no_mandate_to_collect_under() -> None:
    by_transfer = replace(ACCOUNT, payment_method=PaymentMethod.TRANSFER, mandate=None)
    with refused("sepa.no_mandate"):
        select_collections((CollectionRequest(by_transfer, (JAN,)),), d("2026-01-31"), "DD2026-000001")


def test_belgian_creditor_identifier() -> None:
    # 0477472701 followed by BE00 → 0477472701 11 14 00 (B = 11, E = 14); 477472701111400 mod 97 = 87;
    # check digits 98 − 87 = 11
    assert 477472701111400 % 97 == 87
    assert creditor_identifier("0477472701") == "BE11ZZZ0477472701"
    with refused("sepa.creditor"):
        creditor_identifier("0477472702")
