"""Customers and their billing accounts: open one, read one, list them a page at a time.

Contract: ``open_account`` takes identifiers as people type them — ``BE 0403.170.701``, ``403170701`` — and
stores them canonical (``0403170701``, ``BE0403170701``): a Belgian VAT number is BE + the enterprise number,
and either gives the other. A professional account needs one (its Peppol endpoint); the catalog must exist.
One transaction; an existing id is a conflict.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from telbill.app.access_store import AccessUnitOfWork, AccountSummary, Page, PageRequest
from telbill.app.billing import CatalogLookup
from telbill.core.accounts import Account, Mandate, PaymentMethod
from telbill.core.billing.parties import Language, Party, normalise_enterprise_number
from telbill.core.catalog.schema import Segment
from telbill.core.errors import ErrorKind, TelbillError

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass(frozen=True, slots=True)
class CustomerDeps:
    unit_of_work: Callable[[], AccessUnitOfWork]
    catalog: CatalogLookup


@dataclass(frozen=True, slots=True)
class MandateRequest:
    reference: str
    signed: date
    iban: str
    bic: str | None = None


@dataclass(frozen=True, slots=True)
class NewAccount:
    name: str
    street: str
    postcode: str
    city: str
    catalog_id: str
    segment: Segment
    language: Language
    country: str = "BE"
    id: str | None = None  # None: one is made up
    enterprise_number: str | None = None
    vat_number: str | None = None
    email: str | None = None
    billing_day: int = 1
    payment_terms_days: int = 30
    mandate: MandateRequest | None = None  # given: the account pays by SEPA direct debit


def normalise_vat_number(text: str, country: str) -> str:
    """``be 0403.170.701`` → ``BE0403170701`` (checked); a foreign number keeps its letters and digits."""
    compact = re.sub(r"[\s.\-/]", "", text).upper()
    if country == "BE" or compact.startswith("BE"):
        return "BE" + normalise_enterprise_number(compact)
    return compact


def _identifiers(new: NewAccount) -> tuple[str | None, str | None]:
    enterprise = normalise_enterprise_number(new.enterprise_number) if new.enterprise_number else None
    vat = normalise_vat_number(new.vat_number, new.country) if new.vat_number else None
    if vat is not None and vat.startswith("BE") and new.country == "BE":
        if enterprise is None:
            enterprise = vat[2:]
        elif vat[2:] != enterprise:
            message = f"VAT number {vat} is not BE + the enterprise number {enterprise}"
            raise TelbillError("account.vat_number", message, field="vat_number")
    return enterprise, vat


def account_of(new: NewAccount) -> Account:
    """The account a request describes, checked (the core refuses what breaks its rules, naming the field)."""
    account_id = new.id.strip() if new.id else f"ACC-{secrets.token_hex(5).upper()}"
    if not _ID.match(account_id):
        raise TelbillError("account.id", f"{account_id!r} is not an account id (letters, digits, . _ -)", field="id")
    enterprise, vat = _identifiers(new)
    email = new.email.strip() if new.email else None
    party = Party(
        new.name.strip(),
        new.street.strip(),
        new.postcode.strip(),
        new.city.strip(),
        new.country,
        new.language,
        vat,
        enterprise,
        email,
    )
    mandate = None
    if new.mandate is not None:
        m = new.mandate
        mandate = Mandate(m.reference.strip(), m.signed, re.sub(r"\s", "", m.iban).upper(), m.bic)
    method = PaymentMethod.DIRECT_DEBIT if mandate is not None else PaymentMethod.TRANSFER
    return Account(
        account_id, party, new.segment, new.catalog_id, new.billing_day, method, mandate, new.payment_terms_days
    )


def open_account(deps: CustomerDeps, new: NewAccount) -> Account:
    account = account_of(new)
    deps.catalog(account.catalog_id)  # an unknown or invalid catalog fails before anything is written
    with deps.unit_of_work() as uow:
        uow.accounts.add(account)
        uow.commit()
    return account


def find_account(deps: CustomerDeps, account_id: str) -> Account:
    with deps.unit_of_work() as uow:
        return uow.accounts.get(account_id)


def list_accounts(deps: CustomerDeps, page: PageRequest, catalog_id: str | None = None) -> Page[AccountSummary]:
    with deps.unit_of_work() as uow:
        return uow.listings.accounts(page, catalog_id)


def require_catalog_of(account: Account, catalog_id: str) -> None:
    if account.catalog_id != catalog_id:
        message = f"account {account.id} buys from {account.catalog_id}, not {catalog_id}"
        raise TelbillError("account.catalog", message, ErrorKind.CONFLICT, "productOffering")
