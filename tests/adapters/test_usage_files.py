"""Usage files: CSV and Parquet rows as text, one ``RawUsage`` per row whatever is wrong with it; a file without
the documented columns is refused whole."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from telbill.adapters.usage_files import read_subscribers, read_usage
from telbill.core.errors import TelbillError
from telbill.core.rating.intake import Quarantine, QuarantineReason, RawUsage, parse_usage
from tests.app.builders import Operator
from tests.app.usage_world import BROKEN, UsageWorld


def test_csv_rows_keep_their_number_and_their_text() -> None:
    rows = list(read_usage(BROKEN))
    assert len(rows) == 16
    assert rows[0] == RawUsage(
        1, "R1", "0470 12 34 56", "2026-03-05T10:00:00+01:00", "voice", "BE", "02 555 12 34", "120"
    )
    assert rows[2].destination == ""  # data: empty destination
    assert (rows[12].quantity, rows[12].problem) == (None, None)  # a field short: the quantity is missing
    assert rows[13].problem == "8 fields for 7 columns"


def test_a_file_without_the_documented_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cdr.csv"
    path.write_text("id,number,when\nR1,+32470123456,2026-03-05T10:00:00+01:00\n", encoding="utf-8")
    with pytest.raises(TelbillError, match="no column record_id, subscriber, start"):
        list(read_usage(path))
    with pytest.raises(TelbillError, match=r"\.csv or \.parquet"):
        read_usage(Path(__file__))  # a file that exists, but neither CSV nor Parquet


def _parquet(path: Path, start: pa.Array) -> Path:
    table = pa.table(
        {
            "record_id": ["P1", "P2"],
            "subscriber": ["+32470123456", "+32470123456"],
            "start": start,
            "service": ["voice", "data"],
            "country": ["BE", "FR"],
            "destination": ["+12125550100", None],
            "quantity": pa.array([61, 5_000_000], pa.int64()),
            "extra": ["ignored", "ignored"],
        }
    )
    pq.write_table(table, path)
    return path


def test_parquet_values_become_the_text_a_csv_would_hold(tmp_path: Path) -> None:
    instants = [datetime.fromisoformat("2026-03-05T10:00:00+01:00"), datetime.fromisoformat("2026-03-06T09:30:00Z")]
    rows = list(read_usage(_parquet(tmp_path / "cdr.parquet", pa.array(instants, pa.timestamp("ms", tz="UTC")))))
    assert rows[0] == RawUsage(
        1, "P1", "+32470123456", "2026-03-05T09:00:00+00:00", "voice", "BE", "+12125550100", "61"
    )
    assert (rows[1].start, rows[1].destination, rows[1].quantity) == ("2026-03-06T09:30:00+00:00", None, "5000000")


def test_a_parquet_time_without_zone_is_quarantined_not_guessed(tmp_path: Path) -> None:
    naive = pa.array([datetime(2026, 3, 5, 10), datetime(2026, 3, 6, 9)], pa.timestamp("us"))
    rows = list(read_usage(_parquet(tmp_path / "naive.parquet", naive)))
    assert rows[0].start == "2026-03-05T10:00:00"
    outcome = parse_usage(rows[0])
    assert isinstance(outcome, Quarantine)
    assert (outcome.reason, "no time zone" in outcome.message) == (QuarantineReason.MALFORMED, True)


def test_a_parquet_file_imports_like_a_csv(tmp_path: Path) -> None:
    instants = [datetime.fromisoformat("2026-03-05T10:00:00+01:00"), datetime.fromisoformat("2026-03-06T09:30:00Z")]
    path = _parquet(tmp_path / "cdr.parquet", pa.array(instants, pa.timestamp("us", tz="UTC")))
    usage = UsageWorld(Operator().uow)
    report = usage.import_file(path)
    assert (report.read, report.new, report.quarantined_total) == (2, 2, 0)
    assert usage.import_file(path).new == 0


def test_subscribers_for_rate_come_from_csv_or_parquet(tmp_path: Path) -> None:
    csv = tmp_path / "subscribers.csv"
    csv.write_text("subscriber,subscription_id,billing_day\n+32470123456,SUB-1,15\n", encoding="utf-8")
    (subscriber,) = read_subscribers(csv)
    assert (subscriber.number, subscriber.subscription_id, subscriber.billing_day) == ("+32470123456", "SUB-1", 15)
    bad = tmp_path / "bad.csv"
    bad.write_text("number,subscription\n+32470123456,SUB-1\n", encoding="utf-8")
    with pytest.raises(TelbillError, match="subscriber, subscription_id and billing_day"):
        read_subscribers(bad)
