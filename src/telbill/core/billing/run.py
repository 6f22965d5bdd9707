"""One account's bill for one period, decided from gathered facts (the pure middle of the bill run).

gather (app) → ``bill_account`` (here) → apply (app): the shell reads the account, its subscriptions, its
unbilled one-time charges, what earlier invoices billed; this module decides the documents; the shell
numbers and stores them in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from telbill.core.accounts import Account
from telbill.core.billing.charges import (
    BilledRecurring,
    ChargeLine,
    PendingCharge,
    PricingAt,
    RecurringRequest,
    one_time_charges,
    recurring_charges,
)
from telbill.core.billing.contract_fees import ContractFacts, device_not_returned, early_termination, reactivation_fees
from telbill.core.billing.draft import Draft, DraftRequest, draft_documents
from telbill.core.billing.invoice import DocumentReference
from telbill.core.billing.parties import Language, Party, Seller
from telbill.core.catalog.pricing import PricingContext
from telbill.core.catalog.schema import Catalog, CatalogVersion, Segment
from telbill.core.catalog.versions import version_at
from telbill.core.errors import TelbillError
from telbill.core.period import DateRange
from telbill.core.subscriptions import EventKind, Subscription, Timeline


def seller_of(catalog: Catalog, fallback: Seller | None) -> Seller:
    """The catalog's operator when the catalog names it, else the installation's own seller."""
    identity = catalog.seller
    if identity is None:
        if fallback is None:
            raise TelbillError("catalog.no_seller", f"catalog {catalog.id} names no seller and none is configured")
        return fallback
    language = Language(catalog.language) if catalog.language in {"fr", "nl", "en"} else Language.EN
    party = Party(identity.name, identity.street, identity.postcode, identity.city, identity.country, language,
                  identity.vat_number, identity.enterprise_number, identity.email)  # fmt: skip
    return Seller(party, identity.iban, identity.bic)


# Contexts are memoised per catalog version and segment, so that the memo of monthly fees
# (charges.monthly_fee, keyed by context identity) is shared by every account of a bill run. The version
# object itself is kept in the entry and compared by identity, so a recycled id() can never match.
_CONTEXTS: dict[tuple[int, Segment], tuple[CatalogVersion, PricingContext]] = {}


def pricing_for(catalog: Catalog, account: Account) -> PricingAt:
    def at(day: date) -> PricingContext:
        version = version_at(catalog, day)
        key = (id(version), account.segment)
        entry = _CONTEXTS.get(key)
        if entry is None or entry[0] is not version or entry[1].catalog is not catalog:
            if len(_CONTEXTS) > 256:
                _CONTEXTS.clear()
            entry = (version, PricingContext(catalog, version, account.segment))
            _CONTEXTS[key] = entry
        return entry[1]

    return at


# The bill run replays every subscription twice on its issue date: for the fees its contract charges by
# itself, then for its bill. A timeline is a pure function of the subscription (frozen) and the day, so the
# second replay reuses the first, found by the subscription's identity (kept in the entry, so a recycled id()
# never matches).
_TIMELINES: dict[tuple[int, date], tuple[Subscription, Timeline]] = {}
_TIMELINES_KEPT = 8192  # a batch of several thousand subscriptions


def timeline_of(subscription: Subscription, day: date) -> Timeline:
    """``subscription.timeline(day)``, replayed once per subscription object and day."""
    key = (id(subscription), day)
    entry = _TIMELINES.get(key)
    if entry is None or entry[0] is not subscription:
        if len(_TIMELINES) >= _TIMELINES_KEPT:
            _TIMELINES.clear()
        entry = _TIMELINES[key] = (subscription, subscription.timeline(day))
    return entry[1]


@dataclass(frozen=True, slots=True)
class AccountFacts:
    account: Account
    subscriptions: tuple[Subscription, ...]
    unbilled: tuple[PendingCharge, ...]
    billed: tuple[BilledRecurring, ...]
    latest_invoice: DocumentReference | None
    external: tuple[ChargeLine, ...] = ()  # lines of other domains: rated usage, compensation credits


@dataclass(frozen=True, slots=True)
class BillingPeriod:
    label: str  # YYYY-MM
    range: DateRange
    issue_date: date  # also the day up to which events and charges are known


def contract_charges(
    catalog: Catalog, account: Account, subscriptions: tuple[Subscription, ...], as_of: date
) -> list[PendingCharge]:
    """The fees the contracts themselves charge (early termination, reactivation), known on ``as_of``."""
    pricing_at = pricing_for(catalog, account)
    policies = version_at(catalog, as_of).policies
    charges: list[PendingCharge] = []
    for subscription in subscriptions:
        timeline = timeline_of(subscription, as_of)
        reactivations = tuple(e.day for e in subscription.events if e.kind is EventKind.REACTIVATE and e.day <= as_of)
        facts = ContractFacts(subscription.id, timeline, reactivations, account.billing_day)
        charges += reactivation_fees(policies, facts)
        termination = early_termination(pricing_at, policies, facts)
        if termination is not None:
            charges.append(termination)
        for loan in timeline.devices:
            unreturned = device_not_returned(policies, subscription.id, loan, as_of)
            if unreturned is not None:
                charges.append(unreturned)
    return charges


def account_charges(catalog: Catalog, facts: AccountFacts, period: BillingPeriod) -> list[ChargeLine]:
    pricing_at = pricing_for(catalog, facts.account)
    lines: list[ChargeLine] = []
    for subscription in sorted(facts.subscriptions, key=lambda s: s.id):
        billed = tuple(b for b in facts.billed if b.subscription_id == subscription.id)
        request = RecurringRequest(
            subscription.id,
            timeline_of(subscription, period.issue_date),
            facts.account.billing_day,
            period.range,
            billed,
        )
        lines += recurring_charges(pricing_at, request)
    due = sorted((c for c in facts.unbilled if c.day <= period.issue_date), key=lambda c: (c.day, c.id))
    lines += one_time_charges(pricing_at, due)
    return lines + list(facts.external)


def bill_account(catalog: Catalog, facts: AccountFacts, period: BillingPeriod) -> list[Draft]:
    charges = tuple(account_charges(catalog, facts, period))
    request = DraftRequest(facts.account, period.label, period.range, period.issue_date, charges, facts.latest_invoice)
    return draft_documents(request)
