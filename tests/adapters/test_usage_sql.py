"""The usage store on SQLite and PostgreSQL: the broken file of tests/app/test_usage_import.py imported through
the SQL adapter gives the same outcome as on the fakes, importing again adds no row, and the bill run marks
each record billed with its rating."""

from __future__ import annotations

from telbill.adapters.db import tables_usage as u
from telbill.app.usage import billed_usage, usage_store
from tests.adapters.conftest import Backend
from tests.app.test_usage_import import EXPECTED_QUARANTINE
from tests.app.usage_world import UsageWorld


def test_a_broken_file_imported_twice(backend: Backend) -> None:
    usage = UsageWorld(backend.uow)
    first = usage.import_file()
    assert (first.read, first.new, first.known, first.quarantined_total) == (16, 4, 1, 11)
    rows = (backend.count(u.usage_records), backend.count(u.usage_quarantine))
    assert rows == (4, 11)
    again = usage.import_file()
    assert (again.read, again.new, again.known, again.quarantined_total) == (16, 0, 5, 11)
    assert (backend.count(u.usage_records), backend.count(u.usage_quarantine)) == rows
    with backend.uow() as uow:
        assert {row.row: row.reason for row in usage_store(uow).quarantined("broken.csv")} == EXPECTED_QUARANTINE


def test_the_bill_run_bills_usage_once_and_keeps_the_detail(backend: Backend) -> None:
    usage = UsageWorld(backend.uow)
    usage.import_file()
    assert usage.bill("2026-04", "2026-04-01").documents == ["F2026-000001"]
    detail = billed_usage(backend.uow(), "F2026-000001")
    # R14: 1 200 s to the USA from Belgium, CALL-WORLD 0.50 per minute = 10.00; the others included
    assert [(s.record.record_id, r.tariff, r.included_units, str(r.amount)) for s, r in detail] == [
        ("R1", "CALL-BE", 120, "0.00"),
        ("R2", "SMS-BE", 1, "0.00"),
        ("R3", "DATA-BE", 5000, "0.00"),
        ("R14", "CALL-WORLD", 0, "10.00"),
    ]
    assert str(detail[3][0].record.start) == "2026-03-31 21:50:00+00:00"  # stored in UTC, to the microsecond
    assert usage.bill("2026-05", "2026-05-01").documents == ["F2026-000002"]
    assert len(billed_usage(backend.uow(), "F2026-000002")) == 0
