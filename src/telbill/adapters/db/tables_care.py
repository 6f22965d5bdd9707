"""The service-assurance tables (migration ``care0001``, branch ``care``), on the MetaData of ``tables.py``.

Decisions:
- Instants are ``DateTime`` without zone holding **UTC** (the core's instants are aware; ``rows_care.py``
  converts both ways), so SQLite and PostgreSQL store and compare them alike.
- A ticket's log is rewritten whole on save (a pause reported afterwards is merged into it, not appended);
  the registration instant is copied to the ticket row, because outages look tickets up by it.
- A compensation credit's id is ``<ticket>:<clause>``: recording it twice is refused by the primary key; it
  carries its provenance (the clock readings, the tier, the statement) and, once credited, the document.
- An intervention report is a snapshot read whole (JSON); its charges are pending charges of the bill run.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, Date, DateTime, ForeignKey, Index, Integer, String, Table, Text

from telbill.adapters.db.tables import metadata, money

care_tickets = Table(
    "care_tickets",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("account_id", String(64), ForeignKey("accounts.id"), nullable=False, index=True),
    Column("subscription_id", String(64), ForeignKey("subscriptions.id"), index=True),
    Column("registered", DateTime(), nullable=False, index=True),
    Column("due", Date),
    Column("numbers", JSON, nullable=False),
    Column("note", Text, nullable=False),
)

care_ticket_events = Table(
    "care_ticket_events",
    metadata,
    Column("ticket_id", String(64), ForeignKey("care_tickets.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),  # 1-based position in the log
    Column("kind", String(32), nullable=False),
    Column("at", DateTime(), nullable=False),
    Column("slot", DateTime()),
    Column("note", Text, nullable=False),
    Column("outage_id", String(64)),
)

care_outages = Table(
    "care_outages",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("area", JSON, nullable=False),  # postcodes
    Column("services", JSON, nullable=False),
    Column("starts_at", DateTime(), nullable=False),
    Column("ends_at", DateTime()),
    Column("description", Text, nullable=False),
)

care_interventions = Table(
    "care_interventions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("account_id", String(64), ForeignKey("accounts.id"), nullable=False),
    Column("subscription_id", String(64)),
    Column("ticket_id", String(64)),
    Column("day", Date, nullable=False),
    Column("report", JSON, nullable=False),
)

care_credits = Table(
    "care_credits",
    metadata,
    Column("id", String(160), primary_key=True),
    Column("account_id", String(64), ForeignKey("accounts.id"), nullable=False),
    Column("subscription_id", String(64)),
    Column("ticket_id", String(64), ForeignKey("care_tickets.id"), nullable=False, index=True),
    Column("clause", String(64), nullable=False),
    Column("label", Text, nullable=False),
    Column("amount", money(), nullable=False),
    Column("day", Date, nullable=False),
    Column("provenance", JSON, nullable=False),
    Column("billed_document", String(32), ForeignKey("documents.number")),
    Index("ix_care_credits_account", "account_id", "day"),
)
