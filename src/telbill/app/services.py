"""Everything the serving edges (``api/``, ``portal/``) need, built once by the composition root.

``bootstrap.web_services(settings)`` fills it: one SQL engine for the units of work that write, one read-only
engine for those that only read (``reader``), the catalog library, the document renderer, the password
hasher and a wall clock; and the per-process state of a server: the bill run jobs and the login throttle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from telbill.app.access_store import AccessUnitOfWork
from telbill.app.billing import BillingDeps, CatalogLookup
from telbill.app.billruns import BillRunJobs
from telbill.app.bills import LedgerViews
from telbill.app.care import CareDeps
from telbill.app.customers import CustomerDeps
from telbill.app.identities import AccessDeps, WallClock
from telbill.app.payments import StatementReader
from telbill.app.ports import CatalogSource, DocumentRenderer
from telbill.app.receivables import ReceivablesDeps
from telbill.app.throttle import LoginThrottle
from telbill.app.usage import UsageDeps
from telbill.core.care.instants import BRUSSELS, local_day, zone_of

ReaderFactory = Callable[[], AccessUnitOfWork]
# "0": session cookies without the Secure flag, for a server reached over plain HTTP on the loopback only (the
# demo): a browser that refuses Secure cookies on http://127.0.0.1 could not log in otherwise
SECURE_COOKIES_VARIABLE = "TELBILL_SECURE_COOKIES"


@dataclass(frozen=True, slots=True)
class Services:
    source: CatalogSource
    catalogs: CatalogLookup
    customers: CustomerDeps  # units of work that write
    reader: ReaderFactory  # units of work that only read
    billing: BillingDeps
    care: CareDeps
    receivables: ReceivablesDeps
    usage: UsageDeps
    access: AccessDeps
    renderer: DocumentRenderer
    clock: WallClock
    bill_runs: BillRunJobs
    statement_reader: StatementReader | None = None  # CODA and camt.053 files
    throttle: LoginThrottle = field(default_factory=LoginThrottle)
    ledgers: LedgerViews = field(default_factory=LedgerViews)  # bill states, recomputed when their stamp moves
    close: Callable[[], None] = lambda: None  # releases the engines

    def today(self) -> date:
        """Today on the Brussels wall clock: the default day of what the edges record."""
        return local_day(self.clock.now(), zone_of(BRUSSELS))

    @property
    def reading(self) -> CustomerDeps:
        """The customer use cases on read-only units of work."""
        return CustomerDeps(self.reader, self.catalogs)
