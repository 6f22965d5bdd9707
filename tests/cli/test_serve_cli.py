"""``telbill serve`` and the end of ``telbill demo --serve``: ports that are taken, demo logins that work."""

from __future__ import annotations

import gc
import socket
from pathlib import Path

from pytest import MonkeyPatch
from rich.console import Console

from telbill.adapters.scenario_yaml import load_scenarios
from telbill.app import bootstrap
from telbill.app.access import PrincipalKind
from telbill.app.identities import authenticate_token, check_password
from telbill.app.scenarios import replay
from telbill.cli.serve import DEMO_CUSTOMERS, DEMO_STAFF, bind, print_logins, seed_demo_logins
from telbill.web.server import server_from_environment
from tests.conftest import CATALOGS, PROJECT


def test_a_taken_port_is_skipped_for_the_next_free_one() -> None:
    [first] = bind("127.0.0.1", 0)
    taken = first.getsockname()[1]
    try:
        [second] = bind("127.0.0.1", taken, tries=5)
        assert second.getsockname()[1] != taken
        assert second.proto == socket.IPPROTO_TCP  # asyncio sets TCP_NODELAY on its connections
        second.close()
    finally:
        first.close()


def test_several_workers_get_one_socket_each_on_the_same_port() -> None:
    sockets = bind("127.0.0.1", 0, count=3)
    try:
        assert len({s.getsockname()[1] for s in sockets}) == 1
        assert all(s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) for s in sockets)
    finally:
        for s in sockets:
            s.close()


def test_the_demo_logins_are_seeded_printed_and_work(tmp_path: Path) -> None:
    settings = bootstrap.Settings(CATALOGS, f"sqlite:///{tmp_path / 'demo.sqlite'}")
    replay(bootstrap.billing_deps(settings), load_scenarios(PROJECT / "demo"))
    logins, token = seed_demo_logins(settings)
    console = Console(record=True, width=80)
    print_logins(console, "http://127.0.0.1:8000", logins, token)
    printed = console.export_text()
    for login in logins:
        assert login.email in printed and login.password in printed  # whole, whatever the terminal's width
    services = bootstrap.web_services(settings)
    try:
        assert authenticate_token(services.access, token).role is not None
        staff = check_password(services.access, PrincipalKind.STAFF, DEMO_STAFF.email, DEMO_STAFF.password)
        assert staff.is_staff
        for account_id, login in DEMO_CUSTOMERS:
            customer = check_password(services.access, PrincipalKind.CUSTOMER, login.email, login.password)
            assert customer.account_id == account_id
        with services.reader() as uow:
            catalogs = {uow.accounts.get(account_id).catalog_id for account_id, _ in DEMO_CUSTOMERS}
        assert catalogs == {"telenet-clic-bureau", "belgacom-fees-indemnities"}  # one customer of each catalog
    finally:
        services.close()


def test_the_served_application_freezes_what_it_was_started_with(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    """The start's objects out of the collector's reach: no full collection walks them during a request."""
    monkeypatch.setenv(bootstrap.DATABASE_URL_VARIABLE, f"sqlite:///{tmp_path / 'served.sqlite'}")
    monkeypatch.setenv(bootstrap.CATALOG_DIR_VARIABLE, str(CATALOGS))
    before = gc.get_freeze_count()
    try:
        app = server_from_environment()
        assert gc.get_freeze_count() > before
        app.state.services.close()
    finally:
        gc.unfreeze()
