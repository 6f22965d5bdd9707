"""Storage ports: the unit of work and the repositories the use cases need, as Protocols.

Contract: one ``UnitOfWork`` is one transaction. Nothing is written unless ``commit`` is called; leaving
the ``with`` block without committing rolls back. Repositories work in batches of accounts, because the
bill run reads and writes hundreds of accounts per transaction. Adapters: ``telbill.adapters.db`` (SQL,
SQLite and PostgreSQL); tests: ``tests/app/fakes.py`` (in memory).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import Protocol, Self

from telbill.core.accounts import Account
from telbill.core.billing.charges import BilledRecurring, ChargeKind, ChargeLine, PendingCharge
from telbill.core.billing.draft import LineMeta
from telbill.core.billing.invoice import DocumentReference, InvoiceDocument
from telbill.core.care.credits import CompensationCredit
from telbill.core.care.interventions import InterventionReport
from telbill.core.care.outages import Outage
from telbill.core.care.tickets import Ticket, TicketKind
from telbill.core.period import DateRange
from telbill.core.rating.intake import QuarantineReason
from telbill.core.rating.records import RatedRecord, UsageRecord
from telbill.core.receivables.collections import Collection, CollectionState
from telbill.core.receivables.dunning import Taken
from telbill.core.receivables.ledger import Ledger, Posting
from telbill.core.receivables.matching import Match
from telbill.core.receivables.postings import DocumentFacts
from telbill.core.receivables.statements import Statement
from telbill.core.subscriptions import Subscription


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """An issued document with what the billing ledger needs: its account, period, and line metadata."""

    account_id: str
    period: str  # YYYY-MM of the bill run that issued it
    out_of_scope: bool
    document: InvoiceDocument
    meta: tuple[LineMeta, ...]


class Accounts(Protocol):
    def add(self, account: Account) -> None: ...
    def get(self, account_id: str) -> Account: ...  # raises TelbillError NOT_FOUND
    def many(self, account_ids: Sequence[str]) -> list[Account]: ...
    def ids(self) -> list[str]: ...  # every account id, sorted


class Subscriptions(Protocol):
    def add(self, subscription: Subscription) -> None: ...
    def get(self, subscription_id: str) -> Subscription: ...
    def save(self, subscription: Subscription) -> None: ...  # after an event was appended
    def for_accounts(self, account_ids: Sequence[str]) -> dict[str, list[Subscription]]: ...


class Charges(Protocol):
    def add(self, account_id: str, charge: PendingCharge) -> bool: ...  # False when the id is already known
    # ``add`` for many at once (one statement: a dunning run's fees), each unless its id is known
    def add_all(self, charges: Sequence[tuple[str, PendingCharge]]) -> None: ...
    def unbilled(self, account_ids: Sequence[str], through: date) -> dict[str, list[PendingCharge]]: ...
    def mark_billed(self, charge_ids: Sequence[str], document_number: str) -> None: ...


class Documents(Protocol):
    def add(self, stored: StoredDocument) -> None: ...
    def get(self, number: str) -> StoredDocument: ...  # raises TelbillError NOT_FOUND
    def for_account(self, account_id: str) -> list[StoredDocument]: ...
    def billed_recurring(self, account_ids: Sequence[str]) -> dict[str, list[BilledRecurring]]: ...
    def latest_invoices(self, account_ids: Sequence[str]) -> dict[str, DocumentReference]:
        """Per account, its latest invoice in the scope of VAT (else its latest out-of-scope one): the
        invoice a credit note of the bill run refers to."""
        ...


class BillRuns(Protocol):
    def processed(self, period: str, account_ids: Sequence[str]) -> set[str]: ...
    def mark_processed(self, period: str, account_ids: Sequence[str]) -> None: ...


class Numbers(Protocol):
    def allocate(self, series: str, count: int) -> int:
        """Reserve ``count`` consecutive numbers of ``series`` and return the first. The reservation is part
        of the current transaction: a rollback gives the numbers back, so numbering stays gap-free."""
        ...


class UnitOfWork(Protocol):
    """One transaction over the billing store. Other domains (usage, service assurance, receivables) add
    their repositories to the same unit of work and declare them in Protocols of their own."""

    # read-only members, so that an adapter may expose its own repository classes
    @property
    def accounts(self) -> Accounts: ...
    @property
    def subscriptions(self) -> Subscriptions: ...
    @property
    def charges(self) -> Charges: ...
    @property
    def documents(self) -> Documents: ...
    @property
    def bill_runs(self) -> BillRuns: ...
    @property
    def numbers(self) -> Numbers: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None: ...

    def commit(self) -> None: ...

    def lock_accounts(self, account_ids: Sequence[str]) -> list[str]:
        """Lock these accounts for this transaction and return those locked; accounts that another
        transaction holds are skipped (PostgreSQL: FOR UPDATE SKIP LOCKED), so concurrent bill runs share
        the work instead of billing an account twice."""
        ...


class ChargeSource(Protocol):
    """Another domain's amounts for the bill run — rated usage, compensation credits — read and marked billed
    in the bill run's own transaction, so they are billed exactly once.

    ``pending`` returns, per account, the charge lines due on ``through`` (each with a ``source_id`` and the
    source's ``kind``), for the accounts as the bill run read them (a source reads none again);
    ``mark_billed`` records the document that billed the given source ids."""

    @property
    def kind(self) -> ChargeKind: ...

    def pending(self, uow: UnitOfWork, accounts: Sequence[Account], through: date) -> dict[str, list[ChargeLine]]: ...

    def mark_billed(self, uow: UnitOfWork, source_ids: Sequence[str], document_number: str) -> None: ...


# --- receivables (issue 6): the account ledger, bank statements, direct debits, dunning -------------------------


class Ledgers(Protocol):
    """Account ledgers: entries and allocations, append-only (``telbill.core.receivables.ledger``)."""

    def for_accounts(self, account_ids: Sequence[str]) -> dict[str, Ledger]: ...  # every id asked, empty if new
    def open_for_accounts(self, account_ids: Sequence[str]) -> dict[str, Ledger]:
        """The same ledgers carried forward (``Ledger.carried``): what is open, not the whole history."""
        ...

    def add(self, account_id: str, posting: Posting) -> None: ...
    def add_all(self, postings: Iterable[tuple[str, Posting]]) -> None:
        """``add`` for each (account id, posting) in turn. ``postings`` may be a generator that builds them:
        a store may write earlier ones while later ones are built, so it must not use the store."""
        ...

    def unposted(self, account_ids: Sequence[str] | None = None) -> list[tuple[str, DocumentFacts]]:
        """(account id, facts) of the issued documents not yet in a ledger (all accounts: None), in issue order."""
        ...

    def documents_by_communication(self, communications: Sequence[str]) -> dict[str, tuple[str, str]]:
        """Structured communication (12 digits) → (account id, document number), for those that are ours."""
        ...

    def holders(self) -> list[tuple[str, str]]: ...  # (account id, holder's name) of every account


class DunningHistory(Protocol):
    def for_accounts(self, account_ids: Sequence[str]) -> dict[str, tuple[Taken, ...]]: ...  # in order taken
    def add_all(self, taken: Sequence[tuple[str, Taken]]) -> None: ...  # per account, after what it holds, in order


class Statements(Protocol):
    def known(self, statement_ids: Sequence[str]) -> set[str]: ...  # those imported already
    def add(self, statement: Statement, source: str) -> None: ...


class Reviews(Protocol):
    """Statement lines waiting for a person (``Match`` with outcome REVIEW)."""

    def add(self, match: Match) -> None: ...
    def pending(self) -> list[Match]: ...
    def get(self, line_id: str) -> Match: ...  # a pending one; raises TelbillError NOT_FOUND
    def close(self, line_id: str, resolution: str) -> None: ...


class Collections(Protocol):
    """SEPA direct debits sent, by end-to-end id."""

    def add(self, collections: Sequence[Collection]) -> None: ...
    def by_end_to_end(self, end_to_end_ids: Sequence[str]) -> dict[str, Collection]: ...
    def for_accounts(self, account_ids: Sequence[str]) -> dict[str, list[Collection]]: ...
    def mark(self, end_to_end: str, state: CollectionState, payment: str | None = None) -> None: ...


class ReceivablesUnitOfWork(UnitOfWork, Protocol):
    """The unit of work with the receivables repositories (SQL and the fakes provide both)."""

    @property
    def ledgers(self) -> Ledgers: ...
    @property
    def dunning(self) -> DunningHistory: ...
    @property
    def statements(self) -> Statements: ...
    @property
    def reviews(self) -> Reviews: ...
    @property
    def collections(self) -> Collections: ...


# --- service assurance (issue 5): tickets, outages, interventions, compensation credits ----------------------


class Tickets(Protocol):
    """Trouble tickets and service orders with their event logs (``telbill.core.care.tickets``)."""

    def add(self, ticket: Ticket) -> None: ...  # raises TelbillError ticket.exists (CONFLICT)
    def get(self, ticket_id: str) -> Ticket: ...  # raises TelbillError ticket.not_found (NOT_FOUND)
    def save(self, ticket: Ticket) -> None: ...  # the whole log, as checked by the core
    def for_account(self, account_id: str) -> list[Ticket]: ...  # by id
    def for_subscription(self, subscription_id: str, kind: TicketKind) -> list[Ticket]: ...  # by id
    def registered_between(self, start: datetime, end: datetime | None) -> list[Ticket]: ...  # [start, end), by id


class Outages(Protocol):
    def add(self, outage: Outage) -> None: ...  # raises TelbillError outage.exists (CONFLICT)
    def get(self, outage_id: str) -> Outage: ...  # raises TelbillError outage.not_found (NOT_FOUND)
    def save(self, outage: Outage) -> None: ...
    def overlapping(self, start: datetime, end: datetime) -> list[Outage]: ...  # in effect during [start, end)


@dataclass(frozen=True, slots=True)
class RecordedIntervention:
    """A report as stored, with the line and the ticket it was recorded for."""

    report: InterventionReport
    subscription_id: str | None
    ticket_id: str | None


class Interventions(Protocol):
    def add(
        self, account_id: str, subscription_id: str | None, ticket_id: str | None, report: InterventionReport
    ) -> bool:
        """Record a report; False when its id is known already (the report was recorded before)."""
        ...

    def get(self, report_id: str) -> RecordedIntervention: ...  # raises intervention.not_found (NOT_FOUND)


class CompensationCredits(Protocol):
    """What the operator owes, waiting for the bill run (``telbill.core.care.credits``)."""

    def add(self, credit: CompensationCredit) -> bool: ...  # False when the id is known already
    # each credit of a ticket with the number of the document that billed it (None: not yet)
    def for_ticket(self, ticket_id: str) -> list[tuple[CompensationCredit, str | None]]: ...
    def unbilled(self, account_ids: Sequence[str], through: date) -> dict[str, list[CompensationCredit]]: ...
    def mark_billed(self, credit_ids: Sequence[str], document_number: str) -> None: ...


class CareUnitOfWork(UnitOfWork, Protocol):
    """The unit of work with the service-assurance repositories (SQL and the fakes provide both)."""

    @property
    def tickets(self) -> Tickets: ...
    @property
    def outages(self) -> Outages: ...
    @property
    def interventions(self) -> Interventions: ...
    @property
    def compensation_credits(self) -> CompensationCredits: ...


@dataclass(frozen=True, slots=True)
class StoredUsage:
    """A usage record as imported: checked, normalised, in its account, subscription and billing period."""

    record: UsageRecord
    fingerprint: str  # of the content (``core.rating.intake.content_fingerprint``)
    account_id: str
    subscription_id: str
    period: DateRange  # the billing period of its local start date


@dataclass(frozen=True, slots=True)
class QuarantinedRow:
    """A row of a usage file that was not imported, and why; ``key`` identifies the row and its reason."""

    key: str
    source: str
    row: int
    record_id: str | None
    reason: QuarantineReason
    message: str
    fields: tuple[tuple[str, str | None], ...]


class UsageStore(Protocol):
    """Imported usage records, the quarantine, and the rated detail of what was billed (``app/usage.py``)."""

    def fingerprints(self, record_ids: Sequence[str]) -> dict[str, str]: ...  # the known ones only
    def add(self, records: Sequence[StoredUsage]) -> None: ...  # ids are new (the caller checked)
    def quarantine(self, rows: Sequence[QuarantinedRow]) -> int: ...  # how many were not quarantined yet
    def quarantined(self, source: str | None = None) -> list[QuarantinedRow]: ...
    # (subscription id, period start) → the number of the document that billed its usage
    def billed_periods(self, subscription_ids: Sequence[str]) -> dict[tuple[str, date], str]: ...
    # records not billed yet whose billing period ends on ``through`` or before, per account
    def unbilled(self, account_ids: Sequence[str], through: date) -> dict[str, list[StoredUsage]]: ...
    def unbilled_of(self, subscription_id: str, period_start: date) -> list[StoredUsage]: ...
    def mark_billed(self, rated: Sequence[RatedRecord], document_number: str) -> None: ...
    def billed(self, document_number: str) -> list[tuple[StoredUsage, RatedRecord]]: ...  # in time order


class UsageUnitOfWork(UnitOfWork, Protocol):
    """The unit of work with the usage store (SQL and the fakes provide both)."""

    @property
    def usage(self) -> UsageStore: ...
