"""Importing usage: the good rows are imported, the broken ones quarantined with their reason, nothing is lost,
and importing again adds nothing. On the in-memory store; tests/adapters/test_usage_sql.py runs the same
file through SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from telbill.app.usage import usage_store
from telbill.core.rating.intake import QuarantineReason as Q
from tests.app.builders import Operator
from tests.app.usage_world import UsageWorld

# broken.csv, row by row: 1 R1 ok; 2 R2 ok; 3 R3 ok (data needs no destination); 4 destination "0470 12";
# 5 subscriber "0470 ABC"; 6 −30 s; 7 a number nobody holds; 8 R1 again with 121 s; 9 R1 again, the same
# record written otherwise (09:00Z = 10:00+01:00, +3225551234); 10 February, before the activation;
# 11 no time zone; 12 "fax"; 13 no quantity; 14 a field too many; 15 country XX; 16 R14 ok.
EXPECTED_QUARANTINE = {
    4: Q.UNPARSEABLE_NUMBER,
    5: Q.UNPARSEABLE_NUMBER,
    6: Q.NEGATIVE_QUANTITY,
    7: Q.UNKNOWN_SUBSCRIBER,
    8: Q.CONFLICTING_DUPLICATE,
    10: Q.OUTSIDE_BILLING_PERIOD,
    11: Q.MALFORMED,
    12: Q.MALFORMED,
    13: Q.MALFORMED,
    14: Q.MALFORMED,
    15: Q.NOT_RATED,
}


def world() -> UsageWorld:
    return UsageWorld(Operator().uow)


def test_a_broken_file_imports_the_good_rows_and_quarantines_the_rest_with_reasons() -> None:
    usage = world()
    report = usage.import_file()
    assert (report.read, report.new, report.known, report.quarantined_total) == (16, 4, 1, 11)
    assert report.read == report.imported + report.quarantined_total
    with usage.uow() as uow:
        store = usage_store(uow)
        assert sorted(store.fingerprints(["R1", "R2", "R3", "R14", "R4"])) == ["R1", "R14", "R2", "R3"]
        quarantined = {row.row: row.reason for row in store.quarantined("broken.csv")}
    assert quarantined == EXPECTED_QUARANTINE


def test_importing_the_same_file_again_adds_nothing() -> None:
    usage = world()
    usage.import_file()
    with usage.uow() as uow:
        before = (len(uow.usage.state.records), len(uow.usage.state.quarantine))  # type: ignore[attr-defined]
    again = usage.import_file()
    assert (again.read, again.new, again.known, again.quarantined_total) == (16, 0, 5, 11)
    with usage.uow() as uow:
        assert (len(uow.usage.state.records), len(uow.usage.state.quarantine)) == before  # type: ignore[attr-defined]


def test_quarantine_messages_say_what_is_wrong() -> None:
    usage = world()
    usage.import_file()
    with usage.uow() as uow:
        messages = {row.row: row.message for row in usage_store(uow).quarantined()}
    assert "0470 12" in messages[4]
    assert messages[6] == "negative quantity -30"
    assert "no subscription holds +32499000000" in messages[7]
    assert "no subscription holding +32470123456 active on 2026-02-10" in messages[10]
    assert "no time zone" in messages[11]
    assert "8 fields for 7 columns" in messages[14]


def test_a_late_record_of_a_billed_period_is_quarantined_not_billed_later(tmp_path: Path) -> None:
    usage = world()
    usage.import_file()
    usage.bill("2026-04", "2026-04-01")  # bills March's usage
    late = tmp_path / "late.csv"
    late.write_text(
        "record_id,subscriber,start,service,country,destination,quantity\n"
        "L1,+32470123456,2026-03-30T10:00:00+02:00,voice,BE,+12125550100,60\n"
        "L2,+32470123456,2026-04-02T10:00:00+02:00,voice,BE,+12125550100,60\n",
        encoding="utf-8",
    )
    report = usage.import_file(late)
    assert (report.new, report.quarantined) == (1, {Q.OUTSIDE_BILLING_PERIOD: 1})
    with usage.uow() as uow:
        (row,) = usage_store(uow).quarantined("late.csv")
    assert (row.record_id, "billed already (F2026-000001)" in row.message) == ("L1", True)
