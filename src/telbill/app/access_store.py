"""Storage ports of the operator API and the portal: identities, sessions, idempotency keys, listings.

Contract (as ``app/store.py``): the repositories live on the unit of work (``AccessUnitOfWork``) and work in
its transaction. Secrets are never stored: an API token or a session is kept as the SHA-256 of its random
secret, a password as its argon2 hash (``PasswordHasher``). Listings are the read side the edges paginate:
summaries in a stable order, a page at a time, with the total count.
Adapters: ``adapters/db/repositories_access.py``; tests: ``tests/app/fakes_access.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Generic, Protocol, TypeVar

from telbill.app.access import Role
from telbill.app.store import UnitOfWork
from telbill.core.billing.invoice import DocumentType
from telbill.core.errors import TelbillError
from telbill.core.money import Money
from telbill.core.receivables.postings import DocumentFacts

T = TypeVar("T")

MAX_PAGE = 200


@dataclass(frozen=True, slots=True)
class PageRequest:
    offset: int = 0
    limit: int = 20

    def __post_init__(self) -> None:
        if self.offset < 0:
            raise TelbillError("page.offset", "the offset is 0 or more", field="offset")
        if not 1 <= self.limit <= MAX_PAGE:
            raise TelbillError("page.limit", f"the limit is 1 to {MAX_PAGE}", field="limit")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    total: int
    offset: int
    limit: int


def page_of(items: Sequence[T], request: PageRequest) -> Page[T]:
    """A page of a list held in memory (small lists: an account's subscriptions, tickets)."""
    chosen = tuple(items[request.offset : request.offset + request.limit])
    return Page(chosen, len(items), request.offset, request.limit)


@dataclass(frozen=True, slots=True)
class StaffMember:
    id: str
    email: str
    name: str
    role: Role
    password_hash: str | None = None  # for the back office; API access is by token
    active: bool = True


@dataclass(frozen=True, slots=True)
class ApiToken:
    id: str  # public part of the token (``tbk_<id>_<secret>``)
    staff_id: str
    name: str
    secret_hash: str  # SHA-256 of the secret, hex
    created: datetime
    revoked: bool = False


@dataclass(frozen=True, slots=True)
class CustomerLogin:
    id: str
    email: str  # the login name, lower case
    account_id: str
    password_hash: str
    language: str | None = None  # the portal language chosen (fr, nl, en); None: the account's


@dataclass(frozen=True, slots=True)
class SessionRecord:
    secret_hash: str  # SHA-256 of the cookie's secret, hex
    kind: str  # "staff" or "customer"
    subject_id: str  # staff id or customer login id
    csrf_token: str
    created: datetime
    expires: datetime


@dataclass(frozen=True, slots=True)
class KeyedResponse:
    """A response remembered under an idempotency key; ``status`` 0 while the first request is running."""

    principal: str
    key: str
    fingerprint: str  # of the method, path and body: the same key with another request is refused
    status: int
    body: bytes
    media_type: str
    created: datetime


@dataclass(frozen=True, slots=True)
class AccountSummary:
    id: str
    name: str
    segment: str
    catalog_id: str
    city: str
    postcode: str
    email: str | None
    enterprise_number: str | None


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    number: str
    type: DocumentType
    account_id: str
    buyer_name: str
    period: str
    out_of_scope: bool
    issue_date: date
    due_date: date | None
    billing_start: date | None
    billing_end: date | None
    communication: str | None
    preceding_number: str | None
    net: str
    vat: str
    gross: str
    ledger_stamp: tuple[int, int, int] | None = (
        None  # the account's (``Listings.ledger_stamp``), when listed by account
    )


@dataclass(frozen=True, slots=True)
class DocumentFilter:
    account_id: str | None = None
    type: DocumentType | None = None
    period: str | None = None


@dataclass(frozen=True, slots=True)
class UsageFilter:
    record_id: str | None = None
    account_id: str | None = None
    subscription_id: str | None = None
    period_start: date | None = None


@dataclass(frozen=True, slots=True)
class UsageSummary:
    """An imported usage record, with its rating once a document billed it."""

    record_id: str
    account_id: str
    subscription_id: str
    subscriber: str
    start: datetime  # aware, UTC
    service: str  # voice, sms, data
    country: str
    destination: str | None
    quantity: int  # seconds, messages or bytes
    period_start: date
    period_end: date
    billed_document: str | None
    tariff: str | None
    amount: str | None  # EUR, once billed
    charged_units: int | None
    included_units: int | None


class JobState(Enum):
    IN_PROGRESS = "inProgress"
    COMPLETED = "completed"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class BillRunJob:
    """A bill run started from the API or the back office, and how far it got (``app/billruns.py``)."""

    id: str
    period: str
    issue_date: date
    state: JobState
    started: datetime
    updated: datetime
    accounts_done: int = 0
    accounts: int = 0
    finished: datetime | None = None
    invoices: int = 0
    credit_notes: int = 0
    documents: tuple[str, ...] = ()
    total_signed_gross: Money = field(default_factory=Money.zero)
    error: str | None = None


class BillRunRecords(Protocol):
    def save(self, job: BillRunJob) -> None: ...  # insert or replace
    def get(self, job_id: str) -> BillRunJob: ...  # raises billrun.not_found
    def of_period(self, period: str) -> list[BillRunJob]: ...
    def recent(self, limit: int) -> list[BillRunJob]: ...  # latest started first


class Identities(Protocol):
    def add_staff(self, staff: StaffMember) -> None: ...  # raises staff.exists (CONFLICT): id or e-mail taken
    def staff(self, staff_id: str) -> StaffMember: ...  # raises staff.not_found
    def staff_by_email(self, email: str) -> StaffMember | None: ...
    def all_staff(self) -> list[StaffMember]: ...  # by id
    def add_token(self, token: ApiToken) -> None: ...
    def token(self, token_id: str) -> ApiToken | None: ...
    def revoke_token(self, token_id: str) -> None: ...  # raises token.not_found
    def tokens_of(self, staff_id: str) -> list[ApiToken]: ...
    def add_login(self, login: CustomerLogin) -> None: ...  # raises login.exists (CONFLICT): e-mail taken
    def login(self, login_id: str) -> CustomerLogin: ...  # raises login.not_found
    def login_by_email(self, email: str) -> CustomerLogin | None: ...
    def logins_of(self, account_id: str) -> list[CustomerLogin]: ...
    def save_login(self, login: CustomerLogin) -> None: ...


class Sessions(Protocol):
    def add(self, session: SessionRecord) -> None: ...
    def get(self, secret_hash: str) -> SessionRecord | None: ...
    def drop(self, secret_hash: str) -> None: ...
    def drop_expired(self, now: datetime) -> int: ...


class IdempotencyKeys(Protocol):
    def claim(self, response: KeyedResponse) -> KeyedResponse | None:
        """Store ``response`` (status 0: in progress) unless the key is known; return the known one if it is."""
        ...

    def complete(self, principal: str, key: str, status: int, body: bytes, media_type: str) -> None: ...
    def release(self, principal: str, key: str) -> None: ...  # the request failed before changing anything


class Listings(Protocol):
    def accounts(self, page: PageRequest, catalog_id: str | None = None) -> Page[AccountSummary]: ...
    def documents(self, page: PageRequest, where: DocumentFilter) -> Page[DocumentSummary]:
        """Latest first; listed by account, each summary carries the account's ledger stamp (same query)."""
        ...

    def document(self, number: str) -> DocumentSummary: ...  # raises document.not_found
    def subscription_ids(self, page: PageRequest, account_id: str | None = None) -> Page[tuple[str, str]]:
        """(subscription id, account id), by subscription id."""
        ...

    def usage(self, page: PageRequest, where: UsageFilter) -> Page[UsageSummary]: ...  # latest first
    def unposted_facts(self, account_id: str) -> list[DocumentFacts]:
        """The account's issued documents that no ledger holds yet, in issue order: what
        ``ReceivablesUnitOfWork.ledgers.unposted`` answers for one account, read without the parties."""
        ...

    def ledger_stamp(self, account_id: str) -> tuple[int, int, int]:
        """(documents, ledger entries, allocations) of an account: all three append-only, so the stamp changes
        whenever anything that decides a bill's state does."""
        ...

    def pending_charges(self, account_id: str) -> list[tuple[str, str, date, str, str | None]]:
        """(charge id, item code, day, reason, billing document or None) of an account, by day and id."""
        ...


class AccessUnitOfWork(UnitOfWork, Protocol):
    """The unit of work with the access repositories (SQL and the fakes provide both)."""

    @property
    def identities(self) -> Identities: ...
    @property
    def sessions(self) -> Sessions: ...
    @property
    def idempotency(self) -> IdempotencyKeys: ...
    @property
    def listings(self) -> Listings: ...
    @property
    def bill_run_jobs(self) -> BillRunRecords: ...


class PasswordHasher(Protocol):
    """Password hashing (argon2id in production: ``adapters/security/passwords.py``)."""

    def hash(self, password: str) -> str: ...
    def verify(self, password_hash: str, password: str) -> bool: ...  # never raises for a wrong password
