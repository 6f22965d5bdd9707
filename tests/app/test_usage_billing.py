"""Rated usage on the bill run: one line per tariff, each the sum of its records' amounts; the records marked
billed with their rating (the per-record detail); billed exactly once."""

from __future__ import annotations

from datetime import date
from typing import NoReturn

import pytest

from telbill.app.usage import UsageCharges, billed_usage
from tests.app.builders import Operator
from tests.app.usage_world import UsageWorld
from tests.catalogs.conftest import seed_catalog


def billed_world() -> tuple[UsageWorld, list[str]]:
    usage = UsageWorld(Operator().uow)
    usage.import_file()  # R1 120 s to Brussels, R2 an SMS, R3 5 MB in France, R14 1 200 s to the USA on 31 March
    report = usage.bill("2026-04", "2026-04-01")
    return usage, report.documents


def test_march_usage_is_billed_on_the_april_invoice_one_line_per_tariff() -> None:
    usage, documents = billed_world()
    assert documents == ["F2026-000001"]
    with usage.uow() as uow:
        document = uow.documents.get("F2026-000001").document
    usage_lines = [(line.item_code, str(line.net)) for line in document.lines if line.item_code != "CLIC-BUREAU"]
    # CALL-BE: R1 120 s included → 0.00; CALL-WORLD: R14 0.50 × 1 200 / 60 = 10.00; SMS-BE and DATA-BE included
    assert usage_lines == [("CALL-BE", "0.00"), ("CALL-WORLD", "10.00"), ("SMS-BE", "0.00"), ("DATA-BE", "0.00")]
    world_line = next(line for line in document.lines if line.item_code == "CALL-WORLD")
    # stated as 1 × the sum of the records, for the billing period of the usage (March)
    assert (str(world_line.quantity), str(world_line.unit_price), str(world_line.unit_code.value)) == (
        "1",
        "10.00",
        "C62",
    )
    assert world_line.period is not None
    assert (str(world_line.period.start), str(world_line.period.end)) == ("2026-03-01", "2026-03-31")
    assert "1 × call, 20 min 00 s rated; 20 min 00 s charged at 0.50 per minute" in world_line.provenance.explanation


def test_each_billed_record_keeps_its_rating_with_the_document() -> None:
    usage, _ = billed_world()
    detail = billed_usage(usage.uow(), "F2026-000001")
    assert [(stored.record.record_id, rated.tariff, str(rated.amount)) for stored, rated in detail] == [
        ("R1", "CALL-BE", "0.00"),
        ("R2", "SMS-BE", "0.00"),
        ("R3", "DATA-BE", "0.00"),
        ("R14", "CALL-WORLD", "10.00"),
    ]
    r1 = detail[0][1]
    assert (r1.rated_units, r1.included_units, r1.charged_units, r1.allowance) == (120, 120, 0, "VOICE-INCLUDED")


def test_usage_is_billed_once() -> None:
    usage, _ = billed_world()
    assert usage.bill("2026-04", "2026-04-01").documents == []  # the same run again: nothing
    may = usage.bill("2026-05", "2026-05-01")
    with usage.uow() as uow:
        codes = [line.item_code for line in uow.documents.get(may.documents[0]).document.lines]
    assert codes == ["CLIC-BUREAU"]  # May's subscription; March's usage is not billed again


def test_usage_of_a_period_not_yet_ended_waits() -> None:
    usage = UsageWorld(Operator().uow)
    usage.import_file()
    report = usage.bill("2026-03", "2026-03-31")  # the period of March ends on 1 April
    with usage.uow() as uow:
        codes = [line.item_code for line in uow.documents.get(report.documents[0]).document.lines]
    assert codes == ["CLIC-BUREAU"]


class _Unread:
    """Accounts that must not be read: the bill run hands its sources the accounts it read."""

    def __getattr__(self, name: str) -> NoReturn:
        raise AssertionError(f"accounts.{name} read again")


def test_the_usage_source_rates_for_the_accounts_it_is_given_and_reads_none_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    usage = UsageWorld(Operator().uow)
    usage.import_file()
    with usage.uow() as uow:
        account = uow.accounts.get("ACC-1")
        monkeypatch.setattr(uow, "accounts", _Unread())
        lines = UsageCharges(seed_catalog).pending(uow, [account], date(2026, 4, 1))
    assert [(line.item_code, str(line.net)) for line in lines["ACC-1"]] == [
        ("CALL-BE", "0.00"),
        ("CALL-WORLD", "10.00"),
        ("SMS-BE", "0.00"),
        ("DATA-BE", "0.00"),
    ]
