"""The usage commands end to end on a SQLite file: usage import (twice), quarantine, the bill run, usage detail,
and telbill rate with each engine's CLI path (the engines themselves: tests/adapters/test_rating_engines.py)."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner, Result

from telbill.app import bootstrap
from telbill.cli.main import app
from tests.app.usage_world import BROKEN, UsageWorld
from tests.conftest import CATALOGS

runner = CliRunner()


def invoke(database: Path, *args: str) -> Result:
    env = {"TELBILL_CATALOG_DIR": str(CATALOGS), "TELBILL_DATABASE_URL": f"sqlite:///{database}", "COLUMNS": "200"}
    return runner.invoke(app, list(args), env=env)


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "telbill.sqlite"
    UsageWorld(bootstrap.unit_of_work_factory(f"sqlite:///{path}"))  # ACC-1 / SUB-1 holding +32470123456
    return path


def test_usage_import_reports_every_row_and_adds_nothing_the_second_time(database: Path) -> None:
    first = invoke(database, "usage", "import", str(BROKEN))
    assert first.exit_code == 0, first.output
    assert "16 read = 5 imported (4 new, 1 already imported) + 11 quarantined" in first.output
    assert "quarantined malformed: 4" in first.output
    second = invoke(database, "usage", "import", str(BROKEN))
    assert "16 read = 5 imported (0 new, 5 already imported) + 11 quarantined" in second.output
    listing = invoke(database, "usage", "quarantine")
    assert "negative_quantity" in listing.output and "conflicting_duplicate" in listing.output


def test_billed_usage_has_its_detail(database: Path) -> None:
    invoke(database, "usage", "import", str(BROKEN))
    bill = invoke(database, "billrun", "--period", "2026-04", "--date", "2026-04-01")
    assert bill.exit_code == 0, bill.output
    detail = invoke(database, "usage", "detail", "F2026-000001")
    assert detail.exit_code == 0, detail.output
    assert "R14" in detail.output and "CALL-WORLD" in detail.output and "10.00" in detail.output
    explained = invoke(database, "explain", "F2026-000001")
    assert "1 × call, 20 min 00 s rated" in explained.output


def test_rate_writes_one_row_per_input_row(database: Path, tmp_path: Path) -> None:
    out = tmp_path / "rated.parquet"
    csv = tmp_path / "cdr.csv"
    csv.write_text(
        "record_id,subscriber,start,service,country,destination,quantity\n"
        "A,+32470123456,2026-03-05T10:00:00+01:00,voice,BE,+12125550100,61\n"
        "B,+32499999999,2026-03-05T10:00:00+01:00,voice,BE,+12125550100,61\n",
        encoding="utf-8",
    )
    result = invoke(database, "rate", str(csv), "--out", str(out), "--engine", "duckdb", "--date", "2026-03-05")
    assert result.exit_code == 0, result.output
    assert "2 rows read, 1 rated, 1 rejected" in result.output
    assert "rejected unknown_subscriber: 1" in result.output
    # A: CALL-WORLD 0.50 per minute, 61 s → 0.51
    assert "amount of the rated records: 0.51 EUR" in result.output
    rows = {r["record_id"]: r for r in pq.read_table(out).to_pylist()}
    assert (rows["A"]["tariff"], str(rows["A"]["amount"]), rows["B"]["reason"]) == (
        "CALL-WORLD",
        "0.51",
        "unknown_subscriber",
    )


def test_rate_refuses_an_unknown_engine(database: Path, tmp_path: Path) -> None:
    result = invoke(database, "rate", str(BROKEN), "--out", str(tmp_path / "x.parquet"), "--engine", "pandas")
    assert result.exit_code == 2
    assert "rating.engine" in result.output
