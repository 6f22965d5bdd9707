"""Each rating engine on small inputs worked out by hand: the same rows, the same amounts, the same rejections.
The one-million-record parity of the three engines: test_rating_parity.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from telbill.adapters.engines import engine
from telbill.app.rating import RatingJob
from telbill.core.errors import TelbillError
from telbill.core.rating.records import RejectReason, Subscriber
from tests.adapters.rating_support import Row, read_output, write_input
from tests.core.rating_builders import telenet

ENGINES = ["reference", "duckdb", "spark"]
SUBSCRIBERS = (Subscriber("+32470123456", "SUB-1", 1), Subscriber("+3225550000", "SUB-2", 15))
MOBILE, FIXED = SUBSCRIBERS[0].number, SUBSCRIBERS[1].number
GB = 1_000_000_000

ROWS: list[Row] = [
    # included call (CALL-BE, 125 s of VOICE-INCLUDED)
    ("C1", MOBILE, "2026-03-05T10:00:00+01:00", "voice", "BE", "+32470999999", 125),
    # 0900: 0.50 + 1.00 × 95 / 60 = 2.0833… → 2.08
    ("C2", MOBILE, "2026-03-05T11:00:00+01:00", "voice", "BE", "+3290012345", 95),
    # 070: 0.30 × 45 / 60 = 0.225 → 0.23 (half up)
    ("C3", MOBILE, "2026-03-05T12:00:00+01:00", "voice", "BE", "+3270123456", 45),
    # roaming in the USA calling home, per started minute: 61 s → 120 s → 2.00 × 2 = 4.00
    ("C4", MOBILE, "2026-03-06T12:00:00+01:00", "voice", "US", "+32470999999", 61),
    # data in Switzerland: 1 234 567 bytes → 1 235 kB × 2.00 / 1 000 = 2.47
    ("D1", MOBILE, "2026-03-06T13:00:00+01:00", "data", "CH", None, 1_234_567),
    # the data allowance: 9.9 GB then 300 MB → 100 000 kB included, 200 000 kB × 0.02 / 1 000 = 4.00
    ("D2", MOBILE, "2026-03-10T08:00:00+01:00", "data", "FR", None, 9_900_000_000),
    ("D3", MOBILE, "2026-03-12T08:00:00+01:00", "data", "BE", None, 300_000_000),
    # 31 March 23:50 in Brussels = 21:50 UTC: period 2026-03; 1 April 00:30 in Brussels = 31 March 22:30 UTC: 2026-04
    ("C5", MOBILE, "2026-03-31T21:50:00+00:00", "voice", "BE", "+12125550100", 1200),
    ("C6", MOBILE, "2026-03-31T22:30:00+00:00", "voice", "BE", "+12125550100", 60),
    # billing day 15: 14 March 23:59 belongs to the period from 15 February
    ("C7", FIXED, "2026-03-14T23:59:00+01:00", "voice", "BE", "#3636", 90),
    # rejections, one per reason
    ("X1", MOBILE, None, "voice", "BE", "+32470999999", 60),
    ("X2", MOBILE, "2026-03-05T10:00:00+01:00", "fax", "BE", "+32470999999", 60),
    ("X3", MOBILE, "2026-03-05T10:00:00+01:00", "voice", "BE", "+32470999999", -1),
    ("X4", "+32499000000", "2026-03-05T10:00:00+01:00", "voice", "BE", "+32470999999", 60),
    ("X5", MOBILE, "2026-03-05T10:00:00+01:00", "voice", "fr", "+32470999999", 60),
    ("X6", MOBILE, "2026-03-05T10:00:00+01:00", "sms", "BE", "0470999999", 1),
    ("X7", MOBILE, "2026-03-05T10:00:00+01:00", "sms", "BE", "+3247099999x", 1),
]

EXPECTED = {
    # record: (subscription, period, tariff, rated, included, charged, amount)
    "C1": ("SUB-1", date(2026, 3, 1), "CALL-BE", 125, 125, 0, "0.00"),
    "C2": ("SUB-1", date(2026, 3, 1), "CALL-PREMIUM", 95, 0, 95, "2.08"),
    "C3": ("SUB-1", date(2026, 3, 1), "CALL-SPECIAL", 45, 0, 45, "0.23"),
    "C4": ("SUB-1", date(2026, 3, 1), "ROAM-WORLD-CALL", 120, 0, 120, "4.00"),
    "D1": ("SUB-1", date(2026, 3, 1), "ROAM-WORLD-DATA", 1235, 0, 1235, "2.47"),
    "D2": ("SUB-1", date(2026, 3, 1), "DATA-BE", 9_900_000, 9_900_000, 0, "0.00"),
    "D3": ("SUB-1", date(2026, 3, 1), "DATA-BE", 300_000, 100_000, 200_000, "4.00"),
    "C5": ("SUB-1", date(2026, 3, 1), "CALL-WORLD", 1200, 0, 1200, "10.00"),
    "C6": ("SUB-1", date(2026, 4, 1), "CALL-WORLD", 60, 0, 60, "0.50"),
    # third-party short number 0.50 per minute from the first second, 90 s: 0.75
    "C7": ("SUB-2", date(2026, 2, 15), "CALL-THIRD-PARTY", 90, 0, 90, "0.75"),
}
REJECTED = {
    "X1": RejectReason.MISSING_FIELD,
    "X2": RejectReason.UNKNOWN_SERVICE,
    "X3": RejectReason.NEGATIVE_QUANTITY,
    "X4": RejectReason.UNKNOWN_SUBSCRIBER,
    "X5": RejectReason.UNKNOWN_COUNTRY,
    "X6": RejectReason.BAD_DESTINATION,
    "X7": RejectReason.BAD_DESTINATION,
}


def job(source: Path, output: Path) -> RatingJob:
    return RatingJob(source, output, telenet(), SUBSCRIBERS)


@pytest.mark.parametrize("name", ENGINES)
def test_each_engine_rates_the_hand_worked_rows(name: str, tmp_path: Path) -> None:
    source = write_input(tmp_path / "cdr.parquet", ROWS)
    summary = engine(name).rate_file(job(source, tmp_path / "rated.parquet"))
    out = read_output(tmp_path / "rated.parquet")
    got = {
        key: (
            r["subscription_id"],
            r["period_start"],
            r["tariff"],
            r["rated_units"],
            r["included_units"],
            r["charged_units"],
            str(r["amount"]),
        )
        for key, r in out.items()
        if r["status"] == "rated"
    }
    assert got == EXPECTED
    assert {key: RejectReason(r["reason"]) for key, r in out.items() if r["status"] == "rejected"} == REJECTED
    assert all(r["subscription_id"] is None and r["amount"] is None for r in out.values() if r["status"] == "rejected")
    # 2.08 + 0.23 + 4.00 + 2.47 + 4.00 + 10.00 + 0.50 + 0.75 = 24.03
    assert (summary.rows, summary.rated, str(summary.amount)) == (17, 10, "24.03")
    assert summary.rejected == {reason: list(REJECTED.values()).count(reason) for reason in set(REJECTED.values())}


@pytest.mark.parametrize("name", ENGINES)
def test_each_engine_reads_csv(name: str, tmp_path: Path) -> None:
    source = tmp_path / "cdr.csv"
    source.write_text(
        "record_id,subscriber,start,service,country,destination,quantity\n"
        f"C1,{MOBILE},2026-03-05T10:00:00+01:00,voice,BE,+12125550100,61\n"
        f"C2,{MOBILE},2026-03-31T23:50:00+02:00,voice,BE,+12125550100,60\n",
        encoding="utf-8",
    )
    engine(name).rate_file(job(source, tmp_path / "rated.parquet"))
    out = read_output(tmp_path / "rated.parquet")
    # 0.50 × 61 / 60 = 0.5083… → 0.51; 23:50+02:00 on 31 March is March
    assert (out["C1"]["amount"], out["C2"]["period_start"]) == (Decimal("0.51"), date(2026, 3, 1))


@pytest.mark.parametrize("name", ENGINES)
def test_a_start_time_without_zone_is_refused(name: str, tmp_path: Path) -> None:
    columns = {"record_id": ["A"], "subscriber": [MOBILE], "start": pa.array([0], pa.timestamp("us"))}
    columns |= {"service": ["voice"], "country": ["BE"], "destination": ["+32470999999"], "quantity": [60]}
    naive = pa.table(columns)
    pq.write_table(naive, tmp_path / "naive.parquet")
    with pytest.raises(TelbillError, match="time zone"):
        engine(name).rate_file(job(tmp_path / "naive.parquet", tmp_path / "rated.parquet"))
