"""The billing commands, end to end on a SQLite file: simulate, billrun, explain, invoice show/files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from telbill.adapters.scenario_yaml import load_scenario
from telbill.app import bootstrap
from telbill.app.scenarios import replay
from telbill.cli.main import app
from tests.conftest import CATALOGS, PROJECT

SCENARIOS = PROJECT / "tests" / "scenarios"
runner = CliRunner()


def invoke(*args: str, database: Path | None = None) -> object:
    env = {"TELBILL_CATALOG_DIR": str(CATALOGS), "COLUMNS": "200"}
    if database is not None:
        env["TELBILL_DATABASE_URL"] = f"sqlite:///{database}"
    return runner.invoke(app, list(args), env=env)


def test_simulate_prints_the_documents_of_a_golden_scenario() -> None:
    result = invoke("simulate", str(SCENARIOS / "01-telenet-proration-in.yaml"))
    assert result.exit_code == 0, result.output
    assert "F2026-000001" in result.output and "402.62" in result.output


def test_simulate_json_lists_documents_and_no_mismatch() -> None:
    result = invoke("simulate", str(SCENARIOS / "06-belgacom-suspension-reactivation.yaml"), "--json")
    payload = json.loads(result.output)
    assert [d["number"] for d in payload["documents"]] == [f"F2026-00000{n}" for n in range(1, 5)]
    assert payload["documents"][3]["out_of_scope"] is True and payload["mismatches"] == []


def test_simulate_exits_1_when_the_expected_documents_differ(tmp_path: Path) -> None:
    text = (
        (SCENARIOS / "04-telenet-installation.yaml")
        .read_text(encoding="utf-8")
        .replace('gross: "226.75"', 'gross: "226.76"')
    )
    path = tmp_path / "wrong.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke("simulate", str(path))
    assert result.exit_code == 1
    assert "F2026-000001: gross 226.75, expected 226.76" in result.output


def test_an_impossible_event_names_its_place(tmp_path: Path) -> None:
    text = (SCENARIOS / "06-belgacom-suspension-reactivation.yaml").read_text(encoding="utf-8")
    path = tmp_path / "twice.yaml"
    path.write_text(text.replace("do: suspend", "do: reactivate"), encoding="utf-8")
    result = invoke("simulate", str(path))
    assert result.exit_code == 2
    assert "subscription.transition" in result.output and "events[3] (2026-02-10)" in result.output


def test_an_unknown_item_is_refused_at_its_event(tmp_path: Path) -> None:
    text = (SCENARIOS / "09-belgacom-requested-documents.yaml").read_text(encoding="utf-8")
    path = tmp_path / "unknown.yaml"
    path.write_text(text.replace("charge: INTERMEDIATE-INVOICE", "charge: NO-SUCH-FEE"), encoding="utf-8")
    result = invoke("simulate", str(path))
    assert result.exit_code == 2
    assert "catalog.unknown_item" in result.output and "events[4] (2026-02-20)" in result.output


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  - {on: 2026-01-01, bill: 2026-01}", "  - {on: 2026-06-01, bill: 2026-01}", "comes after an event on"),
        ("name: An Peeters", "name: An Peeters\n  colour: blue", "colour"),
        ("{on: 2026-02-01, bill: 2026-02}", "{on: 2026-02-01, bill: 2026-02, charge: LABOUR}", "exactly one of"),
    ],
)
def test_a_malformed_scenario_is_refused_with_its_place(tmp_path: Path, old: str, new: str, message: str) -> None:
    text = (SCENARIOS / "06-belgacom-suspension-reactivation.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = invoke("simulate", str(path))
    assert result.exit_code == 2
    assert "scenario.invalid" in result.output and f"{path}:" in result.output and message in result.output


@pytest.fixture
def billed_database(tmp_path: Path) -> Path:
    """A database with the golden scenario 11 replayed (a professional Belgacom customer billed for June)."""
    database = tmp_path / "telbill.sqlite"
    settings = bootstrap.Settings(CATALOGS, f"sqlite:///{database}")
    replay(bootstrap.billing_deps(settings), [load_scenario(SCENARIOS / "11-belgacom-intervention-fees.yaml")])
    return database


def test_billrun_again_bills_nothing(billed_database: Path) -> None:
    result = invoke("billrun", "--period", "2026-06", "--date", "2026-06-01", "--json", database=billed_database)
    report = json.loads(result.output)
    assert (report["billed"], report["already_processed"], report["documents"]) == (0, 1, [])


def test_billrun_bills_the_next_period(billed_database: Path) -> None:
    result = invoke("billrun", "--period", "2026-07", "--date", "2026-07-01", "--json", database=billed_database)
    report = json.loads(result.output)
    # July in advance: 43.49 TVAC → 35.94 net; VAT 7.5474 → 7.55; gross 43.49
    assert (report["documents"], report["total_signed_gross"]) == (["F2026-000002"], "43.49")


def test_explain_prints_the_rule_and_arithmetic_of_each_line(billed_database: Path) -> None:
    result = invoke("explain", "F2026-000001", database=billed_database)
    assert result.exit_code == 0, result.output
    assert "rule per_started_unit" in result.output
    assert "50 minute = 4 started block(s) of 15 × 16.53" in result.output


def test_an_unknown_invoice_number_is_an_error(billed_database: Path) -> None:
    result = invoke("explain", "F2026-999999", database=billed_database)
    assert result.exit_code == 2 and "not_found" in result.output


def test_invoice_files_writes_the_pdf_and_the_ubl(billed_database: Path, tmp_path: Path) -> None:
    out = tmp_path / "files"
    result = invoke("invoice", "files", "F2026-000001", "--out", str(out), database=billed_database)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["F2026-000001.pdf", "F2026-000001.xml"]
    assert (out / "F2026-000001.pdf").read_bytes().startswith(b"%PDF")


def test_billrun_in_two_workers_numbers_without_gaps(billed_database: Path, tmp_path: Path) -> None:
    settings = bootstrap.Settings(CATALOGS, f"sqlite:///{billed_database}")
    second = tmp_path / "second.yaml"
    text = (SCENARIOS / "06-belgacom-suspension-reactivation.yaml").read_text(encoding="utf-8")
    second.write_text(text.replace("SUB-1", "SUB-PEETERS"), encoding="utf-8")
    replay(bootstrap.billing_deps(settings), [load_scenario(second)])
    # two accounts now: F2026-000001 (scenario 11), F2026-000002..5 (scenario 06); July bills both, in two workers
    result = invoke("billrun", "--period", "2026-07", "--date", "2026-07-01", "--workers", "2", "--json",
                    database=billed_database)  # fmt: skip
    report = json.loads(result.output)
    assert report["billed"] == 2
    assert sorted(report["documents"]) == ["F2026-000006", "F2026-000007"]
