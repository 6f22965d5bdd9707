"""The hot lists (bills, usage) serialize plain dicts with ``pydantic_core.to_json`` for speed: the bytes must be
those of the response models, whatever optional part a summary has or lacks."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import cast

import pytest
from pydantic import TypeAdapter
from pydantic_core import to_json
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from telbill.api.hot import HOT_THREADS, LISTS, HotLists
from telbill.api.schemas.bills import CustomerBill, summary_bill_json, summary_bill_out
from telbill.api.schemas.usage import Usage, usage_json, usage_out
from telbill.app.access import Role
from telbill.app.access_store import DocumentSummary, UsageSummary
from telbill.app.bills import BillStanding, BillState, ledger_view
from telbill.app.store import ReceivablesUnitOfWork
from telbill.core.billing.invoice import DocumentType
from telbill.core.money import Money
from telbill.core.receivables.postings import entry_of, post
from telbill.web.server import create_server
from tests.api.world import Served

API = "/api/v1"

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


Answer = tuple[int, list[tuple[bytes, bytes]], bytes]


def _get(app: ASGIApp, path: str, query: str, headers: list[tuple[bytes, bytes]]) -> Answer:
    """A GET through the ASGI application itself: the exact status, headers and bytes it answers."""
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "https",
        "path": path, "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
        "headers": [(b"host", b"testserver"), *headers], "client": ("127.0.0.1", 5000),
        "server": ("testserver", 443), "state": {},
    }  # fmt: skip
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], list(start["headers"]), b"".join(m.get("body", b"") for m in sent[1:])


def _usage_of_dupont(world: Served) -> None:
    client = world.client(Role.BILLING)
    record = {"usageType": "voice", "subscriber": "02 555 12 34", "destination": "+3224445566", "country": "BE"}
    for n in range(25):
        at = f"2026-07-{1 + n:02d}T10:00:00+02:00"
        made = client.post(
            f"{API}/usage", json=dict(record, id=f"CDR-{n}", usageDate=at, quantity=60 + n),
            headers={"Idempotency-Key": f"cdr-{n}"},
        )  # fmt: skip
        assert made.status_code == 201, made.text


QUERIES = [
    "", "limit=5", "limit=5&offset=5", "offset=1000", "billingAccount.id={a}", "billingAccount.id={a}&limit=2",
    "billingAccount.id={a}&limit=2&offset=3", "billingAccount.id={a}&offset=0&limit=200",
    "billingAccount.id={a}&documentType=invoice", "billingAccount.id={a}&documentType=creditNote&period=2026-03",
    "billingAccount.id={a}&period=2026-06", "billingAccount.id=NOBODY", "billingAccount.id=TEL%2DDUPONT&limit=3",
    # what the fast path leaves to FastAPI: refused, repeated, unknown, odd or not checked there
    "limit=0", "limit=201", "limit=007", "offset=-1", "offset=1000001", "limit=abc", "limit=", "billingAccount.id=",
    "billingAccount.id={a}&billingAccount.id={a}", "billingAccount.id={a}&x=1", "period=2026-13", "period=２０２６-01",
    "documentType=bill", f"billingAccount.id={'A' * 65}", "product.id={a}-1", "billingPeriodStart=2026-06-01",
]  # fmt: skip


def test_the_hot_lists_answer_what_the_routes_answer_byte_for_byte(world: Served) -> None:
    _usage_of_dupont(world)
    plain = create_server(services=world.services, hot_lists=False)
    staff = [(b"authorization", f"Bearer {world.tokens[Role.READ_ONLY]}".encode())]
    session = world.customer("TEL-DUPONT").cookies["telbill_session"]
    who = {
        "staff": staff,
        "bearer in lower case": [(b"authorization", f"bearer  {world.tokens[Role.SUPPORT]} ".encode())],
        "nobody": [],
        "a bad token": [(b"authorization", b"Bearer tbk_nope_nope")],
        "another scheme": [(b"authorization", b"Basic dG9tOmpvaG4=")],
        "a customer": [(b"cookie", f"telbill_session={session}".encode())],
    }  # fmt: skip
    with world.services.reader() as uow:
        accounts = uow.accounts.ids()
    answers = []
    for path in (f"{API}/customerBill", f"{API}/usage"):
        for account in accounts:
            for query in QUERIES:
                for name, headers in who.items():
                    if name != "staff" and account != "TEL-DUPONT":
                        continue
                    wanted = query.format(a=account)
                    hot, routed = _get(world.app, path, wanted, headers), _get(plain, path, wanted, headers)
                    assert hot == routed, (path, wanted, name)
                    answers.append((name, hot))
    statuses = {status for _, (status, _, _) in answers}
    assert {200, 400, 401, 404} <= statuses
    assert any(name == "a customer" and status == 200 for name, (status, _, _) in answers)
    listed = [json.loads(body) for _, (status, _, body) in answers if status == 200]
    assert any(page and page[0].get("@type") == "Usage" for page in listed)
    assert any(page and page[0].get("@type") == "CustomerBill" for page in listed)


async def _refuse(scope: Scope, receive: Receive, send: Send) -> None:
    raise AssertionError("passed on to FastAPI")


def test_a_plain_request_is_answered_by_the_fast_path_and_others_are_passed_on(world: Served) -> None:
    hot = HotLists(_refuse, world.services)
    staff = [(b"authorization", f"Bearer {world.tokens[Role.READ_ONLY]}".encode())]
    for path, query in ((f"{API}/customerBill", "billingAccount.id=TEL-DUPONT&limit=2&offset=1"),
                        (f"{API}/usage", "billingAccount.id=TEL-DUPONT"), (f"{API}/customerBill", "")):  # fmt: skip
        assert _get(hot, path, query, staff)[0] == 200
    # a burst waits for one of a few threads rather than opening connections beyond the reading pool
    assert hot._threads is not None and hot._threads.total_tokens == HOT_THREADS < 10
    for path, query, headers in (
        (f"{API}/usage", "billingAccount.id=TEL-DUPONT", []),
        (f"{API}/usage", "product.id=TEL-DUPONT-1", staff),
        (f"{API}/customerBill", "limit=0", staff),
        (f"{API}/customerBill/F2026-000001", "", staff),
        (f"{API}/customerBill", "", [(b"authorization", b"Bearer tbk_nope_nope")]),
    ):
        with pytest.raises(AssertionError, match="passed on"):
            _get(hot, path, query, headers)


BAD = [  # (list, query, the parameter the problem names): each refused by the route's own definition
    ("customerBill", "limit=201", "limit"),
    ("customerBill", "offset=-1", "offset"),
    ("customerBill", "offset=1000001", "offset"),
    ("customerBill", "period=2026-13", "period"),
    ("customerBill", "documentType=bill", "documentType"),
    ("usage", "limit=0", "limit"),
    ("usage", f"billingAccount.id={'A' * 65}", "billingAccount.id"),
]


@pytest.mark.parametrize(("path", "query", "field"), BAD)
def test_a_bad_parameter_answers_the_same_problem_on_both_paths(
    world: Served, path: str, query: str, field: str
) -> None:
    plain = create_server(services=world.services, hot_lists=False)
    staff = [(b"authorization", f"Bearer {world.tokens[Role.READ_ONLY]}".encode())]
    hot, routed = _get(world.app, f"{API}/{path}", query, staff), _get(plain, f"{API}/{path}", query, staff)
    assert hot == routed
    status, headers, body = hot
    problem = json.loads(body)
    assert (status, dict(headers)[b"content-type"]) == (400, b"application/problem+json")
    assert (problem["code"], problem["field"]) == ("request.invalid", field), problem


def test_the_hot_lists_take_only_parameters_their_routes_declare(world: Served) -> None:
    """The fast path checks a query with the routes' own parameter types (``api/params.py``); by name too: a
    parameter it knew and the route did not (or by another name) would filter where the route ignores it."""
    document = world.client(Role.READ_ONLY).get(f"{API}/openapi.json").json()
    for path, hot in LISTS.items():
        declared = {p["name"] for p in document["paths"][path]["get"]["parameters"] if p["in"] == "query"}
        assert hot.checks.keys() <= declared, path
    assert set(LISTS[f"{API}/customerBill"].checks) == {
        "offset",
        "limit",
        "billingAccount.id",
        "documentType",
        "period",
    }
