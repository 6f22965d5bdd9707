"""The portal and the back office over HTTP (in process): logins in three languages, secure cookies, CSRF
tokens, throttled logins, the customer's pages limited to their own account, the staff pages and their forms."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from telbill.app.access import Role
from tests.api.world import CUSTOMERS, PASSWORD, ROLES, Served


def _token(page: str, name: str = "token") -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', page)
    assert found, page[:500]
    return found.group(1)


def _staff(world: Served, role: Role) -> TestClient:
    client = TestClient(world.app, base_url="https://testserver")
    token = _token(client.get("/backoffice/login").text)
    done = client.post(
        "/backoffice/login", data={"email": ROLES[role], "password": PASSWORD, "token": token}, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"] == "/backoffice/"
    return client


def test_the_login_page_speaks_french_dutch_and_english(world: Served) -> None:
    client = TestClient(world.app, base_url="https://testserver")
    assert "Se connecter" in client.get("/login").text
    assert "Aanmelden" in client.get("/login?lang=nl").text
    assert "Aanmelden" in client.get("/login").text  # the choice is remembered
    assert "Log in" in client.get("/login?lang=en").text
    fresh = TestClient(world.app, base_url="https://testserver", headers={"Accept-Language": "nl-BE,nl;q=0.9"})
    assert "Aanmelden" in fresh.get("/login").text


def test_a_visitor_without_session_is_sent_to_the_login_page(world: Served) -> None:
    client = TestClient(world.app, base_url="https://testserver")
    for path in ("/", "/invoices", "/pay", "/tickets", "/invoices/F2026-000001"):
        response = client.get(path, follow_redirects=False)
        assert (response.status_code, response.headers["location"]) == (303, "/login"), path
    assert client.get("/backoffice/tickets", follow_redirects=False).headers["location"] == "/backoffice/login"


def test_the_session_cookie_is_secure_http_only_and_same_site_and_pages_forbid_scripts(world: Served) -> None:
    client = TestClient(world.app, base_url="https://testserver")
    token = _token(client.get("/login").text)
    done = client.post(
        "/login", data={"email": CUSTOMERS["TEL-DUPONT"], "password": PASSWORD, "token": token}, follow_redirects=False
    )
    cookie = done.headers["set-cookie"]
    assert cookie.startswith("telbill_session=") and all(
        flag in cookie.lower() for flag in ("httponly", "secure", "samesite=lax", "path=/")
    )
    page = client.get("/")
    assert "script-src" not in page.headers["content-security-policy"]  # default-src 'none': no script at all
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"


def test_a_login_form_without_its_token_is_refused_and_failures_are_throttled(world: Served) -> None:
    client = TestClient(world.app, base_url="https://testserver")
    forged = client.post("/login", data={"email": CUSTOMERS["TEL-DUPONT"], "password": PASSWORD, "token": "x"})
    assert forged.status_code == 403
    token = _token(client.get("/login").text)
    for _ in range(5):
        wrong = client.post(
            "/login", data={"email": CUSTOMERS["TEL-DUPONT"], "password": "wrong password", "token": token}
        )
        assert wrong.status_code == 401 and "mot de passe erroné" in wrong.text
        token = _token(wrong.text)
    throttled = client.post("/login", data={"email": CUSTOMERS["TEL-DUPONT"], "password": PASSWORD, "token": token})
    assert throttled.status_code == 429 and int(throttled.headers["retry-after"]) > 0
    assert "Trop d&#39;essais" in throttled.text


def test_a_customer_sees_consumption_invoices_explanations_and_how_to_pay(world: Served) -> None:
    client = world.customer("TEL-DUPONT")
    home = client.get("/")
    assert home.status_code == 200 and "Bureau Dupont SRL" in home.text
    assert "Période en cours : du 1 juillet 2026 au 31 juillet 2026" in home.text
    assert home.text.count("<svg") >= 2 and "CLIC BUREAU" in home.text
    invoices = client.get("/invoices").text
    numbers = re.findall(r'href="/invoices/(F\d{4}-\d{6})"', invoices)
    assert numbers
    invoice = client.get(f"/invoices/{numbers[0]}").text
    assert "Pourquoi ce montant ?" in invoice and f"/invoices/{numbers[0]}/pdf" in invoice
    assert 'class="qr"' in invoice and "+++" in invoice and "BE68539007547034" in invoice  # Telenet's IBAN
    line = client.get(f"/invoices/{numbers[0]}/lines/1")
    assert line.status_code == 200 and "Calcul" in line.text and "Règle" in line.text
    pdf = client.get(f"/invoices/{numbers[0]}/pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get(f"/invoices/{numbers[0]}/ubl").content.startswith(b"<?xml")
    pay = client.get("/pay").text
    assert pay.count('class="qr"') == len(numbers) or pay.count('class="qr"') > 0
    assert client.get(f"/invoices/{numbers[0]}/lines/99").status_code == 404


def test_a_customer_is_told_another_customers_invoice_and_ticket_do_not_exist(world: Served) -> None:
    hotel = world.customer("BGC-MERIDIEN")
    theirs = re.findall(r'href="/invoices/(F\d{4}-\d{6})"', hotel.get("/invoices").text)
    dupont = world.customer("TEL-DUPONT")
    for path in (
        f"/invoices/{theirs[0]}",
        f"/invoices/{theirs[0]}/pdf",
        f"/invoices/{theirs[0]}/lines/1",
        "/tickets/BGC-T-1",
    ):
        refused = dupont.get(path)
        assert refused.status_code == 404 and "Méridien" not in refused.text, path
    assert theirs[0] not in dupont.get("/invoices").text


def test_the_hotel_sees_its_late_repair_and_the_compensation_credited(world: Served) -> None:
    hotel = world.customer("BGC-MERIDIEN")
    tickets = hotel.get("/tickets").text
    assert "BGC-T-1" in tickets and "délai dépassé" in tickets
    ticket = hotel.get("/tickets/BGC-T-1").text
    assert "Indemnisation due : 295,17\xa0€" in ticket and "créditée sur C2026-" in ticket


def test_forms_need_the_sessions_csrf_token_and_the_language_follows_the_customer(world: Served) -> None:
    client = world.customer("TEL-DUPONT")
    assert client.post("/language", data={"lang": "nl", "csrf": "forged"}).status_code == 403
    csrf = _token(client.get("/").text, "csrf")
    changed = client.post(
        "/language", data={"lang": "nl", "csrf": csrf}, headers={"referer": "/invoices"}, follow_redirects=False
    )
    assert changed.headers["location"] == "/invoices"
    assert "Mijn facturen" in client.get("/invoices").text
    assert "Mijn facturen" in world.customer("TEL-DUPONT").get("/invoices").text  # kept with the login


def test_logging_out_ends_the_session_on_the_server(world: Served) -> None:
    client = world.customer("TEL-DUPONT")
    cookie = client.cookies.get("telbill_session")
    csrf = _token(client.get("/").text, "csrf")
    assert client.post("/logout", data={"csrf": csrf}, follow_redirects=False).headers["location"] == "/login"
    replayed = TestClient(world.app, base_url="https://testserver", cookies={"telbill_session": cookie or ""})
    assert replayed.get("/", follow_redirects=False).headers["location"] == "/login"


def test_staff_pages_show_customers_bill_runs_tickets_and_queues(world: Served) -> None:
    admin = _staff(world, Role.ADMIN)
    for path, expected in (
        ("/backoffice/", "délai dépassé"),
        ("/backoffice/customers", "TEL-DUPONT"),
        ("/backoffice/customers/TEL-DUPONT", "TEL-DUPONT-1"),
        ("/backoffice/tickets", "BGC-T-1"),
        ("/backoffice/tickets/BGC-T-1", "Privilege"),
        ("/backoffice/dunning", "remind"),
        ("/backoffice/payments", "Paiements"),
        ("/backoffice/billruns", "start-bill-run"),
    ):
        page = admin.get(path, headers={"Accept-Language": "fr"})
        assert page.status_code == 200 and expected in page.text, (path, page.text[:300])
    csrf = _token(admin.get("/backoffice/billruns").text, "csrf")
    started = admin.post(
        "/backoffice/billruns",
        data={"period": "2026-07", "bill_date": "2026-07-01", "csrf": csrf},
        follow_redirects=False,
    )
    job = admin.get(started.headers["location"]).text
    assert 'id="job-state">completed' in job


def test_a_read_only_member_sees_no_form_and_a_forged_one_is_refused(world: Served) -> None:
    reader = _staff(world, Role.READ_ONLY)
    page = reader.get("/backoffice/billruns").text
    assert "start-bill-run" not in page
    csrf = _token(reader.get("/backoffice/").text, "csrf")
    forged = reader.post("/backoffice/billruns", data={"period": "2026-07", "bill_date": "2026-07-01", "csrf": csrf})
    assert forged.status_code == 403
    assert "record-event" not in reader.get("/backoffice/tickets/BGC-T-1").text
    event = reader.post(
        "/backoffice/tickets/BGC-T-1/event", data={"kind": "closed", "day": "2026-07-15", "at": "10:00", "csrf": csrf}
    )
    assert event.status_code == 403


def test_customers_and_staff_keep_to_their_own_site(world: Served) -> None:
    customer = world.customer("TEL-DUPONT")
    assert customer.get("/backoffice/").status_code == 403
    admin = _staff(world, Role.ADMIN)
    assert admin.get("/", follow_redirects=False).headers["location"] == "/backoffice/"
    assert admin.get("/invoices").status_code == 403


def _fault_form(client: TestClient) -> dict[str, str]:
    page = client.get("/tickets").text
    assert 'id="report-fault"' in page, page[:500]
    return {"csrf": _token(page, "csrf"), "ticket": _token(page, "ticket")}


def test_a_customer_reports_a_fault_on_their_own_line_and_sees_its_sla_clock(world: Served) -> None:
    hotel = world.customer("BGC-MERIDIEN")
    form = _fault_form(hotel)
    assert re.findall(r'<option value="([^"]+)"', hotel.get("/tickets").text) == ["BGC-MERIDIEN-1"]
    sent = {**form, "subscription": "BGC-MERIDIEN-1", "description": "plus de tonalité à la réception"}
    done = hotel.post("/tickets", data=sent, follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, f"/tickets/{form['ticket']}")
    page = hotel.get(done.headers["location"]).text
    assert "plus de tonalité à la réception" in page and "réparation" in page and 'id="sla"' in page
    # registered Wednesday 15 July 2026 at 10:00 (the services' clock); Privilege Garantie: 8 working hours
    # of 08:00–18:00, so 18:00 the same day, before the base line's end of the next working day (Thursday 16:30)
    ticket = world.client(Role.READ_ONLY).get(f"/api/v1/troubleTicket/{form['ticket']}").json()
    assert (ticket["creationDate"], ticket["expectedResolutionDate"]) == (
        "2026-07-15T08:00:00Z",
        "2026-07-15T16:00:00Z",
    )
    assert (ticket["ticketType"], ticket["relatedEntity"][0]["id"]) == ("repair", "BGC-MERIDIEN-1")
    again = hotel.post("/tickets", data=sent, follow_redirects=False)  # the same form sent twice: one ticket
    assert again.headers["location"] == done.headers["location"]
    assert world.scalar("SELECT count(*) FROM care_tickets WHERE account_id = 'BGC-MERIDIEN'") == 2


def test_a_fault_on_another_customers_line_or_without_words_is_refused_naming_the_field(world: Served) -> None:
    count = "SELECT count(*) FROM care_tickets"
    before = world.scalar(count)
    dupont = world.customer("TEL-DUPONT")
    form = _fault_form(dupont)
    theirs = dupont.post("/tickets", data={**form, "subscription": "BGC-MERIDIEN-1", "description": "muet"})
    assert theirs.status_code == 422 and 'data-field="subscription"' in theirs.text
    assert "BGC-MERIDIEN-1 n&#39;est pas un de vos abonnements" in theirs.text and "Méridien" not in theirs.text
    unknown = dupont.post("/tickets", data={**form, "subscription": "NOPE-1", "description": "muet"})
    assert unknown.status_code == 422 and "NOPE-1 n&#39;est pas un de vos abonnements" in unknown.text  # same words
    blank = dupont.post("/tickets", data={**form, "subscription": "TEL-DUPONT-1", "description": "  "})
    assert blank.status_code == 422 and 'data-field="description"' in blank.text
    assert "Décrivez le dérangement" in blank.text and 'value="TEL-DUPONT-1" selected' in blank.text
    forged = dupont.post(
        "/tickets", data={**form, "csrf": "forged", "subscription": "TEL-DUPONT-1", "description": "x"}
    )
    assert forged.status_code == 403
    assert world.scalar(count) == before  # nothing was opened


def test_a_fault_cannot_be_reported_on_a_line_out_of_service(world: Served) -> None:
    dupont = world.customer("TEL-DUPONT")
    form = _fault_form(dupont)  # shown before the line was suspended
    suspended = world.client(Role.SUPPORT).post(
        "/api/v1/product/TEL-DUPONT-1/lifecycleEvent", json={"kind": "suspend", "date": "2026-07-15"}
    )
    assert suspended.status_code == 201, suspended.text
    assert "Aucun abonnement en service" in dupont.get("/tickets").text
    refused = dupont.post("/tickets", data={**form, "subscription": "TEL-DUPONT-1", "description": "muet"})
    assert refused.status_code == 422 and "TEL-DUPONT-1 n&#39;est pas en service" in refused.text
    assert world.scalar(f"SELECT count(*) FROM care_tickets WHERE id = '{form['ticket']}'") == 0
