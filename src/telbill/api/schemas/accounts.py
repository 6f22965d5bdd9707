"""TMF666 account management: BillingAccount (telbill's account is the customer and its billing account)."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from telbill.api.schemas.common import Money, Ref, Tmf, href, money, ref
from telbill.app.access_store import AccountSummary
from telbill.core.accounts import Account
from telbill.core.billing.parties import Language
from telbill.core.catalog.schema import Segment
from telbill.core.money import Money as DomainMoney


class PostalAddress(Tmf):
    street: str = Field(min_length=1, max_length=200, alias="street1")
    post_code: str = Field(min_length=1, max_length=16, alias="postCode")
    city: str = Field(min_length=1, max_length=100)
    country: str = Field(default="BE", pattern=r"^[A-Z]{2}$")


class MandateIn(Tmf):
    reference: str = Field(min_length=1, max_length=35)
    signature_date: date = Field(alias="signatureDate")
    iban: str = Field(min_length=15, max_length=42)
    bic: str | None = Field(default=None, min_length=8, max_length=11)


class BillingAccountCreate(Tmf):
    id: str | None = Field(default=None, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    name: str = Field(min_length=1, max_length=200)
    account_type: Segment = Field(alias="accountType")
    product_catalog: Ref = Field(alias="productCatalog")
    language: Language = Language.FR
    postal_address: PostalAddress = Field(alias="postalAddress")
    email_address: str | None = Field(default=None, max_length=254, alias="emailAddress")
    enterprise_number: str | None = Field(default=None, max_length=32, alias="enterpriseNumber")
    vat_number: str | None = Field(default=None, max_length=32, alias="vatNumber")
    billing_day: int = Field(default=1, ge=1, le=28, alias="billingDay")
    payment_terms_days: int = Field(default=30, ge=0, le=90, alias="paymentTermsDays")
    mandate: MandateIn | None = None


class AccountBalance(Tmf):
    balance_type: str = Field(default="receivable", alias="balanceType")
    amount: Money


class MandateOut(Tmf):
    reference: str
    signature_date: date = Field(alias="signatureDate")
    iban: str = Field(description="Masked: the country, check digits and last four characters")


class BillingAccount(Tmf):
    id: str
    href: str
    name: str
    account_type: str = Field(alias="accountType")
    state: str = "active"
    product_catalog: Ref = Field(alias="productCatalog")
    language: str | None = None
    postal_address: PostalAddress | None = Field(default=None, alias="postalAddress")
    email_address: str | None = Field(default=None, alias="emailAddress")
    enterprise_number: str | None = Field(default=None, alias="enterpriseNumber")
    vat_number: str | None = Field(default=None, alias="vatNumber")
    billing_day: int | None = Field(default=None, alias="billingDay")
    payment_method: str | None = Field(default=None, alias="paymentMethod")
    payment_terms_days: int | None = Field(default=None, alias="paymentTermsDays")
    mandate: MandateOut | None = None
    account_balance: list[AccountBalance] = Field(default_factory=list, alias="accountBalance")
    type: str = Field(default="BillingAccount", alias="@type")


def mask(iban: str) -> str:
    return iban[:4] + "…" + iban[-4:]


def account_out(account: Account, balance: DomainMoney | None = None) -> BillingAccount:
    p = account.party
    mandate = None
    if account.mandate is not None:
        m = account.mandate
        mandate = MandateOut(reference=m.reference, signature_date=m.signed, iban=mask(m.iban))
    return BillingAccount(
        id=account.id,
        href=href(f"/billingAccount/{account.id}"),
        name=p.name,
        account_type=account.segment.value,
        product_catalog=ref("ProductCatalog", account.catalog_id, f"/productCatalog/{account.catalog_id}"),
        language=p.language.value,
        postal_address=PostalAddress(street=p.street, post_code=p.postcode, city=p.city, country=p.country),
        email_address=p.email,
        enterprise_number=p.enterprise_number,
        vat_number=p.vat_number,
        billing_day=account.billing_day,
        payment_method=account.payment_method.value,
        payment_terms_days=account.payment_terms_days,
        mandate=mandate,
        account_balance=[] if balance is None else [AccountBalance(amount=money(balance))],
    )


def summary_out(summary: AccountSummary) -> BillingAccount:
    return BillingAccount(
        id=summary.id,
        href=href(f"/billingAccount/{summary.id}"),
        name=summary.name,
        account_type=summary.segment,
        product_catalog=ref("ProductCatalog", summary.catalog_id, f"/productCatalog/{summary.catalog_id}"),
        email_address=summary.email,
        enterprise_number=summary.enterprise_number,
    )


class PortalLoginCreate(Tmf):
    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=10, max_length=200)
    language: Language | None = None


class PortalLogin(Tmf):
    id: str
    email: str
    billing_account: Ref = Field(alias="billingAccount")
