"""The access repositories and the listings of ``telbill.app.access_store`` over SQL (SQLAlchemy Core).

Contract: the semantics of the fakes (``tests/app/fakes_access.py``) on the transaction of one
``SqlUnitOfWork``: ``staff.exists`` / ``login.exists`` (CONFLICT) when an id or e-mail is taken,
``<what>.not_found`` (NOT_FOUND). Listings page with ``LIMIT``/``OFFSET`` in a total order (the primary key
last) and count with one more query; they read summaries from columns, never a document's lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Select, Table, bindparam, delete, exists, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from telbill.adapters.db import tables as t
from telbill.adapters.db import tables_access as a
from telbill.adapters.db import tables_receivables, tables_usage
from telbill.adapters.db.deferred import Transaction
from telbill.app.access import Role
from telbill.app.access_store import (
    AccountSummary,
    ApiToken,
    BillRunJob,
    CustomerLogin,
    DocumentFilter,
    DocumentSummary,
    JobState,
    KeyedResponse,
    Page,
    PageRequest,
    SessionRecord,
    StaffMember,
    UsageFilter,
    UsageSummary,
)
from telbill.core.billing.charges import ChargeKind
from telbill.core.billing.invoice import DocumentType
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.money import Money
from telbill.core.rating.records import EPOCH
from telbill.core.receivables.postings import DocumentFacts


def _utc(instant: datetime) -> datetime:
    """Aware → naive UTC, as the columns hold it."""
    return instant.astimezone(UTC).replace(tzinfo=None)


def _aware(stored: datetime) -> datetime:
    return stored.replace(tzinfo=UTC)


def _missing(what: str, key: str) -> TelbillError:
    return TelbillError(f"{what}.not_found", f"no {what} {key}", ErrorKind.NOT_FOUND)


def _insert_new(tx: Transaction, table: Table, values: dict[str, Any]) -> bool:
    """Insert unless a key or unique column is taken (ON CONFLICT DO NOTHING); True when inserted."""
    dialect = postgresql if tx.dialect == "postgresql" else sqlite
    statement = dialect.insert(table).values(values).on_conflict_do_nothing().returning(*table.primary_key)
    return tx.execute(statement).first() is not None


def _staff(row: Any) -> StaffMember:
    return StaffMember(row.id, row.email, row.name, Role(row.role), row.password_hash, row.active)


def _login(row: Any) -> CustomerLogin:
    return CustomerLogin(row.id, row.email, row.account_id, row.password_hash, row.language)


def _token(row: Any) -> ApiToken:
    return ApiToken(row.id, row.staff_id, row.name, row.secret_hash, _aware(row.created), row.revoked)


class SqlIdentities:
    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    def add_staff(self, staff: StaffMember) -> None:
        row = {
            "id": staff.id,
            "email": staff.email,
            "name": staff.name,
            "role": staff.role.value,
            "password_hash": staff.password_hash,
            "active": staff.active,
        }
        if not _insert_new(self.tx, a.access_staff, row):
            raise TelbillError("staff.exists", f"staff {staff.id} or {staff.email} exists", ErrorKind.CONFLICT, "id")

    def staff(self, staff_id: str) -> StaffMember:
        row = self.tx.execute(select(a.access_staff).where(a.access_staff.c.id == staff_id)).first()
        if row is None:
            raise _missing("staff", staff_id)
        return _staff(row)

    def staff_by_email(self, email: str) -> StaffMember | None:
        row = self.tx.execute(select(a.access_staff).where(a.access_staff.c.email == email)).first()
        return None if row is None else _staff(row)

    def all_staff(self) -> list[StaffMember]:
        return [_staff(row) for row in self.tx.execute(select(a.access_staff).order_by(a.access_staff.c.id))]

    def add_token(self, token: ApiToken) -> None:
        self.tx.execute(
            a.access_api_tokens.insert().values(
                id=token.id,
                staff_id=token.staff_id,
                name=token.name,
                secret_hash=token.secret_hash,
                created=_utc(token.created),
                revoked=token.revoked,
            )
        )

    def token(self, token_id: str) -> ApiToken | None:
        row = self.tx.execute(select(a.access_api_tokens).where(a.access_api_tokens.c.id == token_id)).first()
        return None if row is None else _token(row)

    def revoke_token(self, token_id: str) -> None:
        tokens = a.access_api_tokens
        if self.tx.execute(update(tokens).where(tokens.c.id == token_id).values(revoked=True)).rowcount != 1:
            raise _missing("token", token_id)

    def tokens_of(self, staff_id: str) -> list[ApiToken]:
        tokens = a.access_api_tokens
        query = select(tokens).where(tokens.c.staff_id == staff_id).order_by(tokens.c.created, tokens.c.id)
        return [_token(row) for row in self.tx.execute(query)]

    def add_login(self, login: CustomerLogin) -> None:
        row = {
            "id": login.id,
            "email": login.email,
            "account_id": login.account_id,
            "password_hash": login.password_hash,
            "language": login.language,
        }
        if not _insert_new(self.tx, a.access_customer_logins, row):
            raise TelbillError("login.exists", f"a login {login.email} exists", ErrorKind.CONFLICT, "email")

    def login(self, login_id: str) -> CustomerLogin:
        logins = a.access_customer_logins
        row = self.tx.execute(select(logins).where(logins.c.id == login_id)).first()
        if row is None:
            raise _missing("login", login_id)
        return _login(row)

    def login_by_email(self, email: str) -> CustomerLogin | None:
        logins = a.access_customer_logins
        row = self.tx.execute(select(logins).where(logins.c.email == email)).first()
        return None if row is None else _login(row)

    def logins_of(self, account_id: str) -> list[CustomerLogin]:
        logins = a.access_customer_logins
        query = select(logins).where(logins.c.account_id == account_id).order_by(logins.c.email)
        return [_login(row) for row in self.tx.execute(query)]

    def save_login(self, login: CustomerLogin) -> None:
        logins = a.access_customer_logins
        values = {"email": login.email, "password_hash": login.password_hash, "language": login.language}
        if self.tx.execute(update(logins).where(logins.c.id == login.id).values(values)).rowcount != 1:
            raise _missing("login", login.id)


class SqlSessions:
    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    def add(self, session: SessionRecord) -> None:
        self.tx.execute(
            a.access_sessions.insert().values(
                secret_hash=session.secret_hash,
                kind=session.kind,
                subject_id=session.subject_id,
                csrf_token=session.csrf_token,
                created=_utc(session.created),
                expires=_utc(session.expires),
            )
        )

    def get(self, secret_hash: str) -> SessionRecord | None:
        sessions = a.access_sessions
        row = self.tx.execute(select(sessions).where(sessions.c.secret_hash == secret_hash)).first()
        if row is None:
            return None
        return SessionRecord(
            row.secret_hash, row.kind, row.subject_id, row.csrf_token, _aware(row.created), _aware(row.expires)
        )

    def drop(self, secret_hash: str) -> None:
        self.tx.execute(delete(a.access_sessions).where(a.access_sessions.c.secret_hash == secret_hash))

    def drop_expired(self, now: datetime) -> int:
        sessions = a.access_sessions
        return int(self.tx.execute(delete(sessions).where(sessions.c.expires <= _utc(now))).rowcount or 0)


class SqlIdempotencyKeys:
    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    def claim(self, response: KeyedResponse) -> KeyedResponse | None:
        row = {
            "principal": response.principal,
            "key": response.key,
            "fingerprint": response.fingerprint,
            "status": response.status,
            "body": response.body,
            "media_type": response.media_type,
            "created": _utc(response.created),
        }
        if _insert_new(self.tx, a.access_idempotency, row):
            return None
        keys = a.access_idempotency
        found = self.tx.execute(
            select(keys).where(keys.c.principal == response.principal, keys.c.key == response.key)
        ).one()
        return KeyedResponse(
            found.principal,
            found.key,
            found.fingerprint,
            found.status,
            bytes(found.body),
            found.media_type,
            _aware(found.created),
        )

    def complete(self, principal: str, key: str, status: int, body: bytes, media_type: str) -> None:
        keys = a.access_idempotency
        query = update(keys).where(keys.c.principal == principal, keys.c.key == key)
        self.tx.execute(query.values(status=status, body=body, media_type=media_type))

    def release(self, principal: str, key: str) -> None:
        keys = a.access_idempotency
        self.tx.execute(delete(keys).where(keys.c.principal == principal, keys.c.key == key))


def _stamp() -> list[Any]:
    """The ledger stamp of the account ``:account_id`` as three scalar subqueries (counts of append-only rows)."""
    tables = (t.documents, tables_receivables.ledger_entries, tables_receivables.ledger_allocations)
    return [
        select(func.count())
        .select_from(table)
        .where(table.c.account_id == bindparam("account_id"))
        .scalar_subquery()
        .label(name)
        for table, name in zip(tables, ("stamp_documents", "stamp_entries", "stamp_allocations"), strict=True)
    ]


_STAMP = select(*_stamp())


def _summary(row: Any) -> DocumentSummary:
    # unpacked by position (``_DOCUMENT_COLUMNS``, then the stamp when listed by account): see ``_usage``
    number, kind, account, buyer, period, out_of_scope, issue, due, start, end, communication, preceding = row[:12]
    net, vat, gross = row[12:15]
    stamp = (int(row[15]), int(row[16]), int(row[17])) if "stamp_documents" in row._fields else None
    return DocumentSummary(
        number, DocumentType(kind), account, buyer["name"], period, out_of_scope, issue, due, start, end,
        communication, preceding, f"{net:.2f}", f"{vat:.2f}", f"{gross:.2f}", stamp,
    )  # fmt: skip


_DOCUMENT_COLUMNS = (
    t.documents.c.number,
    t.documents.c.type,
    t.documents.c.account_id,
    t.documents.c.buyer,
    t.documents.c.period,
    t.documents.c.out_of_scope,
    t.documents.c.issue_date,
    t.documents.c.due_date,
    t.documents.c.billing_start,
    t.documents.c.billing_end,
    t.documents.c.structured_communication,
    t.documents.c.preceding_number,
    t.documents.c.total_net,
    t.documents.c.total_vat,
    t.documents.c.total_gross,
)


_USAGE_COLUMNS = tuple(
    tables_usage.usage_records.c[name]
    for name in ("record_id", "account_id", "subscription_id", "subscriber", "start_us", "service", "country",
                 "destination", "quantity", "period_start", "period_end", "billed_document", "tariff", "amount",
                 "charged_units", "included_units")
)  # fmt: skip


def _usage(row: Any) -> UsageSummary:
    # unpacked by position: a row's named attributes cost more than the rest of its conversion
    record, account, subscription, subscriber, start_us, service, country, destination, quantity = row[:9]
    period_start, period_end, billed, tariff, amount, charged, included = row[9:16]
    return UsageSummary(
        record, account, subscription, subscriber, EPOCH + timedelta(microseconds=start_us), service, country,
        destination, quantity, period_start, period_end, billed, tariff, None if amount is None else f"{amount:.2f}",
        charged, included,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Listing:
    """A listing's statement, built once with bind parameters (``page_offset``, ``page_limit`` and its filters'):
    SQLAlchemy keeps a statement object's cache key, so a request neither builds nor keys its SQL again."""

    paged: Select[Any]  # the page, each row with the total (``count(*) OVER ()``)
    count: Select[Any]  # the total alone, for a page past the end

    @classmethod
    def of(cls, query: Select[Any]) -> _Listing:
        counted = query.add_columns(func.count().over().label("total_rows"))
        paged = counted.offset(bindparam("page_offset")).limit(bindparam("page_limit"))
        return cls(paged, select(func.count()).select_from(query.order_by(None).subquery()))


@cache
def _documents_listing(by_account: bool, by_type: bool, by_period: bool) -> _Listing:
    docs = t.documents
    query = select(*_DOCUMENT_COLUMNS).order_by(docs.c.issue_date.desc(), docs.c.number.desc())
    if by_account:
        query = query.where(docs.c.account_id == bindparam("account_id")).add_columns(*_stamp())
    if by_type:
        query = query.where(docs.c.type == bindparam("type"))
    if by_period:
        query = query.where(docs.c.period == bindparam("period"))
    return _Listing.of(query)


@cache
def _usage_listing(by_record: bool, by_account: bool, by_subscription: bool, by_period: bool) -> _Listing:
    c = tables_usage.usage_records.c
    query = select(*_USAGE_COLUMNS).order_by(c.start_us.desc(), c.record_id.desc())
    for wanted, column in ((by_record, c.record_id), (by_account, c.account_id),
                           (by_subscription, c.subscription_id), (by_period, c.period_start)):  # fmt: skip
        if wanted:
            query = query.where(column == bindparam(column.name))
    return _Listing.of(query)


def _unposted() -> Select[Any]:
    """The documents of the account ``:account_id`` that no ledger entry holds yet, in issue order."""
    docs, lines, entries = t.documents, t.document_lines, tables_receivables.ledger_entries
    compensation = exists().where(
        lines.c.document_number == docs.c.number, lines.c.kind == ChargeKind.COMPENSATION.value
    )
    return (
        select(
            docs.c.number,
            docs.c.type,
            docs.c.issue_date,
            docs.c.total_gross,
            docs.c.due_date,
            docs.c.structured_communication,
            docs.c.preceding_number,
            docs.c.out_of_scope,
            compensation.label("compensation"),
        )
        .outerjoin(entries, entries.c.id == docs.c.number)
        .where(entries.c.id.is_(None), docs.c.account_id == bindparam("account_id"))
        .order_by(docs.c.issue_date, docs.c.number)
    )


_UNPOSTED = _unposted()  # built once: see ``_Listing``


class SqlListings:
    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    def _page(self, query: Select[Any], page: PageRequest) -> tuple[list[Any], int]:
        """The page and the total in one statement (``count(*) OVER ()``); a page past the end counts apart."""
        return self._listed(_Listing.of(query), {}, page)

    def _listed(self, listing: _Listing, values: dict[str, Any], page: PageRequest) -> tuple[list[Any], int]:
        """``_page`` of a listing built once (``_Listing``), with the values of its bind parameters."""
        self.tx.flush()
        rows = list(self.tx.execute(listing.paged, [{**values, "page_offset": page.offset, "page_limit": page.limit}]))
        if rows:
            return rows, int(rows[-1][-1])
        return rows, int(self.tx.execute(listing.count, [values]).scalar_one())

    def accounts(self, page: PageRequest, catalog_id: str | None = None) -> Page[AccountSummary]:
        acc = t.accounts
        query = select(
            acc.c.id,
            acc.c.name,
            acc.c.segment,
            acc.c.catalog_id,
            acc.c.city,
            acc.c.postcode,
            acc.c.email,
            acc.c.enterprise_number,
        ).order_by(acc.c.id)
        if catalog_id is not None:
            query = query.where(acc.c.catalog_id == catalog_id)
        rows, total = self._page(query, page)
        items = tuple(AccountSummary(*row[:8]) for row in rows)
        return Page(items, total, page.offset, page.limit)

    def documents(self, page: PageRequest, where: DocumentFilter) -> Page[DocumentSummary]:
        values = {"account_id": where.account_id, "type": where.type.value if where.type else None,
                  "period": where.period}  # fmt: skip
        listing = _documents_listing(*(value is not None for value in values.values()))
        rows, total = self._listed(listing, {k: v for k, v in values.items() if v is not None}, page)
        return Page(tuple(_summary(row) for row in rows), total, page.offset, page.limit)

    def document(self, number: str) -> DocumentSummary:
        self.tx.flush()
        row = self.tx.execute(select(*_DOCUMENT_COLUMNS).where(t.documents.c.number == number)).first()
        if row is None:
            raise _missing("document", number)
        return _summary(row)

    def subscription_ids(self, page: PageRequest, account_id: str | None = None) -> Page[tuple[str, str]]:
        subs = t.subscriptions
        query = select(subs.c.id, subs.c.account_id).order_by(subs.c.id)
        if account_id is not None:
            query = query.where(subs.c.account_id == account_id)
        rows, total = self._page(query, page)
        return Page(tuple((row.id, row.account_id) for row in rows), total, page.offset, page.limit)

    def usage(self, page: PageRequest, where: UsageFilter) -> Page[UsageSummary]:
        values = {"record_id": where.record_id, "account_id": where.account_id,
                  "subscription_id": where.subscription_id, "period_start": where.period_start}  # fmt: skip
        listing = _usage_listing(*(value is not None for value in values.values()))
        rows, total = self._listed(listing, {k: v for k, v in values.items() if v is not None}, page)
        return Page(tuple(_usage(row) for row in rows), total, page.offset, page.limit)

    def unposted_facts(self, account_id: str) -> list[DocumentFacts]:
        self.tx.flush()
        return [
            DocumentFacts(
                row.number,
                DocumentType(row.type),
                row.issue_date,
                Money(row.total_gross),
                row.due_date,
                row.structured_communication,
                row.preceding_number,
                bool(row.out_of_scope),
                bool(row.compensation),
            )
            for row in self.tx.execute(_UNPOSTED, [{"account_id": account_id}])
        ]

    def ledger_stamp(self, account_id: str) -> tuple[int, int, int]:
        self.tx.flush()
        row = self.tx.execute(_STAMP, [{"account_id": account_id}]).one()
        return (int(row[0]), int(row[1]), int(row[2]))

    def pending_charges(self, account_id: str) -> list[tuple[str, str, date, str, str | None]]:
        charges = t.pending_charges
        query = (
            select(charges.c.id, charges.c.order_code, charges.c.day, charges.c.reason, charges.c.billed_document)
            .where(charges.c.account_id == account_id)
            .order_by(charges.c.day, charges.c.id)
        )
        self.tx.flush()
        return [(row[0], row[1], row[2], row[3], row[4]) for row in self.tx.execute(query)]


def _job(row: Any) -> BillRunJob:
    return BillRunJob(
        row.id,
        row.period,
        row.issue_date,
        JobState(row.state),
        _aware(row.started),
        _aware(row.updated),
        row.accounts_done,
        row.accounts,
        _aware(row.finished) if row.finished else None,
        row.invoices,
        row.credit_notes,
        tuple(row.documents),
        Money(row.total_signed_gross),
        row.error,
    )


class SqlBillRunRecords:
    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    def save(self, job: BillRunJob) -> None:
        runs = a.access_bill_runs
        values = {
            "period": job.period,
            "issue_date": job.issue_date,
            "state": job.state.value,
            "started": _utc(job.started),
            "updated": _utc(job.updated),
            "finished": _utc(job.finished) if job.finished else None,
            "accounts": job.accounts,
            "accounts_done": job.accounts_done,
            "invoices": job.invoices,
            "credit_notes": job.credit_notes,
            "documents": list(job.documents),
            "total_signed_gross": job.total_signed_gross.amount,
            "error": job.error,
        }
        if self.tx.execute(update(runs).where(runs.c.id == job.id).values(values)).rowcount == 0:
            self.tx.execute(runs.insert().values(id=job.id, **values))

    def get(self, job_id: str) -> BillRunJob:
        row = self.tx.execute(select(a.access_bill_runs).where(a.access_bill_runs.c.id == job_id)).first()
        if row is None:
            raise TelbillError("billrun.not_found", f"no bill run {job_id}", ErrorKind.NOT_FOUND)
        return _job(row)

    def of_period(self, period: str) -> list[BillRunJob]:
        runs = a.access_bill_runs
        return [_job(row) for row in self.tx.execute(select(runs).where(runs.c.period == period))]

    def recent(self, limit: int) -> list[BillRunJob]:
        runs = a.access_bill_runs
        query = select(runs).order_by(runs.c.started.desc(), runs.c.id.desc()).limit(limit)
        return [_job(row) for row in self.tx.execute(query)]


class SqlAccess:
    """The access repositories of one transaction, attached to ``SqlUnitOfWork`` (``uow.py``)."""

    def __init__(self, tx: Transaction) -> None:
        self.identities = SqlIdentities(tx)
        self.sessions = SqlSessions(tx)
        self.idempotency = SqlIdempotencyKeys(tx)
        self.listings = SqlListings(tx)
        self.bill_run_jobs = SqlBillRunRecords(tx)


__all__ = ["SqlAccess", "SqlBillRunRecords", "SqlIdempotencyKeys", "SqlIdentities", "SqlListings", "SqlSessions"]
