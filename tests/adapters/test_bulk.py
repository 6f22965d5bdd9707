"""The bulk insert's conversions (``adapters/db/bulk.py``): what the driver receives for each column, each
distinct value converted once per batch and checked all the same."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Dialect, create_engine, select
from sqlalchemy.dialects import postgresql, sqlite

from telbill.adapters.db import tables as t
from telbill.adapters.db import tables_receivables as r
from telbill.adapters.db.bulk import BulkInsert
from telbill.core.errors import TelbillError


def line(line_no: int, **changes: Any) -> dict[str, Any]:
    provenance = {"catalog_id": "c", "catalog_version": "v", "item_code": "X", "rule": "flat", "inputs": [],
                  "explanation": "é"}  # fmt: skip
    row = {"document_number": "F2026-000001", "line_no": line_no, "account_id": "ACC-1", "item_code": "X",
           "label": "x", "quantity": Decimal(1), "unit_code": "C62", "unit_price": Decimal("28.50"),
           "net": Decimal("28.50"), "vat_category": "S", "vat_rate": Decimal(21), "vat_exemption": None,
           "service_start": date(2026, 3, 1), "service_end": date(2026, 3, 31), "provenance": provenance,
           "kind": "recurring", "subscription_id": None, "source_id": None, "period_start": None,
           "signed_net": Decimal("-0.00")}  # fmt: skip
    return {**row, **changes}


def test_sqlite_gets_text_for_numbers_days_and_json() -> None:
    shared = line(1)["provenance"]
    first, second = BulkInsert(t.document_lines, sqlite.dialect())._values(
        [line(1, provenance=shared), line(2, provenance=shared, quantity=Decimal("1.000000"), net=Decimal("28.5"))]
    )
    names = [column.name for column in t.document_lines.columns]
    row = dict(zip(names, first, strict=True))
    assert (row["quantity"], row["net"], row["vat_rate"], row["signed_net"]) == ("1", "28.50", "21", "-0.00")
    assert (row["service_start"], row["service_end"], row["period_start"]) == ("2026-03-01", "2026-03-31", None)
    assert row["provenance"] == (
        '{"catalog_id": "c", "catalog_version": "v", "item_code": "X", "rule": "flat", "inputs": [], '
        '"explanation": "\\u00e9"}'
    )
    # the second line's equal values take the first's text: one number in a NUMERIC column either way
    again = dict(zip(names, second, strict=True))
    assert (again["quantity"], again["net"], again["provenance"]) == ("1", "28.50", row["provenance"])


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()], ids=["sqlite", "postgresql"])
@pytest.mark.parametrize(
    ("value", "code"),
    [(1, "db.decimal_type"), (1.0, "db.decimal_type"), (Decimal("28.505"), "db.decimal_scale")],
)
def test_a_value_equal_to_one_converted_before_is_still_checked(dialect: Dialect, value: object, code: str) -> None:
    # 1 == 1.0 == Decimal(1) and hash alike: a batch converting each distinct value once must still refuse
    # an int or a float where a Decimal was accepted, and a sub-cent amount however it is written
    rows = [line(1), line(2, quantity=value, net=value)]
    with pytest.raises(TelbillError) as caught:
        BulkInsert(t.document_lines, dialect)._values(rows)
    assert caught.value.code == code


def test_rows_as_tuples_follow_the_tables_column_order() -> None:
    # the receivables store defers ledger rows as tuples (``BulkInsert.run_tuples``) in this order
    assert tuple(r.ledger_entries.c.keys()) == r.ENTRY_COLUMNS
    assert tuple(r.ledger_allocations.c.keys()) == r.ALLOCATION_COLUMNS


def test_tuples_of_another_width_are_refused_before_anything_is_written() -> None:
    engine = create_engine("sqlite://")
    r.metadata.create_all(engine, tables=[r.ledger_allocations])
    row = ("P1", 1, "ACC-1", "P1", "F1", Decimal("10.00"), date(2026, 2, 1))
    with engine.begin() as connection:
        with pytest.raises(ValueError, match="1 rows of 6 columns for the 7"):
            BulkInsert(r.ledger_allocations, connection.dialect).run_tuples(connection, [row[:6]])
        BulkInsert(r.ledger_allocations, connection.dialect).run_tuples(connection, [row])
        assert connection.execute(select(r.ledger_allocations.c.amount, r.ledger_allocations.c.day)).all() == [
            (Decimal("10.00"), date(2026, 2, 1))
        ]
