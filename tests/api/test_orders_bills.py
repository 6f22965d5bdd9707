"""The API's orders and products (TMF622, TMF637), one-off charges, bills (TMF678) with their files and
explanations, credit notes, bill runs and usage (TMF635), with their idempotency keys."""

from __future__ import annotations

from lxml import etree

from telbill.app.access import Role
from tests.api.world import Served, problem

API = "/api/v1"


def _order(world: Served, product_id: str = "TEL-DUPONT-2") -> dict[str, object]:
    body = {
        "billingAccount": {"id": "TEL-DUPONT"},
        "requestedStartDate": "2026-07-01",
        "productOrderItem": [
            {"id": "1", "action": "add", "productOffering": {"id": "CLIC-BUREAU"}},
            {"id": "2", "action": "add", "productOffering": {"id": "SAFESPOT-PRO"}},
        ],
        "product": {"id": product_id, "phoneNumber": ["02 555 98 76"]},
    }
    ordered = world.client(Role.SUPPORT).post(f"{API}/productOrder", json=body)
    assert ordered.status_code == 201, ordered.text
    return ordered.json()  # type: ignore[no-any-return]


def test_an_order_adds_a_product_that_its_lifecycle_then_changes(world: Served) -> None:
    order = _order(world)
    assert order["state"] == "completed" and order["productOrderItem"][0]["product"]["id"] == "TEL-DUPONT-2"
    client = world.client(Role.SUPPORT)
    product = client.get(f"{API}/product/TEL-DUPONT-2").json()
    assert (product["status"], product["phoneNumber"]) == ("created", ["+3225559876"])
    assert [o["id"] for o in product["option"]] == ["telenet-clic-bureau:SAFESPOT-PRO"]
    active = client.post(f"{API}/product/TEL-DUPONT-2/lifecycleEvent", json={"kind": "activate", "date": "2026-07-02"})
    assert active.status_code == 201 and active.json()["status"] == "active"
    problem(
        client.post(f"{API}/product/TEL-DUPONT-2/lifecycleEvent", json={"kind": "reactivate"}),
        409,
        "subscription.transition",
    )
    modify = {
        "billingAccount": {"id": "TEL-DUPONT"},
        "requestedStartDate": "2026-07-05",
        "productOrderItem": [
            {
                "id": "1",
                "action": "modify",
                "product": {"id": "TEL-DUPONT-2"},
                "productOffering": {"id": "SPEEDBOOST-1GB"},
            }
        ],
    }
    assert client.post(f"{API}/productOrder", json=modify).status_code == 201
    ended = {
        "billingAccount": {"id": "TEL-DUPONT"},
        "requestedStartDate": "2026-07-10",
        "productOrderItem": [{"id": "1", "action": "delete", "product": {"id": "TEL-DUPONT-2"}}],
    }
    assert client.post(f"{API}/productOrder", json=ended).status_code == 201
    final = client.get(f"{API}/product/TEL-DUPONT-2").json()
    assert final["status"] == "terminated" and final["terminationDate"] == "2026-07-10"
    assert [e["kind"] for e in final["event"]] == ["activate", "add_option", "terminate"]
    listed = client.get(f"{API}/product", params={"billingAccount.id": "TEL-DUPONT"})
    assert {p["id"] for p in listed.json()} == {"TEL-DUPONT-1", "TEL-DUPONT-2"}


def test_an_order_is_refused_naming_what_is_wrong(world: Served) -> None:
    client = world.client(Role.SUPPORT)
    body = {
        "billingAccount": {"id": "TEL-DUPONT"},
        "productOrderItem": [{"id": "1", "action": "add", "productOffering": {"id": "SAFESPOT-PRO"}}],
    }
    problem(client.post(f"{API}/productOrder", json=body), 422, "order.plan_count", "productOrderItem")
    body["productOrderItem"] = [{"id": "1", "action": "add", "productOffering": {"id": "TRENCH"}}]
    problem(client.post(f"{API}/productOrder", json=body), 404, "order.unknown_item")
    body["productOrderItem"] = [
        {"id": "1", "action": "modify", "productOffering": {"id": "SAFESPOT-PRO"}, "product": {"id": "BGC-MERIDIEN-1"}}
    ]
    problem(client.post(f"{API}/productOrder", json=body), 404, "subscription.not_found")


def test_a_one_off_charge_needs_a_key_runs_once_and_refuses_the_key_for_another_request(world: Served) -> None:
    client = world.client(Role.BILLING)
    body = {
        "billingAccount": {"id": "TEL-DUPONT"},
        "productOffering": {"id": "INSTALL-CONFORT"},
        "date": "2026-07-15",
        "description": "second socket",
    }
    problem(client.post(f"{API}/appliedCustomerBillingRate", json=body), 400, "request.invalid", "Idempotency-Key")
    first = client.post(f"{API}/appliedCustomerBillingRate", json=body, headers={"Idempotency-Key": "charge-1"})
    assert first.status_code == 201, first.text
    assert first.json()["taxExcludedAmount"]["value"] == 70.25 and first.json()["isBilled"] is False
    again = client.post(f"{API}/appliedCustomerBillingRate", json=body, headers={"Idempotency-Key": "charge-1"})
    assert (again.status_code, again.json(), again.headers["idempotent-replayed"]) == (201, first.json(), "true")
    other = dict(body, description="third socket")
    problem(
        client.post(f"{API}/appliedCustomerBillingRate", json=other, headers={"Idempotency-Key": "charge-1"}),
        409,
        "idempotency.mismatch",
    )
    listed = client.get(f"{API}/appliedCustomerBillingRate", params={"billingAccount.id": "TEL-DUPONT"}).json()
    assert [c["name"] for c in listed if not c["isBilled"]] == ["Installation Confort"]
    assert world.scalar("SELECT count(*) FROM pending_charges WHERE reason = 'second socket'") == 1
    refused = client.post(
        f"{API}/appliedCustomerBillingRate",
        headers={"Idempotency-Key": "charge-2"},
        json=dict(body, productOffering={"id": "NOPE"}),
    )
    problem(refused, 404)
    assert world.scalar("SELECT count(*) FROM access_idempotency WHERE key = 'charge-2'") == 0  # released


def _dupont_invoices(world: Served) -> list[dict[str, object]]:
    found = world.client(Role.READ_ONLY).get(
        f"{API}/customerBill", params={"billingAccount.id": "TEL-DUPONT", "documentType": "invoice", "limit": 50}
    )
    return found.json()  # type: ignore[no-any-return]


def test_bills_are_listed_latest_first_filtered_and_paged(world: Served) -> None:
    client = world.client(Role.READ_ONLY)
    everything = client.get(f"{API}/customerBill", params={"limit": 5})
    assert int(everything.headers["x-total-count"]) > 5 and 'rel="next"' in everything.headers["link"]
    dates = [b["billDate"] for b in everything.json()]
    assert dates == sorted(dates, reverse=True)
    invoices = _dupont_invoices(world)
    assert invoices and {b["billingAccount"]["id"] for b in invoices} == {"TEL-DUPONT"}
    assert {b["documentType"] for b in invoices} == {"invoice"}
    june = client.get(f"{API}/customerBill", params={"period": "2026-06"}).json()
    assert june and {b["period"] for b in june} == {"2026-06"}
    problem(client.get(f"{API}/customerBill", params={"period": "2026-13"}), 400, "request.invalid", "period")


def test_a_bill_has_its_state_documents_and_every_line_explained(world: Served) -> None:
    client = world.client(Role.READ_ONLY)
    number = str(_dupont_invoices(world)[0]["id"])
    bill = client.get(f"{API}/customerBill/{number}").json()
    assert bill["state"] == "sent" and bill["remainingAmount"] == bill["amountDue"]
    assert bill["structuredCommunication"].startswith("+++")
    assert {d["mimeType"] for d in bill["billDocument"]} == {"application/pdf", "application/xml"}
    pdf = client.get(f"{API}/customerBill/{number}/pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    ubl = client.get(f"{API}/customerBill/{number}/ubl")
    assert etree.fromstring(ubl.content).tag.endswith("}Invoice")
    lines = client.get(f"{API}/customerBill/{number}/appliedCustomerBillingRate").json()
    assert lines and all(line["explanation"]["explanation"] and line["explanation"]["rule"] for line in lines)
    one = client.get(f"{API}/customerBill/{number}/appliedCustomerBillingRate/1").json()
    assert one == lines[0]
    problem(client.get(f"{API}/customerBill/{number}/appliedCustomerBillingRate/99"), 404, "line.not_found")
    assert client.get(f"{API}/customerBill/{number}/usage").json() == []
    problem(client.get(f"{API}/customerBill/F1999-000001"), 404, "document.not_found")


def test_a_credit_note_corrects_an_invoice_once_per_key(world: Served) -> None:
    client = world.client(Role.BILLING)
    number = str(_dupont_invoices(world)[0]["id"])
    body = {"lineNumber": [1], "note": "goodwill", "date": "2026-07-15"}
    made = client.post(f"{API}/customerBill/{number}/creditNote", json=body, headers={"Idempotency-Key": "cn-1"})
    assert made.status_code == 201, made.text
    note = made.json()
    assert (note["documentType"], note["precedingBill"]["id"]) == ("creditNote", number)
    again = client.post(f"{API}/customerBill/{number}/creditNote", json=body, headers={"Idempotency-Key": "cn-1"})
    assert again.json()["id"] == note["id"]
    assert world.scalar("SELECT count(*) FROM documents WHERE type = '381' AND note = 'goodwill'") == 1
    assert client.get(f"{API}/customerBill/{number}").json()["state"] == "partiallyPaid"
    problem(
        client.post(f"{API}/customerBill/{note['id']}/creditNote", json={}, headers={"Idempotency-Key": "cn-2"}),
        409,
        "credit.not_invoice",
    )


def test_a_bill_run_is_started_once_per_key_and_reports_its_progress(world: Served) -> None:
    client = world.client(Role.BILLING)
    body = {"period": "2026-07", "billDate": "2026-07-01"}
    started = client.post(f"{API}/billRun", json=body, headers={"Idempotency-Key": "run-july"})
    assert started.status_code == 202, started.text
    run = client.get(started.headers["location"]).json()
    assert (run["state"], run["progress"], run["accountsDone"]) == ("completed", 1.0, run["accounts"])
    assert run["invoices"] > 0 and len(run["customerBill"]) == run["invoices"] + run["creditNotes"]
    repeated = client.post(f"{API}/billRun", json=body, headers={"Idempotency-Key": "run-july"})
    assert repeated.json()["id"] == started.json()["id"]
    assert [r["id"] for r in client.get(f"{API}/billRun").json()] == [started.json()["id"]]
    again = client.post(f"{API}/billRun", json=body, headers={"Idempotency-Key": "run-july-2"}).json()
    assert client.get(f"{API}/billRun/{again['id']}").json()["invoices"] == 0  # every account is billed already
    problem(client.get(f"{API}/billRun/BR-nope"), 404, "billrun.not_found")


def test_a_usage_record_is_imported_once_listed_and_refused_for_an_unknown_number(world: Served) -> None:
    client = world.client(Role.BILLING)
    record = {
        "id": "CDR-1",
        "usageDate": "2026-07-10T10:00:00+02:00",
        "usageType": "voice",
        "subscriber": "02 555 12 34",
        "destination": "+3224445566",
        "country": "BE",
        "quantity": 125,
    }
    made = client.post(f"{API}/usage", json=record, headers={"Idempotency-Key": "cdr-1"})
    assert made.status_code == 201, made.text
    usage = made.json()
    assert (usage["status"], usage["product"]["id"], usage["billingAccount"]["id"]) == (
        "received",
        "TEL-DUPONT-1",
        "TEL-DUPONT",
    )
    assert client.get(f"{API}/usage/CDR-1").json()["id"] == "CDR-1"
    listed = client.get(f"{API}/usage", params={"billingAccount.id": "TEL-DUPONT"})
    assert [u["id"] for u in listed.json()] == ["CDR-1"] and listed.headers["x-total-count"] == "1"
    unknown = dict(record, id="CDR-2", subscriber="+32470000000")
    problem(
        client.post(f"{API}/usage", json=unknown, headers={"Idempotency-Key": "cdr-2"}), 404, "usage.unknown_subscriber"
    )
    problem(
        client.post(
            f"{API}/usage", json=dict(record, usageDate="2026-07-10T10:00:00"), headers={"Idempotency-Key": "cdr-3"}
        ),
        400,
        "request.invalid",
        "usageDate",
    )
    problem(client.get(f"{API}/usage/CDR-2"), 404, "usage.not_found")
