"""The demo world served over HTTP for the API and portal tests: the demo customers of both seed catalogs billed
January to June 2026 (``demo/*.yaml``), staff of every role with API tokens, two customers with portal logins.

``demo_template`` builds it once per session into a SQLite file; ``Served`` copies it for a test and serves it
in process (the API and the portal on one application, ``telbill.web.server``), with a fixed clock on
15 July 2026, fast argon2 parameters and bill runs run inline (no thread to wait for).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, text

from telbill.adapters.db import tables as t
from telbill.adapters.scenario_yaml import load_scenarios
from telbill.adapters.security.passwords import fast_passwords
from telbill.app import bootstrap
from telbill.app.access import Role
from telbill.app.billruns import BillRunJobs
from telbill.app.identities import NewStaff, create_login, create_staff, issue_token
from telbill.app.scenarios import replay
from telbill.app.services import Services
from telbill.web.server import create_server
from tests.conftest import CATALOGS, PROJECT

DEMO = PROJECT / "demo"
NOW = datetime(2026, 7, 15, 8, 0, tzinfo=UTC)  # 10:00 in Brussels, after the demo's June bill run
PASSWORD = "correct horse battery staple"
ROLES = {role: f"{role.value.replace('_', '-')}@operator.example" for role in Role}
CUSTOMERS = {  # account → portal login
    "TEL-DUPONT": "dupont@customer.example",
    "BGC-MERIDIEN": "meridien@customer.example",
}


@dataclass
class FixedClock:
    at: datetime = NOW

    def now(self) -> datetime:
        return self.at


@dataclass(frozen=True)
class Template:
    path: Path
    tokens: dict[Role, str]


def build_template(folder: Path) -> Template:
    path = folder / "demo.sqlite"
    settings = bootstrap.Settings(CATALOGS, f"sqlite:///{path}")
    replay(bootstrap.billing_deps(settings), load_scenarios(DEMO))
    services = bootstrap.web_services(settings, passwords=fast_passwords(), clock=FixedClock())
    tokens = {}
    for role, email in ROLES.items():
        create_staff(services.access, NewStaff(role.value, email, f"Staff {role.value}", role, PASSWORD))
        tokens[role] = issue_token(services.access, role.value, "tests").secret
    for account_id, email in CUSTOMERS.items():
        create_login(services.access, account_id, email, PASSWORD)
    services.close()
    return Template(path, tokens)


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy, the write-ahead log included (a plain file copy could miss what the WAL holds)."""
    with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)


def inline(work: Any) -> None:
    work()


class Served:
    """One test's copy of the demo world, served in process."""

    def __init__(self, template: Template, folder: Path) -> None:
        self.path = folder / "served.sqlite"
        copy_database(template.path, self.path)
        self.url = f"sqlite:///{self.path}"
        self.tokens = template.tokens
        self.clock = FixedClock()
        services = bootstrap.web_services(bootstrap.Settings(CATALOGS, self.url), fast_passwords(), self.clock)
        jobs = BillRunJobs(services.billing, services.customers.unit_of_work, self.clock, inline)
        self.services: Services = replace(services, bill_runs=jobs)
        self.app = create_server(services=self.services, secure_cookies=True)

    def client(self, role: Role | None = None) -> TestClient:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"} if role is not None else {}
        return TestClient(self.app, base_url="https://testserver", headers=headers)

    def customer(self, account_id: str) -> TestClient:
        """A client logged in to the portal as the customer of ``account_id`` (its session cookie set)."""
        client = TestClient(self.app, base_url="https://testserver")
        page = client.get("/login")
        token = page.text.split('name="token" value="', 1)[1].split('"', 1)[0]
        done = client.post(
            "/login",
            data={"email": CUSTOMERS[account_id], "password": PASSWORD, "token": token},
            follow_redirects=False,
        )
        assert done.status_code == 303, done.text
        return client

    @staticmethod
    def csrf(client: TestClient) -> str:
        """The session's CSRF token, as a page of the portal carries it in its forms."""
        return client.get("/").text.split('name="csrf" value="', 1)[1].split('"', 1)[0]

    def fingerprint(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table (sessions aside: logging in writes one), to prove nothing changed."""
        engine = create_engine(self.url)
        try:
            with engine.connect() as connection:
                return {
                    table.name: sorted(map(tuple, connection.execute(select(table))), key=repr)
                    for table in t.every_table().sorted_tables
                    if table.name != "access_sessions"
                }
        finally:
            engine.dispose()

    def scalar(self, sql: str) -> Any:
        engine = create_engine(self.url)
        try:
            with engine.connect() as connection:
                return connection.execute(text(sql)).scalar()
        finally:
            engine.dispose()

    def close(self) -> None:
        self.services.close()


def served(template: Template, folder: Path) -> Iterator[Served]:
    world = Served(template, folder)
    try:
        yield world
    finally:
        world.close()


def problem(response: Any, status: int, code: str | None = None, field: str | None = None) -> dict[str, Any]:
    """The RFC 9457 body of a refused request, checked: its status, media type, members and code."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["type"].startswith("https://telbill.org/problems/")
    assert body["title"] and body["detail"]
    if code is not None:
        assert body["code"] == code, body
    if field is not None:
        assert body.get("field") == field, body
    return body
