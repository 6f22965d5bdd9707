"""The portal in real Chromium (Debian's ``/usr/bin/chromium``, driven by Playwright; no browser is downloaded):

- a customer logs in, opens an invoice, downloads its PDF and opens the explanation of a line;
- a staff member opens a ticket past its deadline and records the repair; the customer then sees the
  compensation, asks for the part paid on request, and sees it waiting for the next bill;
- a customer reports a fault through the form of their tickets page and lands on the new ticket's SLA clock.

The demo world is served by uvicorn on the loopback, in a thread. Screenshots of every step are saved under
``out/test-artifacts/``. Without Chromium the tests fail under CI (``CI=true``) and are skipped elsewhere,
saying why (``make test`` installs the Debian package when it is missing).
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from telbill.app.access import Role
from tests.api.world import CUSTOMERS, PASSWORD, ROLES, Served
from tests.conftest import PROJECT

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = PROJECT / "out" / "test-artifacts"


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"no Chromium at {CHROMIUM}: install the Debian package chromium (make test does)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def site(world: Served) -> Iterator[str]:
    """The world served on a free loopback port; its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # TCP_NODELAY on connections
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(world.app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "the test server did not start"
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture
def browser() -> Iterator[object]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _shoot(page: object, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def _log_in(browser: object, url: str, email: str, staff: bool = False) -> object:
    context = browser.new_context(accept_downloads=True, locale="fr-BE")  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{url}/backoffice/login" if staff else f"{url}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login")
    return page


def test_a_customer_opens_an_invoice_downloads_its_pdf_and_reads_why_a_line_costs_what_it_costs(
    site: str, browser: object, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = _log_in(browser, site, CUSTOMERS["TEL-DUPONT"])
    expect(page.locator("h1")).to_contain_text("Bonjour Bureau Dupont SRL")  # type: ignore[attr-defined]
    _shoot(page, "customer-1-consumption")
    page.click("text=Mes factures")  # type: ignore[attr-defined]
    first = page.locator("#invoices a").first  # type: ignore[attr-defined]
    number = first.inner_text().split()[-1]
    first.click()
    expect(page.locator("h1")).to_contain_text(number)  # type: ignore[attr-defined]
    expect(page.locator("#how-to-pay .communication")).to_contain_text("+++")  # type: ignore[attr-defined]
    _shoot(page, "customer-2-invoice")
    with page.expect_download() as downloading:  # type: ignore[attr-defined]
        page.click("#download-pdf")  # type: ignore[attr-defined]
    download = downloading.value
    assert download.suggested_filename == f"{number}.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    page.locator("a.why").first.click()  # type: ignore[attr-defined]
    explanation = page.locator("#explanation")  # type: ignore[attr-defined]
    expect(explanation).to_contain_text("Calcul")
    expect(explanation).to_contain_text("telenet-clic-bureau")
    _shoot(page, "customer-3-why-this-amount")


def test_staff_record_the_repair_of_a_late_ticket_and_the_customer_then_sees_the_compensation(
    site: str, browser: object, world: Served
) -> None:
    from playwright.sync_api import expect

    # reported on Monday 13 July 2026 at 09:00: the Privilege deadline (8 working hours) passed on the 14th
    opened = world.client(Role.SUPPORT).post(
        "/api/v1/troubleTicket",
        json={
            "id": "BGC-T-LATE",
            "ticketType": "repair",
            "product": {"id": "BGC-MERIDIEN-1"},
            "creationDate": "2026-07-13T09:00:00+02:00",
            "description": "standard téléphonique muet",
        },
    )
    assert opened.status_code == 201, opened.text

    staff = _log_in(browser, site, ROLES[Role.SUPPORT], staff=True)
    expect(staff.locator("h1")).to_contain_text("Back-office")  # type: ignore[attr-defined]
    staff.click("text=Tickets")  # type: ignore[attr-defined]
    late = staff.locator("tr.late", has_text="BGC-T-LATE")  # type: ignore[attr-defined]
    expect(late).to_contain_text("délai dépassé")
    _shoot(staff, "staff-1-tickets-past-deadline")
    late.locator("a", has_text="BGC-T-LATE").click()
    expect(staff.locator("#sla")).to_contain_text("délai dépassé")  # type: ignore[attr-defined]
    staff.select_option("#event-kind", "repaired")  # type: ignore[attr-defined]
    staff.click("#record-event")  # type: ignore[attr-defined]
    expect(staff.locator("#ticket-state")).to_have_text("resolved")  # type: ignore[attr-defined]
    _shoot(staff, "staff-2-repair-recorded")

    customer = _log_in(browser, site, CUSTOMERS["BGC-MERIDIEN"])
    customer.click("text=Mes tickets")  # type: ignore[attr-defined]
    customer.click("text=BGC-T-LATE")  # type: ignore[attr-defined]
    compensation = customer.locator("#compensation")  # type: ignore[attr-defined]
    expect(compensation).to_contain_text("Indemnisation due")
    before = _due(compensation.locator(".total").inner_text())
    _shoot(customer, "customer-4-compensation")
    customer.click("#request-compensation")  # type: ignore[attr-defined]
    expect(compensation).to_contain_text("Demandée le")
    after = _due(compensation.locator(".total").inner_text())
    assert before == 0 < after  # every clause of this line pays on request (« à votre demande »)
    expect(compensation.locator(".credits")).to_contain_text("sur votre prochaine facture")
    _shoot(customer, "customer-5-compensation-requested")


def test_a_customer_reports_a_fault_and_lands_on_the_new_tickets_sla_clock(site: str, browser: object) -> None:
    from playwright.sync_api import expect

    customer = _log_in(browser, site, CUSTOMERS["BGC-MERIDIEN"])
    customer.click("text=Mes tickets")  # type: ignore[attr-defined]
    customer.select_option("#fault-subscription", "BGC-MERIDIEN-1")  # type: ignore[attr-defined]
    customer.fill("#fault-description", "plus de tonalité à la réception")  # type: ignore[attr-defined]
    _shoot(customer, "customer-6-report-a-fault")
    customer.click("#send-fault")  # type: ignore[attr-defined]
    expect(customer.locator("h1")).to_contain_text("Ticket P-")  # type: ignore[attr-defined]
    expect(customer.locator("main")).to_contain_text("plus de tonalité à la réception")  # type: ignore[attr-defined]
    # reported at the clock's 10:00 on Wednesday 15 July: Privilege Garantie's 8 working hours end at 18:00
    expect(customer.locator("#sla")).to_have_text("dans les délais")  # type: ignore[attr-defined]
    expect(customer.locator("dl.facts")).to_contain_text("18:00")  # type: ignore[attr-defined]
    _shoot(customer, "customer-7-fault-reported")


def _due(text: str) -> float:
    found = re.search(r"([\d\u202f.]+,\d\d)", text)
    assert found, text
    return float(found.group(1).replace("\u202f", "").replace(".", "").replace(",", "."))
