"""The hot lists (bills, usage) serialize plain dicts with ``pydantic_core.to_json`` for speed: the bytes must be
those of the response models, whatever optional part a summary has or lacks."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import cast

import pytest
from pydantic import TypeAdapter
from pydantic_core import to_json

from telbill.api.schemas.bills import CustomerBill, summary_bill_json, summary_bill_out
from telbill.api.schemas.usage import Usage, usage_json, usage_out
from telbill.app.access_store import DocumentSummary, UsageSummary
from telbill.app.bills import BillStanding, BillState, ledger_view
from telbill.app.store import ReceivablesUnitOfWork
from telbill.core.billing.invoice import DocumentType
from telbill.core.money import Money
from telbill.core.receivables.postings import entry_of, post
from tests.api.world import Served

INVOICE = DocumentSummary(
    "F2026-000123", DocumentType.INVOICE, "TEL-DUPONT", "Bureau Dupont SRL", "2026-03", False, date(2026, 3, 1),
    date(2026, 3, 31), date(2026, 3, 1), date(2026, 3, 31), "090930981234", None, "57.55", "12.09", "69.64",
    (3, 1, 0),
)  # fmt: skip
BILLS = [
    (INVOICE, BillStanding(BillState.SENT, Money.of("69.64"))),
    (INVOICE, BillStanding(BillState.PARTIALLY_PAID, Money.of("0.01"))),
    (
        replace(INVOICE, due_date=None, billing_start=None, billing_end=None, communication=None, out_of_scope=True),
        BillStanding(BillState.SETTLED, Money.zero()),
    ),
    (
        replace(INVOICE, billing_end=None, gross="100.00", net="100", vat="0.00", ledger_stamp=None),
        BillStanding(BillState.SENT, Money.of("100")),
    ),
    (
        replace(
            INVOICE,
            number="C2026-000007",
            type=DocumentType.CREDIT_NOTE,
            preceding_number="F2026-000123",
            buyer_name='Hôtel "Méridien" <SRL>',
            gross="-12.10",
        ),
        BillStanding(BillState.SETTLED, Money.of("-0.5")),
    ),
]

RECEIVED = UsageSummary(
    "R000002-0001", "A000002", "S000002", "+3225500002", datetime(2026, 6, 2, 6, 37, tzinfo=UTC), "voice", "BE",
    "+3224445566", 95, date(2026, 6, 1), date(2026, 6, 30), None, None, None, None, None,
)  # fmt: skip
USAGE = [
    RECEIVED,
    replace(RECEIVED, destination=None, service="data", quantity=2_500_000, start=datetime(2026, 6, 2, 6, 37, 5, 12)),
    replace(
        RECEIVED, billed_document="F2026-000200", tariff="NATIONAL", amount="0.12", charged_units=60, included_units=35
    ),
    replace(RECEIVED, billed_document="F2026-000200", tariff="SMS", amount=None, charged_units=None),
    replace(RECEIVED, destination="", record_id='é/ü \\ "quoted"'),
]


@pytest.mark.parametrize("index", range(len(BILLS)))
def test_a_bill_of_the_hot_list_is_written_as_the_model_writes_it(index: int) -> None:
    summary, standing = BILLS[index]
    model = TypeAdapter(list[CustomerBill]).dump_json([summary_bill_out(summary, standing)])
    assert to_json([summary_bill_json(summary, standing)]) == model


@pytest.mark.parametrize("index", range(len(USAGE)))
def test_a_usage_record_of_the_hot_list_is_written_as_the_model_writes_it(index: int) -> None:
    model = TypeAdapter(list[Usage]).dump_json([usage_out(USAGE[index])])
    assert to_json([usage_json(USAGE[index])]) == model


def test_the_hot_lists_write_every_field_of_their_models() -> None:
    bill = summary_bill_json(*BILLS[0])
    assert list(bill) == [field.alias or name for name, field in CustomerBill.model_fields.items()]
    usage = usage_json(USAGE[2])
    assert list(usage) == [field.alias or name for name, field in Usage.model_fields.items()]


def test_a_ledger_view_read_with_its_stamp_is_the_one_read_without(world: Served) -> None:
    """The stamp spares an account that never paid the read of its (empty) stored ledger; the view is the same,
    and an account whose documents are booked in its stored ledger is still read whole."""
    with world.services.customers.unit_of_work() as uow:
        store = cast(ReceivablesUnitOfWork, uow)
        booked = next(a for a in uow.accounts.ids() if store.ledgers.unposted([a]))
        ledger = store.ledgers.for_accounts([booked])[booked]
        for _, facts in store.ledgers.unposted([booked]):
            entry = entry_of(facts)
            if entry is not None:
                posting = post(ledger, entry)
                store.ledgers.add(booked, posting)
                ledger = ledger.with_posting(posting)
        uow.commit()
    with world.services.reader() as reader:
        stamps = {account: reader.listings.ledger_stamp(account) for account in reader.accounts.ids()}
        for account, stamp in stamps.items():
            assert ledger_view(reader, account, stamp) == ledger_view(reader, account), account
    assert stamps[booked][1] > 0 and any(stamp[1] == 0 for stamp in stamps.values())
