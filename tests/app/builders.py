"""Small builders for use-case tests: sellers, accounts, subscriptions of the seed catalogs."""

from __future__ import annotations

from datetime import date

from telbill.app.billing import BillingDeps, BillRunReport, BillRunRequest, run_bill_run
from telbill.core.accounts import Account
from telbill.core.billing.parties import Language, Party, Seller
from telbill.core.catalog.schema import Catalog, Segment
from telbill.core.subscriptions import Event, EventKind, Subscription
from tests.app.fakes import FakeUnitOfWork, State
from tests.catalogs.conftest import seed_catalog

# Enterprise numbers: the last two digits are 97 − (first eight mod 97).
# 02022399 mod 97 = 46 → 51; 04734164 mod 97 = 79 → 18; 04031707 mod 97 = 96 → 01.
SELLER = Seller(
    Party(
        "Telbill Demo Operator SA",
        "Boulevard du Roi Albert II 27",
        "1030",
        "Bruxelles",
        "BE",
        Language.FR,
        vat_number="BE0202239951",
        enterprise_number="0202239951",
    ),
    iban="BE68539007547034",
    bic="GEBABEBB",
)


def professional(account_id: str, catalog_id: str = "telenet-clic-bureau", billing_day: int = 1) -> Account:
    party = Party(
        "Bureau Dupont SRL",
        "Rue de la Loi 16",
        "1000",
        "Bruxelles",
        "BE",
        Language.FR,
        vat_number="BE0403170701",
        enterprise_number="0403170701",
    )
    return Account(account_id, party, Segment.PROFESSIONAL, catalog_id, billing_day)


def residential(
    account_id: str, catalog_id: str = "belgacom-fees-indemnities", language: Language = Language.NL
) -> Account:
    party = Party("An Peeters", "Meir 1", "2000", "Antwerpen", "BE", language)
    return Account(account_id, party, Segment.RESIDENTIAL, catalog_id)


def subscription(
    sub_id: str, account_id: str, plan: str, *events: tuple[str, str, str | None], options: tuple[str, ...] = ()
) -> Subscription:
    parsed = tuple(Event(EventKind(kind), date.fromisoformat(day), item) for kind, day, item in events)
    return Subscription(sub_id, account_id, plan, options, parsed)


class Operator:
    """A tiny world: shared fake storage, the seed catalogs, one seller."""

    def __init__(self) -> None:
        self.state = State()

    def uow(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self.state)

    def catalog(self, catalog_id: str) -> Catalog:
        return seed_catalog(catalog_id)

    def deps(self) -> BillingDeps:
        return BillingDeps(self.uow, self.catalog, SELLER)

    def bill(self, period: str, issue_date: str, batch_size: int = 500) -> BillRunReport:
        return run_bill_run(self.deps(), BillRunRequest(period, date.fromisoformat(issue_date), batch_size))
