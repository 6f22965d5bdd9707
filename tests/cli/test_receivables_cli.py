"""The receivables commands, end to end on a SQLite file: payments import / review / assign / dismiss,
dunning run (dry run, letters), sepa export. Two Belgacom customers billed for January and February 2026:
ACC-PEETERS pays by transfer, ACC-DD by direct debit; their invoices are 34.49 each (28.50 + 21 % VAT). The bill
runs go through the accounts in order: ACC-DD gets F2026-000001 (January) and -000003 (February), ACC-PEETERS
-000002 and -000004; invoice n has the structured communication of base 2026000000 + n."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from telbill.adapters.banking.sepa import validate_pain008
from telbill.app import bootstrap
from telbill.cli.main import app
from telbill.core.accounts import Mandate, PaymentMethod
from tests.app.builders import residential, subscription
from tests.conftest import CATALOGS, SHARED

runner = CliRunner()
CAMT = SHARED / "payments" / "camt053" / "camt053-sample.xml"


def invoke(database: Path, *args: str) -> Result:
    env = {"TELBILL_CATALOG_DIR": str(CATALOGS), "COLUMNS": "200", "TELBILL_DATABASE_URL": f"sqlite:///{database}"}
    return runner.invoke(app, list(args), env=env)


def billed(tmp_path: Path) -> Path:
    database = tmp_path / "telbill.sqlite"
    uow = bootstrap.unit_of_work_factory(f"sqlite:///{database}")
    debtor = replace(residential("ACC-DD"), payment_method=PaymentMethod.DIRECT_DEBIT,
                     mandate=Mandate("MANDATE-DD-1", date(2025, 12, 1), "BE71096123456769"))  # fmt: skip
    with uow() as store:
        for account, sub in ((residential("ACC-PEETERS"), "SUB-1"), (debtor, "SUB-2")):
            store.accounts.add(account)
            store.subscriptions.add(
                subscription(sub, account.id, "DIRECTORY-LINE-SIMPLE", ("activate", "2026-01-01", None))
            )
        store.commit()
    for period in ("2026-01", "2026-02"):
        result = invoke(database, "billrun", "--period", period, "--date", f"{period}-01")
        assert result.exit_code == 0, result.output
    return database


def camt(tmp_path: Path, amount: str, communication: str, name: str) -> Path:
    """The camt.053 sample with another amount, communication and payer (opening 1,000.00 + amount)."""
    closing = Decimal("1000.00") + Decimal(amount)
    text = CAMT.read_text(encoding="utf-8").replace(">1101.00<", f">{closing}<").replace(">101.00<", f">{amount}<")
    text = text.replace("000001234526", communication).replace("Klant BV", name)
    path = tmp_path / f"camt-{communication}.xml"
    path.write_text(text, encoding="utf-8")
    return path


def test_import_a_statement_twice_and_a_faulty_one(tmp_path: Path) -> None:
    database = billed(tmp_path)
    # ACC-PEETERS's January invoice F2026-000002: communication 2026000002 mod 97 = 93
    statement = camt(tmp_path, "34.49", "202600000293", "An Peeters")
    first = invoke(database, "payments", "import", str(statement), "--json")
    assert first.exit_code == 0, first.output
    report = json.loads(first.output)
    assert (report["outcomes"]["payment"], report["booked"]) == (1, "34.49")
    again = invoke(database, "payments", "import", str(statement))
    assert "imported before, nothing added" in again.output
    faulty = invoke(database, "payments", "import", str(SHARED / "payments" / "coda" / "Coda_faulty_version.txt"))
    assert faulty.exit_code == 2
    assert "statement.faulty" in faulty.output and "Coda_faulty_version.txt:1:128 (version)" in faulty.output


def test_review_assign_and_dismiss(tmp_path: Path) -> None:
    database = billed(tmp_path)
    # +++090/9337/55493+++ is valid (0909337554 mod 97 = 93) and no document of ours
    invoke(database, "payments", "import", str(camt(tmp_path, "34.49", "090933755493", "Peeters An")))
    listed = json.loads(invoke(database, "payments", "review", "--json").output)
    (waiting,) = listed
    # both customers are called An Peeters and owe 34.49 for January: a person chooses
    assert [(s["account"], s["document"], s["reason"]) for s in waiting["suggestions"]] == [
        ("ACC-DD", "F2026-000001", "amount and name"),
        ("ACC-PEETERS", "F2026-000002", "amount and name"),
    ]
    assigned = invoke(database, "payments", "assign", waiting["line"], "ACC-PEETERS")
    # F2026-000002 (January, 34.49) and F2026-000004 (February, 34.49) were open: 68.98 − 34.49 = 34.49 left
    assert "balance 34.49" in assigned.output
    gone = invoke(database, "payments", "dismiss", waiting["line"], "--reason", "twice")
    assert gone.exit_code == 2 and "review.not_found" in gone.output


def test_dunning_dry_run_then_run_with_letters(tmp_path: Path) -> None:
    database = billed(tmp_path)
    dry = invoke(database, "dunning", "run", "--date", "2026-02-14", "--dry-run")
    # both accounts' January invoices (F2026-000001 and -000002, due 31 January) are 14 days overdue
    assert "(dry run) 2026-02-14 ACC-DD: reminder 1, overdue 34.49, fee REMINDER-FEE 13.00" in dry.output
    letters = tmp_path / "letters"
    done = invoke(database, "dunning", "run", "--date", "2026-02-14", "--letters", str(letters), "--json")
    payload = json.loads(done.output)
    assert [a["kind"] for a in payload["actions"]] == ["remind", "remind"]
    assert sorted(p.name for p in letters.iterdir()) == [
        "2026-02-14-ACC-DD-reminder.pdf",
        "2026-02-14-ACC-PEETERS-reminder.pdf",
    ]
    again = json.loads(invoke(database, "dunning", "run", "--date", "2026-02-14", "--json").output)
    assert again["actions"] == []


def test_sepa_export_writes_a_validated_pain008(tmp_path: Path) -> None:
    database = billed(tmp_path)
    out = tmp_path / "sepa"
    result = invoke(database, "sepa", "export", "--date", "2026-03-03", "--out", str(out))
    # ACC-DD's January (F2026-000001, due 31 January) and February (-000003, due 3 March): 2 × 34.49 = 68.98
    assert f"{out / 'DD2026-000001.xml'}: 2 collection(s), 68.98, on 2026-03-03" in result.output
    validate_pain008((out / "DD2026-000001.xml").read_bytes())
    again = invoke(database, "sepa", "export", "--date", "2026-03-03", "--out", str(out))
    assert "nothing to collect on 2026-03-03" in again.output
