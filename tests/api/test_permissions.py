"""Every route of the OpenAPI document, tried by every kind of caller:

- without credentials, every route answers 401;
- with a read-only token, every route that is not a read answers 403, and nothing in the database changes
  whatever the read-only token calls (each call carries a valid body, so a missing check would show);
- a customer (the portal session of Bureau Dupont) never sees another customer's data: every route given the
  Hôtel Méridien's ids answers 403 or 404, no answer names the hotel, and lists hold Dupont's things only;
  the same routes given Dupont's own ids answer (the customer-readable ones) 200.

``CALLS`` names a request for each operation; a test fails when the document has an operation it does not
name, so a new route is checked as soon as it exists (docs/api.md, "Adding a domain").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from telbill.app.access import Role
from tests.api.world import Served, Template, served

API = "/api/v1"
OWN, OTHER = "TEL-DUPONT", "BGC-MERIDIEN"
OTHER_NAMES = ("BGC-MERIDIEN", "Méridien", "M\\u00e9ridien")


@dataclass(frozen=True)
class Call:
    own: dict[str, str] = field(default_factory=dict)  # path and query values of Dupont's things
    other: dict[str, str] = field(default_factory=dict)  # the same of the hotel's
    body: Any = None
    content: bytes | None = None
    customer_reads: bool = False  # a customer may call it (on their own things)


def _ids(world: Served) -> dict[str, str]:
    """Ids of each customer's things in the demo world (and a usage record each, made here)."""
    admin = world.client(Role.ADMIN)

    def latest(account: str) -> str:
        bills = admin.get(f"{API}/customerBill", params={"billingAccount.id": account, "documentType": "invoice"})
        return str(bills.json()[0]["id"])

    janssens = {"kind": "complete_porting", "date": "2026-07-01", "phoneNumber": ["+3292223344"]}
    assert admin.post(f"{API}/product/TEL-JANSSENS-1/lifecycleEvent", json=janssens).status_code == 201
    for record, number in (("CDR-OWN", "+3225551234"), ("CDR-OTHER", "+3292223344")):
        usage = {
            "id": record,
            "usageDate": "2026-07-10T10:00:00+02:00",
            "usageType": "voice",
            "subscriber": number,
            "destination": "+3224445566",
            "country": "BE",
            "quantity": 60,
        }
        made = admin.post(f"{API}/usage", json=usage, headers={"Idempotency-Key": record})
        assert made.status_code == 201, made.text
    return {"own_bill": latest(OWN), "other_bill": latest(OTHER)}


def calls(ids: dict[str, str]) -> dict[tuple[str, str], Call]:
    own_bill, other_bill = ids["own_bill"], ids["other_bill"]
    account = {"billingAccount.id": OWN}, {"billingAccount.id": OTHER}
    bill = {"id": own_bill}, {"id": other_bill}
    charge = {"billingAccount": {"id": OTHER}, "productOffering": {"id": "TRENCH"}, "quantity": "2"}
    new_account = {
        "id": "NEW-1",
        "name": "Nouvelle SRL",
        "accountType": "residential",
        "language": "fr",
        "productCatalog": {"id": "belgacom-fees-indemnities"},
        "postalAddress": {"street1": "Rue Neuve 1", "postCode": "4000", "city": "Liège"},
    }
    order = {
        "billingAccount": {"id": OTHER},
        "productOrderItem": [{"id": "1", "action": "add", "productOffering": {"id": "LINE-ISDN2"}}],
    }
    ticket = {"id": "T-NEW", "ticketType": "repair", "product": {"id": "BGC-MERIDIEN-1"}}
    intervention = {
        "id": "INT-NEW",
        "product": {"id": "BGC-MERIDIEN-1"},
        "equipment": "terminal_sold",
        "fault": "customer",
    }
    outage = {"id": "OUT-NEW", "area": ["4000"], "startDateTime": "2026-07-15T08:00:00+02:00"}
    quote = {"productCatalog": {"id": "telenet-clic-bureau"}, "quoteItem": [{"productOffering": {"id": "CLIC-BUREAU"}}]}
    return {
        ("get", "/productCatalog"): Call(customer_reads=True),
        ("get", "/productCatalog/{id}"): Call(
            {"id": "telenet-clic-bureau"}, {"id": "telenet-clic-bureau"}, customer_reads=True
        ),
        ("get", "/productCatalog/{id}/check"): Call({"id": "telenet-clic-bureau"}, {"id": "telenet-clic-bureau"}),
        ("get", "/productOffering"): Call(
            {"productCatalog.id": "telenet-clic-bureau"},
            {"productCatalog.id": "telenet-clic-bureau"},
            customer_reads=True,
        ),
        ("get", "/productOffering/{id}"): Call(
            {"id": "telenet-clic-bureau:CLIC-BUREAU"}, {"id": "telenet-clic-bureau:CLIC-BUREAU"}, customer_reads=True
        ),
        ("post", "/quote"): Call(body=quote, customer_reads=True),
        ("get", "/billingAccount"): Call(customer_reads=True),
        ("post", "/billingAccount"): Call(body=new_account),
        ("get", "/billingAccount/{id}"): Call({"id": OWN}, {"id": OTHER}, customer_reads=True),
        ("post", "/billingAccount/{id}/portalLogin"): Call(
            {"id": OWN}, {"id": OTHER}, {"email": "x@customer.example", "password": "0123456789ab"}
        ),
        ("post", "/productOrder"): Call(body=order),
        ("get", "/product"): Call(account[0], account[1], customer_reads=True),
        ("get", "/product/{id}"): Call({"id": "TEL-DUPONT-1"}, {"id": "BGC-MERIDIEN-1"}, customer_reads=True),
        ("post", "/product/{id}/lifecycleEvent"): Call(
            {"id": "TEL-DUPONT-1"}, {"id": "BGC-MERIDIEN-1"}, {"kind": "suspend", "date": "2026-07-15"}
        ),
        ("post", "/appliedCustomerBillingRate"): Call(body=charge),
        ("get", "/appliedCustomerBillingRate"): Call(account[0], account[1], customer_reads=True),
        ("get", "/customerBill"): Call(customer_reads=True),
        ("get", "/customerBill/{id}"): Call(*bill, customer_reads=True),
        ("get", "/customerBill/{id}/appliedCustomerBillingRate"): Call(*bill, customer_reads=True),
        ("get", "/customerBill/{id}/appliedCustomerBillingRate/{line}"): Call(
            {**bill[0], "line": "1"}, {**bill[1], "line": "1"}, customer_reads=True
        ),
        ("get", "/customerBill/{id}/pdf"): Call(*bill, customer_reads=True),
        ("get", "/customerBill/{id}/ubl"): Call(*bill, customer_reads=True),
        ("get", "/customerBill/{id}/usage"): Call(*bill, customer_reads=True),
        ("post", "/customerBill/{id}/creditNote"): Call(*bill, body={}),
        ("post", "/billRun"): Call(body={"period": "2026-07"}),
        ("get", "/billRun"): Call(),
        ("get", "/billRun/{id}"): Call({"id": "BR-2026-07-1"}, {"id": "BR-2026-07-1"}),
        ("get", "/usage"): Call(customer_reads=True),
        ("get", "/usage/{id}"): Call({"id": "CDR-OWN"}, {"id": "CDR-OTHER"}, customer_reads=True),
        ("post", "/usage"): Call(
            body={
                "id": "CDR-NEW",
                "usageDate": "2026-07-11T10:00:00+02:00",
                "usageType": "sms",
                "subscriber": "+3292223344",
                "destination": "+3224445566",
                "country": "BE",
                "quantity": 1,
            }
        ),
        ("get", "/troubleTicket"): Call(customer_reads=True),
        ("get", "/troubleTicket/{id}"): Call({"id": "BGC-T-1"}, {"id": "BGC-T-1"}),  # Dupont has no ticket
        ("post", "/troubleTicket"): Call(body=ticket),
        ("post", "/troubleTicket/{id}/event"): Call({"id": "BGC-T-1"}, {"id": "BGC-T-1"}, {"kind": "closed"}),
        ("post", "/troubleTicket/{id}/pause"): Call(
            {"id": "BGC-T-1"},
            {"id": "BGC-T-1"},
            {"start": "2026-02-13T09:00:00+01:00", "end": "2026-02-13T10:00:00+01:00"},
        ),
        ("post", "/interventionReport"): Call(body=intervention),
        ("get", "/outage"): Call(customer_reads=True),
        ("post", "/outage"): Call(body=outage),
        ("post", "/outage/{id}/end"): Call({"id": "OUT-1"}, {"id": "OUT-1"}, {"endDateTime": "2026-07-15T09:00:00Z"}),
        ("get", "/payment"): Call(account[0], account[1], customer_reads=True),
        ("post", "/paymentStatement"): Call(content=b"<Document/>"),
        ("get", "/paymentReview"): Call(),
        ("post", "/paymentReview/{id}/assign"): Call(
            {"id": "2026-1/1"}, {"id": "2026-1/1"}, {"billingAccount": {"id": OTHER}}
        ),
        ("post", "/paymentReview/{id}/dismiss"): Call({"id": "2026-1/1"}, {"id": "2026-1/1"}, {"reason": "x"}),
        ("post", "/dunningRun"): Call(body={}),
        ("get", "/dunningQueue"): Call(),
        ("get", "/me"): Call(customer_reads=True),
        ("get", "/staff"): Call(),
        ("post", "/staff"): Call(body={"id": "x", "email": "x@operator.example", "name": "X", "role": "admin"}),
        ("post", "/staff/{id}/apiToken"): Call({"id": "read_only"}, {"id": "read_only"}, {"name": "x"}),
        ("post", "/apiToken/{id}/revoke"): Call({"id": "x"}, {"id": "x"}),
    }


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    safe: bool  # a read: GET, or a POST marked x-telbill-safe (a quote)

    def request(self, client: Any, values: dict[str, str], call: Call, key: str) -> Any:
        path = self.path
        query = {}
        for name, value in values.items():
            if "{" + name + "}" in path:
                path = path.replace("{" + name + "}", value)
            else:
                query[name] = value
        headers = {"Idempotency-Key": key}
        if call.content is not None:
            headers["Content-Type"] = "application/octet-stream"
            return client.request(self.method, API + path, params=query, content=call.content, headers=headers)
        return client.request(self.method, API + path, params=query, json=call.body, headers=headers)


def operations(world: Served) -> list[Operation]:
    document = world.client().get(f"{API}/openapi.json").json()
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            safe = method == "get" or bool(operation.get("x-telbill-safe"))
            found.append(Operation(method, path.removeprefix(API), safe))
    return found


@pytest.fixture(scope="module")
def checked(
    demo_template: Template, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Served, dict[str, str]]]:
    """One world for the whole module: every check here leaves it as it was (that is what is checked)."""
    for world in served(demo_template, Path(tmp_path_factory.mktemp("permissions"))):
        yield world, _ids(world)


def test_every_operation_of_the_document_is_tried(checked: tuple[Served, dict[str, str]]) -> None:
    world, ids = checked
    named = set(calls(ids))
    present = {(o.method, o.path) for o in operations(world)}
    assert present == named, f"untried: {sorted(present - named)}; gone: {sorted(named - present)}"


def test_without_credentials_every_operation_answers_401(checked: tuple[Served, dict[str, str]]) -> None:
    world, ids = checked
    table, anonymous = calls(ids), world.client()
    for operation in operations(world):
        call = table[(operation.method, operation.path)]
        response = operation.request(anonymous, call.own, call, "anonymous")
        assert response.status_code == 401, (operation, response.text)


def test_a_read_only_token_changes_nothing_and_is_refused_every_write(checked: tuple[Served, dict[str, str]]) -> None:
    world, ids = checked
    table, reader = calls(ids), world.client(Role.READ_ONLY)
    before = world.fingerprint()
    for operation in operations(world):
        call = table[(operation.method, operation.path)]
        for values in (call.own, call.other):
            response = operation.request(reader, values, call, f"ro-{operation.path}")
            if operation.safe:  # a read: answered, or refused (the staff list is the admin's)
                assert response.status_code in (200, 403, 404), (operation, response.text)
            else:
                assert response.status_code == 403, (operation, response.text)
                assert response.json()["code"] == "access.forbidden"
    assert world.fingerprint() == before


def test_a_customer_never_sees_another_customers_data(checked: tuple[Served, dict[str, str]]) -> None:
    world, ids = checked
    table, customer = calls(ids), world.customer(OWN)
    customer.headers["X-CSRF-Token"] = world.csrf(customer)  # as a page of the session would send it
    before = world.fingerprint()
    for operation in operations(world):
        call = table[(operation.method, operation.path)]
        other = operation.request(customer, call.other, call, f"c-{operation.path}")
        if call.other != call.own or not call.customer_reads:
            assert other.status_code in (403, 404), (operation, other.text)
        else:
            assert other.status_code == 200, (operation, other.text)
        if other.status_code == 200:
            assert not any(name in other.text for name in OTHER_NAMES), (operation, other.text[:500])
        own = operation.request(customer, call.own, call, f"c-own-{operation.path}")
        expected = {200} if call.customer_reads else {403}
        if (operation.method, operation.path) == ("get", "/troubleTicket/{id}"):
            expected = {404}  # Dupont has no ticket: the hotel's is not found
        assert own.status_code in expected, (operation, own.status_code, own.text[:300])
        if own.status_code == 200 and own.headers["content-type"].startswith("application/json"):
            assert not any(name in own.text for name in OTHER_NAMES), (operation, own.text[:500])
    assert world.fingerprint() == before  # a customer's reads write nothing either


def test_a_customers_lists_hold_their_own_things_only(checked: tuple[Served, dict[str, str]]) -> None:
    world, _ = checked
    customer = world.customer(OWN)
    for path in ("/billingAccount", "/product", "/customerBill", "/usage", "/troubleTicket", "/outage"):
        listed = customer.get(f"{API}{path}", params={"limit": 200})
        assert listed.status_code == 200, listed.text
        accounts = {(item.get("billingAccount") or {"id": item.get("id")})["id"] for item in listed.json()}
        assert accounts <= {OWN}, (path, accounts)
    assert [u["id"] for u in customer.get(f"{API}/usage").json()] == ["CDR-OWN"]
