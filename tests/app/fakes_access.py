"""In-memory access repositories and listings (``telbill.app.access_store``): the reference semantics that
``adapters/db/repositories_access.py`` matches (``tests/adapters/test_access_store.py`` runs both)."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from telbill.app.access_store import (
    AccountSummary,
    ApiToken,
    BillRunJob,
    CustomerLogin,
    DocumentFilter,
    DocumentSummary,
    KeyedResponse,
    Page,
    PageRequest,
    SessionRecord,
    StaffMember,
    UsageFilter,
    UsageSummary,
    page_of,
)
from telbill.app.bills import usage_summary
from telbill.app.store import StoredDocument
from telbill.core.billing.charges import ChargeKind
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.receivables.postings import DocumentFacts, facts_of

if TYPE_CHECKING:
    from tests.app.fakes import State


@dataclass
class AccessState:
    staff: dict[str, StaffMember] = field(default_factory=dict)
    tokens: dict[str, ApiToken] = field(default_factory=dict)
    logins: dict[str, CustomerLogin] = field(default_factory=dict)
    sessions: dict[str, SessionRecord] = field(default_factory=dict)
    keys: dict[tuple[str, str], KeyedResponse] = field(default_factory=dict)
    jobs: dict[str, BillRunJob] = field(default_factory=dict)


def _missing(what: str, key: str) -> TelbillError:
    return TelbillError(f"{what}.not_found", f"no {what} {key}", ErrorKind.NOT_FOUND)


class FakeIdentities:
    def __init__(self, state: AccessState, accounts: Container[str]) -> None:
        self.state = state
        self.accounts = accounts

    def add_staff(self, staff: StaffMember) -> None:
        if staff.id in self.state.staff or any(s.email == staff.email for s in self.state.staff.values()):
            raise TelbillError("staff.exists", f"staff {staff.id} or {staff.email} exists", ErrorKind.CONFLICT, "id")
        self.state.staff[staff.id] = staff

    def staff(self, staff_id: str) -> StaffMember:
        if staff_id not in self.state.staff:
            raise _missing("staff", staff_id)
        return self.state.staff[staff_id]

    def staff_by_email(self, email: str) -> StaffMember | None:
        return next((s for s in self.state.staff.values() if s.email == email), None)

    def all_staff(self) -> list[StaffMember]:
        return [self.state.staff[k] for k in sorted(self.state.staff)]

    def add_token(self, token: ApiToken) -> None:
        if token.staff_id not in self.state.staff:
            raise _missing("staff", token.staff_id)
        self.state.tokens[token.id] = token

    def token(self, token_id: str) -> ApiToken | None:
        return self.state.tokens.get(token_id)

    def revoke_token(self, token_id: str) -> None:
        if token_id not in self.state.tokens:
            raise _missing("token", token_id)
        self.state.tokens[token_id] = replace(self.state.tokens[token_id], revoked=True)

    def tokens_of(self, staff_id: str) -> list[ApiToken]:
        return sorted(
            (t for t in self.state.tokens.values() if t.staff_id == staff_id), key=lambda t: (t.created, t.id)
        )

    def add_login(self, login: CustomerLogin) -> None:
        if login.account_id not in self.accounts:
            raise TelbillError(
                "access_customer_logins.reference", f"no account {login.account_id}", ErrorKind.NOT_FOUND
            )
        if login.id in self.state.logins or any(x.email == login.email for x in self.state.logins.values()):
            raise TelbillError("login.exists", f"a login {login.email} exists", ErrorKind.CONFLICT, "email")
        self.state.logins[login.id] = login

    def login(self, login_id: str) -> CustomerLogin:
        if login_id not in self.state.logins:
            raise _missing("login", login_id)
        return self.state.logins[login_id]

    def login_by_email(self, email: str) -> CustomerLogin | None:
        return next((x for x in self.state.logins.values() if x.email == email), None)

    def logins_of(self, account_id: str) -> list[CustomerLogin]:
        return sorted((x for x in self.state.logins.values() if x.account_id == account_id), key=lambda x: x.email)

    def save_login(self, login: CustomerLogin) -> None:
        if login.id not in self.state.logins:
            raise _missing("login", login.id)
        self.state.logins[login.id] = login


class FakeSessions:
    def __init__(self, state: AccessState) -> None:
        self.state = state

    def add(self, session: SessionRecord) -> None:
        self.state.sessions[session.secret_hash] = session

    def get(self, secret_hash: str) -> SessionRecord | None:
        return self.state.sessions.get(secret_hash)

    def drop(self, secret_hash: str) -> None:
        self.state.sessions.pop(secret_hash, None)

    def drop_expired(self, now: datetime) -> int:
        expired = [k for k, s in self.state.sessions.items() if s.expires <= now]
        for key in expired:
            del self.state.sessions[key]
        return len(expired)


class FakeIdempotencyKeys:
    def __init__(self, state: AccessState) -> None:
        self.state = state

    def claim(self, response: KeyedResponse) -> KeyedResponse | None:
        known = self.state.keys.get((response.principal, response.key))
        if known is None:
            self.state.keys[(response.principal, response.key)] = response
        return known

    def complete(self, principal: str, key: str, status: int, body: bytes, media_type: str) -> None:
        known = self.state.keys[(principal, key)]
        self.state.keys[(principal, key)] = replace(known, status=status, body=body, media_type=media_type)

    def release(self, principal: str, key: str) -> None:
        self.state.keys.pop((principal, key), None)


class FakeBillRunRecords:
    def __init__(self, state: AccessState) -> None:
        self.state = state

    def save(self, job: BillRunJob) -> None:
        self.state.jobs[job.id] = job

    def get(self, job_id: str) -> BillRunJob:
        if job_id not in self.state.jobs:
            raise _missing("billrun", job_id)
        return self.state.jobs[job_id]

    def of_period(self, period: str) -> list[BillRunJob]:
        return [j for j in self.state.jobs.values() if j.period == period]

    def recent(self, limit: int) -> list[BillRunJob]:
        return sorted(self.state.jobs.values(), key=lambda j: (j.started, j.id), reverse=True)[:limit]


def summary_of(stored: StoredDocument) -> DocumentSummary:
    d = stored.document
    period = d.billing_period
    communication = d.structured_communication.digits if d.structured_communication else None
    return DocumentSummary(
        d.number,
        d.type,
        stored.account_id,
        d.buyer.name,
        stored.period,
        stored.out_of_scope,
        d.issue_date,
        d.due_date,
        period.start if period else None,
        period.end if period else None,
        communication,
        d.preceding.number if d.preceding else None,
        str(d.totals.net),
        str(d.totals.vat),
        str(d.totals.gross),
    )


class FakeListings:
    def __init__(self, state: State) -> None:
        self.state = state

    def accounts(self, page: PageRequest, catalog_id: str | None = None) -> Page[AccountSummary]:
        chosen = [a for _, a in sorted(self.state.accounts.items()) if catalog_id in (None, a.catalog_id)]
        rows = [
            AccountSummary(
                a.id,
                a.party.name,
                a.segment.value,
                a.catalog_id,
                a.party.city,
                a.party.postcode,
                a.party.email,
                a.party.enterprise_number,
            )
            for a in chosen
        ]
        return page_of(rows, page)

    def documents(self, page: PageRequest, where: DocumentFilter) -> Page[DocumentSummary]:
        found = [
            summary_of(s)
            for s in self.state.documents.values()
            if where.account_id in (None, s.account_id)
            and where.type in (None, s.document.type)
            and where.period in (None, s.period)
        ]
        found.sort(key=lambda s: (s.issue_date, s.number), reverse=True)
        if where.account_id is not None:
            stamp = self.ledger_stamp(where.account_id)
            found = [replace(s, ledger_stamp=stamp) for s in found]
        return page_of(found, page)

    def document(self, number: str) -> DocumentSummary:
        if number not in self.state.documents:
            raise _missing("document", number)
        return summary_of(self.state.documents[number])

    def subscription_ids(self, page: PageRequest, account_id: str | None = None) -> Page[tuple[str, str]]:
        pairs = [
            (i, s.account_id) for i, s in sorted(self.state.subscriptions.items()) if account_id in (None, s.account_id)
        ]
        return page_of(pairs, page)

    def usage(self, page: PageRequest, where: UsageFilter) -> Page[UsageSummary]:
        rows = []
        for record_id, stored in self.state.usage.records.items():
            if where.record_id not in (None, record_id) or where.account_id not in (None, stored.account_id):
                continue
            if where.subscription_id not in (None, stored.subscription_id):
                continue
            if where.period_start not in (None, stored.period.start):
                continue
            rows.append(usage_summary(stored, self.state.usage.billed.get(record_id)))
        rows.sort(key=lambda u: (u.start, u.record_id), reverse=True)
        return page_of(rows, page)

    def unposted_facts(self, account_id: str) -> list[DocumentFacts]:
        posted = set(self.state.receivables.entries)
        found = []
        for stored in self.state.documents.values():
            if stored.account_id != account_id or stored.document.number in posted:
                continue
            compensation = any(m.kind is ChargeKind.COMPENSATION for m in stored.meta)
            found.append(facts_of(stored.document, stored.out_of_scope, compensation))
        return sorted(found, key=lambda f: (f.issue_date, f.number))

    def ledger_stamp(self, account_id: str) -> tuple[int, int, int]:
        documents = sum(1 for d in self.state.documents.values() if d.account_id == account_id)
        receivables = self.state.receivables
        entries = sum(1 for account, _ in receivables.entries.values() if account == account_id)
        allocations = sum(1 for account, _ in receivables.allocations if account == account_id)
        return (documents, entries, allocations)

    def pending_charges(self, account_id: str) -> list[tuple[str, str, date, str, str | None]]:
        rows = [
            (i, c.order.code, c.day, c.reason, billed)
            for i, (a, c, billed) in self.state.charges.items()
            if a == account_id
        ]
        return sorted(rows, key=lambda r: (r[2], r[0]))
