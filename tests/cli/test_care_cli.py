"""The service-assurance commands end to end on a SQLite file: a ticket from its report to the credit note,
its explanation, outages, interventions, and the errors of bad times."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from telbill.app import bootstrap
from tests.app.builders import residential, subscription
from tests.conftest import CATALOGS

runner = CliRunner()


def invoke(database: Path, *args: str) -> Any:
    env = {"TELBILL_CATALOG_DIR": str(CATALOGS), "COLUMNS": "200", "TELBILL_DATABASE_URL": f"sqlite:///{database}"}
    from telbill.cli.main import app

    return runner.invoke(app, list(args), env=env)


def customer(database: Path) -> None:
    """ACC-1 in Antwerpen (2000), a Classic line with Belgacom Office since 1 March 2026."""
    uow = bootstrap.unit_of_work_factory(f"sqlite:///{database}")
    with uow() as store:
        store.accounts.add(residential("ACC-1"))
        options = ("COMPLEMENT-BELGACOM-OFFICE",)
        store.subscriptions.add(
            subscription("SUB-1", "ACC-1", "LINE-CLASSIC", ("activate", "2026-03-01", None), options=options)
        )
        store.commit()


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    return str(result.output)


def test_a_ticket_from_its_report_to_the_credit_note(tmp_path: Path) -> None:
    db = tmp_path / "care.sqlite"
    customer(db)
    ok(invoke(db, "ticket", "open", "T-1", "--subscription", "SUB-1", "--at", "2026-03-13 22:00", "--note", "no tone"))
    ok(invoke(db, "ticket", "pause", "T-1", "--from", "2026-03-14 08:00", "--until", "2026-03-14 10:00"))
    ok(invoke(db, "ticket", "event", "T-1", "repaired", "--at", "2026-03-14 13:00"))
    explained = ok(invoke(db, "compensation", "T-1", "--explain", "--at", "2026-03-15 09:00"))
    assert "REPAIR-OFFICE" in explained and "awaiting_request" in explained and "net repair time 13 h" in explained
    requested = ok(invoke(db, "ticket", "event", "T-1", "compensation_requested", "--at", "2026-03-16 09:00"))
    assert "credit T-1:REPAIR-OFFICE: 91.96 EUR" in requested
    ok(invoke(db, "billrun", "--period", "2026-03", "--date", "2026-03-01", "--json"))
    report = json.loads(ok(invoke(db, "billrun", "--period", "2026-04", "--date", "2026-04-01", "--json")))
    assert report["documents"] == ["F2026-000002", "C2026-000001"]
    payload = json.loads(ok(invoke(db, "compensation", "T-1", "--json", "--at", "2026-04-02 09:00")))
    assert payload["due"] == "91.96" and payload["credits"][0]["document"] == "C2026-000001"
    assert [c["sla_class"] for c in payload["clocks"]] == ["BASE-LINE", "BELGACOM-OFFICE"]
    shown = ok(invoke(db, "ticket", "show", "T-1", "--at", "2026-03-14 12:00"))
    assert "paused" in shown and "BELGACOM-OFFICE" in shown


def test_times_the_clocks_skip_are_refused(tmp_path: Path) -> None:
    db = tmp_path / "care.sqlite"
    customer(db)
    result = invoke(db, "ticket", "open", "T-1", "--subscription", "SUB-1", "--at", "2026-03-29 02:30")
    assert result.exit_code == 2 and "time.nonexistent" in result.output
    ambiguous = invoke(db, "ticket", "open", "T-1", "--subscription", "SUB-1", "--at", "2026-10-25 02:30")
    assert ambiguous.exit_code == 2 and "time.ambiguous" in ambiguous.output
    # with its offset, the first 02:30 of 25 October is accepted
    ok(invoke(db, "ticket", "open", "T-1", "--subscription", "SUB-1", "--at", "2026-10-25T02:30+02:00"))


def test_repaired_before_registered_is_a_coded_error(tmp_path: Path) -> None:
    db = tmp_path / "care.sqlite"
    customer(db)
    ok(invoke(db, "ticket", "open", "T-1", "--subscription", "SUB-1", "--at", "2026-03-13 22:00"))
    result = invoke(db, "ticket", "event", "T-1", "repaired", "--at", "2026-03-13 21:00")
    assert result.exit_code == 2 and "ticket.before_registration" in result.output


def test_outages_and_interventions(tmp_path: Path) -> None:
    db = tmp_path / "care.sqlite"
    customer(db)
    ok(invoke(db, "ticket", "open", "T-1", "--subscription", "SUB-1", "--at", "2026-03-09 09:30"))
    declared = ok(invoke(db, "outage", "declare", "O-1", "--area", "2000", "--start", "2026-03-09 08:00",
                         "--service", "classic", "--description", "cable cut", "--at", "2026-03-09 10:00"))  # fmt: skip
    assert "linked tickets: T-1" in declared
    assert "cable cut" in ok(invoke(db, "outage", "list", "--account", "ACC-1", "--at", "2026-03-09 12:00"))
    ok(invoke(db, "outage", "end", "O-1", "--at", "2026-03-09 14:00"))
    assert "no outage" in ok(invoke(db, "outage", "list", "--account", "ACC-1", "--at", "2026-03-09 15:00"))
    reported = ok(invoke(db, "intervention", "report", "INT-1", "--subscription", "SUB-1", "--day", "2026-03-10",
                         "--equipment", "terminal_sold", "--fault", "customer", "--minutes", "50",
                         "--part", "handset:warranty", "--part", "base:80.00", "--out-of-hours"))  # fmt: skip
    # travel 41.32, 4 quarter hours 66.12, warranty part 0.00, part 80.00; out of hours: Office works 24/24
    for expected in ("41.32", "66.12", "80.00", "included in the line's 24/24 subscription"):
        assert expected in reported
