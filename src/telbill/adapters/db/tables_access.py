"""The tables of the operator API and the portal (migration ``access0001``, branch ``access``), on the MetaData
of ``tables.py``.

Decisions:
- No secret is stored: API tokens and session cookies as the SHA-256 of their random secret (hex), passwords
  as argon2id hashes (PHC strings). A token's id is public: it finds the row, the hash proves the secret.
- E-mail addresses are stored lower case and unique per kind of identity (staff, customer logins).
- Instants are ``DateTime`` without zone holding UTC, as in ``tables_care.py``.
- An idempotency key is unique per principal; its remembered response (status, body) is replayed to a
  repeated request; status 0 marks a request still running.
- A bill run started from the API is a row updated after every batch (migration ``access0002``), so every
  server process shows its progress.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)

from telbill.adapters.db.tables import metadata, money

access_staff = Table(
    "access_staff",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("password_hash", Text),
    Column("active", Boolean, nullable=False),
)

access_api_tokens = Table(
    "access_api_tokens",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("staff_id", String(64), ForeignKey("access_staff.id"), nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("secret_hash", String(64), nullable=False),
    Column("created", DateTime(), nullable=False),
    Column("revoked", Boolean, nullable=False),
)

access_customer_logins = Table(
    "access_customer_logins",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("account_id", String(64), ForeignKey("accounts.id"), nullable=False, index=True),
    Column("password_hash", Text, nullable=False),
    Column("language", String(2)),
)

access_sessions = Table(
    "access_sessions",
    metadata,
    Column("secret_hash", String(64), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("subject_id", String(64), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created", DateTime(), nullable=False),
    Column("expires", DateTime(), nullable=False),
    Index("ix_access_sessions_expires", "expires"),
)

access_idempotency = Table(
    "access_idempotency",
    metadata,
    Column("principal", String(64), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("status", Integer, nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("media_type", String(64), nullable=False),
    Column("created", DateTime(), nullable=False),
)

access_bill_runs = Table(
    "access_bill_runs",
    metadata,
    Column("id", String(48), primary_key=True),
    Column("period", String(7), nullable=False, index=True),
    Column("issue_date", Date, nullable=False),
    Column("state", String(16), nullable=False),
    Column("started", DateTime(), nullable=False, index=True),
    Column("updated", DateTime(), nullable=False),
    Column("finished", DateTime()),
    Column("accounts", Integer, nullable=False),
    Column("accounts_done", Integer, nullable=False),
    Column("invoices", Integer, nullable=False),
    Column("credit_notes", Integer, nullable=False),
    Column("documents", JSON, nullable=False),  # the numbers issued, in order
    Column("total_signed_gross", money(), nullable=False),
    Column("error", Text),
)
