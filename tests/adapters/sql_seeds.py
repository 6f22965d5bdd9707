"""Builders for the SQL adapter tests (and their child processes): a seller, accounts of the seed catalogs,
and the bill run wired to a database URL.

Identifiers are worked out by hand:
- enterprise numbers: the last two digits are 97 − (the first eight mod 97).
  Seller 04774727 mod 97 = 96 → 01: 0477472701. Buyer 08601554 mod 97 = 79 → 18: 0860155418.
- IBAN BE21001234567803: bank 001, account 2345678, national check 0012345678 mod 97 = 3 → 03; moving
  BE00 to the end gives 001234567803111400, mod 97 = 77, so the IBAN check digits are 98 − 77 = 21.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import cache

from ruamel.yaml import YAML
from sqlalchemy import Engine

from telbill.adapters.db import SqlUnitOfWork, rows
from telbill.adapters.db import tables as t
from telbill.app.billing import BillingDeps, BillRunReport, BillRunRequest, run_bill_run
from telbill.core.accounts import Account
from telbill.core.billing.charges import PendingCharge
from telbill.core.billing.parties import Language, Party, Seller
from telbill.core.catalog.inputs import Order
from telbill.core.catalog.schema import Catalog, Segment
from telbill.core.subscriptions import Event, EventKind, Subscription
from tests.conftest import CATALOGS

SELLER = Seller(
    Party(
        "Telbill Test Operator SRL",
        "Rue Royale 120",
        "1000",
        "Bruxelles",
        "BE",
        Language.FR,
        vat_number="BE0477472701",
        enterprise_number="0477472701",
        email="billing@operator.example",
    ),
    iban="BE21001234567803",
    bic="GEBABEBB",
)


@cache
def seed_catalog(catalog_id: str) -> Catalog:
    text = (CATALOGS / f"{catalog_id}.yaml").read_text(encoding="utf-8")
    return Catalog.model_validate(YAML(typ="safe").load(text))


def professional(account_id: str) -> Account:
    party = Party(
        f"Bureau {account_id} SRL",
        "Rue de la Loi 16",
        "1000",
        "Bruxelles",
        "BE",
        Language.FR,
        vat_number="BE0860155418",
        enterprise_number="0860155418",
        email="compta@bureau.example",
    )
    return Account(account_id, party, Segment.PROFESSIONAL, "telenet-clic-bureau", 1)


def residential(account_id: str) -> Account:
    party = Party("An Peeters", "Meir 1", "2000", "Antwerpen", "BE", Language.NL)
    return Account(account_id, party, Segment.RESIDENTIAL, "belgacom-fees-indemnities")


def customer(number: int) -> tuple[Account, Subscription, PendingCharge | None]:
    """Customer ``number``: even numbers a CLIC BUREAU office with an installation to bill, odd numbers a
    Belgacom directory line; all in service since January 2026."""
    account_id = f"ACC-{number:06d}"
    if number % 2 == 0:
        events = (Event(EventKind.ACTIVATE, date(2026, 1, 10)),)
        sub = Subscription(f"SUB-{number:06d}", account_id, "CLIC-BUREAU", ("SAFESPOT-PRO",), events)
        install = PendingCharge(f"{sub.id}:install", sub.id, Order("INSTALL-BUSINESS"), date(2026, 1, 10), "")
        return professional(account_id), sub, install
    events = (Event(EventKind.ACTIVATE, date(2026, 1, 1)),)
    sub = Subscription(f"SUB-{number:06d}", account_id, "DIRECTORY-LINE-SIMPLE", (), events)
    return residential(account_id), sub, None


def customers(count: int) -> Iterator[tuple[Account, Subscription, PendingCharge | None]]:
    return (customer(number) for number in range(1, count + 1))


def add_customers(engine: Engine, count: int) -> None:
    """Customers 1..count, written in bulk (one executemany per table; the repositories' own ``add`` is
    covered by the contract tests)."""
    accounts, subscriptions, events, charges = [], [], [], []
    for account, subscription, charge in customers(count):
        accounts.append(rows.account_row(account))
        subscriptions.append(rows.subscription_row(subscription))
        events += rows.event_rows(subscription)
        if charge is not None:
            charges.append(rows.charge_row(account.id, charge))
    with engine.begin() as connection:
        for table, values in (
            (t.accounts, accounts),
            (t.subscriptions, subscriptions),
            (t.subscription_events, events),
            (t.pending_charges, charges),
        ):
            if values:
                connection.execute(table.insert(), values)


def bill(engine: Engine, period: str, issue_date: date, batch_size: int = 500) -> BillRunReport:
    """One bill run over the database of ``engine``, as the app runs it."""
    deps = BillingDeps(lambda: SqlUnitOfWork(engine), seed_catalog, SELLER)
    return run_bill_run(deps, BillRunRequest(period, issue_date, batch_size))
