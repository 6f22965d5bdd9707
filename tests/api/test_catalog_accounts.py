"""The API's catalog (TMF620, quote), account (TMF666), staff and token routes, and its problem details."""

from __future__ import annotations

from telbill.app.access import Role
from tests.api.world import CUSTOMERS, DEMO, PASSWORD, Served, problem

API = "/api/v1"


def test_the_openapi_document_is_3_1_under_api_v1_with_the_problem_schema(world: Served) -> None:
    document = world.client().get(f"{API}/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert "Problem" in document["components"]["schemas"]
    assert all(path.startswith(API) for path in document["paths"])
    assert {"HTTPBearer", "APIKeyCookie"} <= set(document["components"]["securitySchemes"])


def test_without_credentials_every_answer_is_401_as_a_problem(world: Served) -> None:
    refused = world.client().get(f"{API}/customerBill")
    problem(refused, 401, "access.unauthenticated")
    assert refused.headers["www-authenticate"].startswith("Bearer")
    problem(world.client().get(f"{API}/me", headers={"Authorization": "Bearer tbk_nope_nope"}), 401)


def test_catalogs_are_listed_and_read_with_their_versions(world: Served) -> None:
    client = world.client(Role.READ_ONLY)
    listed = client.get(f"{API}/productCatalog")
    assert listed.status_code == 200 and listed.headers["x-total-count"] == "2"
    assert {c["id"] for c in listed.json()} == {"telenet-clic-bureau", "belgacom-fees-indemnities"}
    one = client.get(f"{API}/productCatalog/telenet-clic-bureau").json()
    assert one["@type"] == "ProductCatalog" and one["lifecycleStatus"] == "Active" and one["catalogVersion"]
    problem(client.get(f"{API}/productCatalog/nope"), 404, "catalog.not_found")
    check = client.get(f"{API}/productCatalog/telenet-clic-bureau/check").json()
    assert check["valid"] is True and check["errors"] == 0


def test_offerings_carry_their_prices_as_the_catalog_states_them(world: Served) -> None:
    client = world.client(Role.READ_ONLY)
    plans = client.get(
        f"{API}/productOffering", params={"productCatalog.id": "telenet-clic-bureau", "category.id": "plan"}
    )
    [plan] = plans.json()
    assert plan["id"] == "telenet-clic-bureau:CLIC-BUREAU" and plan["isBundle"] is True
    [price] = plan["productOfferingPrice"]
    assert (price["priceType"], price["recurringChargePeriodType"]) == ("recurring", "month")
    assert {o["id"] for o in plan["bundledProductOffering"]} >= {"telenet-clic-bureau:SAFESPOT-PRO"}
    option = client.get(f"{API}/productOffering/telenet-clic-bureau:SAFESPOT-PRO").json()
    assert option["category"][0]["id"] == "option"
    problem(client.get(f"{API}/productOffering/telenet-clic-bureau:NOPE"), 404, "offering.not_found")
    problem(client.get(f"{API}/productOffering", params={"productCatalog.id": "x"}), 404)


def test_a_quote_prices_the_issues_basket_and_names_the_item_it_cannot_price(world: Served) -> None:
    client = world.client(Role.READ_ONLY)
    basket = {
        "productCatalog": {"id": "telenet-clic-bureau"},
        "segment": "professional",
        "quoteDate": "2026-07-01",
        "quoteItem": [
            {"productOffering": {"id": code}}
            for code in ("CLIC-BUREAU", "SAFESPOT-PRO", "SPEEDBOOST-1GB", "INSTALL-BUSINESS")
        ],
    }
    quote = client.post(f"{API}/quote", json=basket)
    assert quote.status_code == 200, quote.text
    [total] = quote.json()["quoteTotalPrice"]
    # 69.64 + 8.00 + 15.00 + 200.00 = 292.64; VAT 21 %: 61.4544 → 61.45; 354.09
    assert (total["dutyFreeAmount"]["value"], total["taxIncludedAmount"]["value"]) == (292.64, 354.09)
    assert quote.json()["quoteItem"][0]["provenance"]["rule"]
    basket["quoteItem"] = [{"productOffering": {"id": "NOPE"}}]
    problem(client.post(f"{API}/quote", json=basket), 404)
    problem(
        client.post(f"{API}/quote", json={"productCatalog": {"id": "telenet-clic-bureau"}, "quoteItem": []}),
        400,
        "request.invalid",
        "quoteItem",
    )


def test_accounts_are_listed_a_page_at_a_time_with_tmf630_headers(world: Served) -> None:
    client = world.client(Role.READ_ONLY)
    first = client.get(f"{API}/billingAccount", params={"limit": 2})
    assert first.headers["x-total-count"] == str(len(list(DEMO.glob("*.yaml"))))
    assert first.headers["x-result-count"] == "2" and 'rel="next"' in first.headers["link"]
    ids = [a["id"] for a in first.json()]
    assert ids == sorted(ids)
    problem(client.get(f"{API}/billingAccount", params={"limit": 0}), 400, "request.invalid", "limit")
    belgacom = client.get(f"{API}/billingAccount", params={"productCatalog.id": "belgacom-fees-indemnities"}).json()
    assert {a["productCatalog"]["id"] for a in belgacom} == {"belgacom-fees-indemnities"}


def test_an_account_shows_its_balance_and_masks_nothing_it_does_not_hold(world: Served) -> None:
    account = world.client(Role.SUPPORT).get(f"{API}/billingAccount/TEL-DUPONT").json()
    assert (account["vatNumber"], account["accountType"], account["billingDay"]) == ("BE0403170701", "professional", 1)
    assert account["accountBalance"][0]["amount"]["value"] > 0  # the demo's invoices are unpaid
    problem(world.client(Role.SUPPORT).get(f"{API}/billingAccount/NOPE"), 404, "account.not_found")


def _new_account(**changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "id": "TEL-NEW",
        "name": "Nouvelle SRL",
        "accountType": "professional",
        "productCatalog": {"id": "telenet-clic-bureau"},
        "language": "fr",
        "postalAddress": {"street1": "Rue Neuve 1", "postCode": "1000", "city": "Bruxelles"},
        "vatNumber": "BE 0473.416.418",
        "emailAddress": "compta@nouvelle.example",
    }
    body.update(changes)
    return body


def test_an_account_is_opened_with_identifiers_as_typed_and_refused_naming_the_field(world: Served) -> None:
    client = world.client(Role.SUPPORT)
    opened = client.post(f"{API}/billingAccount", json=_new_account())
    assert opened.status_code == 201, opened.text
    assert opened.headers["location"] == f"{API}/billingAccount/TEL-NEW"
    assert (opened.json()["vatNumber"], opened.json()["enterpriseNumber"]) == ("BE0473416418", "0473416418")
    problem(client.post(f"{API}/billingAccount", json=_new_account()), 409, "account.exists")
    problem(
        client.post(f"{API}/billingAccount", json=_new_account(id="X1", vatNumber="BE0473416419")),
        422,
        "party.enterprise_number",
        "enterprise_number",
    )
    problem(
        client.post(f"{API}/billingAccount", json=_new_account(id="X2", billingDay=29)),
        400,
        "request.invalid",
        "billingDay",
    )
    problem(client.post(f"{API}/billingAccount", json=_new_account(id="X3", productCatalog={"id": "nope"})), 404)


def test_a_portal_login_given_by_staff_lets_the_customer_in(world: Served) -> None:
    given = world.client(Role.SUPPORT).post(
        f"{API}/billingAccount/TEL-LEROY/portalLogin", json={"email": "leroy@customer.example", "password": PASSWORD}
    )
    assert given.status_code == 201, given.text
    problem(
        world.client(Role.SUPPORT).post(
            f"{API}/billingAccount/TEL-LEROY/portalLogin",
            json={"email": "leroy@customer.example", "password": PASSWORD},
        ),
        409,
        "login.exists",
    )
    CUSTOMERS["TEL-LEROY"] = "leroy@customer.example"
    try:
        me = world.customer("TEL-LEROY").get(f"{API}/me").json()
    finally:
        del CUSTOMERS["TEL-LEROY"]
    assert (me["kind"], me["billingAccount"]["id"], me["permission"]) == ("customer", "TEL-LEROY", [])


def test_me_says_who_the_credentials_are_and_what_they_allow(world: Served) -> None:
    for role in Role:
        me = world.client(role).get(f"{API}/me").json()
        assert (me["kind"], me["role"]) == ("staff", role.value)
    assert world.client(Role.READ_ONLY).get(f"{API}/me").json()["permission"] == ["read"]


def test_an_admin_adds_staff_issues_a_token_shown_once_and_revokes_it(world: Served) -> None:
    admin = world.client(Role.ADMIN)
    added = admin.post(
        f"{API}/staff", json={"id": "eve", "email": "eve@operator.example", "name": "Eve", "role": "support"}
    )
    assert added.status_code == 201, added.text
    issued = admin.post(f"{API}/staff/eve/apiToken", json={"name": "ci"}).json()
    assert issued["token"].startswith("tbk_")
    assert (
        world.scalar(f"SELECT count(*) FROM access_api_tokens WHERE secret_hash LIKE '%{issued['token'][-8:]}%'") == 0
    )
    eve = world.client()
    eve.headers["Authorization"] = f"Bearer {issued['token']}"
    assert eve.get(f"{API}/me").json()["role"] == "support"
    assert [s["id"] for s in admin.get(f"{API}/staff").json()] == sorted(
        ["admin", "billing", "support", "read_only", "eve"]
    )
    assert admin.post(f"{API}/apiToken/{issued['id']}/revoke").status_code == 204
    problem(eve.get(f"{API}/me"), 401)
    problem(world.client(Role.BILLING).get(f"{API}/staff"), 403, "access.forbidden")
