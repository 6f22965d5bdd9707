"""The usage tables (migration ``usage0001``, branch ``usage``), on the MetaData of ``tables.py``.

Decisions:
- A usage record's start is stored as microseconds since the epoch (UTC, ``BigInteger``): exact, portable,
  and the order in which allowances are consumed is a plain ``ORDER BY start_us, record_id``.
- The billing period is stored with the record (``period_start``/``period_end``), decided at import from the
  account's billing day and the record's local date; the bill run asks for records of periods that have
  ended, ``period_end <= issue date``.
- The rating of a billed record (zone, tariff, units, amount) is written with the document that billed it:
  the per-record detail of ``telbill usage detail`` and of the portal. Before billing those columns are empty.
- The quarantine is keyed by a fingerprint of the row and its reason, so a file imported twice quarantines
  nothing twice; the row's fields are kept as read (JSON) for the operator to correct.
"""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Column, Date, ForeignKey, Index, Integer, String, Table, Text

from telbill.adapters.db.tables import metadata, money

usage_records = Table(
    "usage_records",
    metadata,
    Column("record_id", String(128), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("account_id", String(64), ForeignKey("accounts.id"), nullable=False),
    Column("subscription_id", String(64), ForeignKey("subscriptions.id"), nullable=False),
    Column("subscriber", String(16), nullable=False),
    Column("start_us", BigInteger, nullable=False),
    Column("service", String(8), nullable=False),
    Column("country", String(2), nullable=False),
    Column("destination", String(16)),
    Column("quantity", BigInteger, nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("billed_document", String(32), ForeignKey("documents.number")),
    Column("zone", String(64)),
    Column("tariff", String(64)),
    Column("allowance", String(64)),
    Column("rated_units", BigInteger),
    Column("included_units", BigInteger),
    Column("charged_units", BigInteger),
    Column("amount", money()),
    Index("ix_usage_records_account", "account_id", "billed_document", "period_end"),
    Index("ix_usage_records_subscription", "subscription_id", "period_start"),
    Index("ix_usage_records_document", "billed_document"),
)

usage_quarantine = Table(
    "usage_quarantine",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("source", Text, nullable=False),
    Column("row", Integer, nullable=False),
    Column("record_id", String(128)),
    Column("reason", String(32), nullable=False),
    Column("message", Text, nullable=False),
    Column("fields", JSON, nullable=False),  # [[name, value], ...] as read
    Index("ix_usage_quarantine_source", "source", "row"),
)
