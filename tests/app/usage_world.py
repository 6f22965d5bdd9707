"""A store with one Telenet customer holding +32470123456 (active from 1 March 2026), for usage tests: the
fakes or any SQL backend, through the same use cases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from telbill.adapters.usage_files import read_usage
from telbill.app.billing import BillingDeps, BillRunReport, BillRunRequest, run_bill_run
from telbill.app.store import UnitOfWork
from telbill.app.usage import ImportReport, UsageCharges, UsageDeps, import_usage
from telbill.core.subscriptions import Event, EventKind, Subscription
from tests.app.builders import SELLER, professional
from tests.catalogs.conftest import seed_catalog

BROKEN = Path(__file__).resolve().parents[1] / "fixtures" / "usage" / "broken.csv"
NUMBER = "+32470123456"


class UsageWorld:
    def __init__(self, uow: Callable[[], UnitOfWork]) -> None:
        self.uow = uow
        with uow() as unit:
            unit.accounts.add(professional("ACC-1"))
            activated = (Event(EventKind.ACTIVATE, date(2026, 3, 1)),)
            unit.subscriptions.add(Subscription("SUB-1", "ACC-1", "CLIC-BUREAU", (), activated, (NUMBER,)))
            unit.commit()

    def deps(self) -> UsageDeps:
        return UsageDeps(self.uow, seed_catalog)

    def billing(self) -> BillingDeps:
        return BillingDeps(self.uow, seed_catalog, SELLER, sources=(UsageCharges(seed_catalog),))

    def import_file(self, path: Path = BROKEN) -> ImportReport:
        return import_usage(self.deps(), read_usage(path), path.name, batch_size=4)

    def bill(self, period: str, day: str) -> BillRunReport:
        return run_bill_run(self.billing(), BillRunRequest(period, date.fromisoformat(day)))
