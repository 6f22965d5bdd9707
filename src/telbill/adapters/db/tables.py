"""The schema, as SQLAlchemy Core tables portable between SQLite and PostgreSQL.

Decisions:
- Money is ``Numeric(14, 2)``, quantities and unit prices ``Numeric(15, 6)``, through ``Exact``: a value
  with more digits than the column holds is refused rather than rounded (PostgreSQL would round, SQLite
  would keep a float). SQLite stores NUMERIC as an 8-byte float, which holds any decimal of up to 15
  significant digits exactly, hence 15 and not 18 digits for unit prices.
- Dates are ``Date``; enumerations are stored by their value (``380``, ``S``, ``recurring``) as text.
- Snapshots that are read whole and never queried (seller, buyer, provenance, order parameters) are JSON;
  everything a query filters or sorts on is a column of its own, and document totals are stored for
  queries although the document always recomputes them from its lines.
- Issued documents and their lines are append-only: triggers refuse UPDATE and DELETE (migration 0001).
- ``billed_accounts`` is the ground truth that an account was billed for a period (primary key).
"""

from __future__ import annotations

import importlib
import pkgutil
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    TypeDecorator,
)

from telbill.core.errors import TelbillError


class Exact(TypeDecorator[Decimal]):
    """``Numeric(precision, scale)`` that refuses to round: a value must fit the column as it is."""

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int, scale: int) -> None:
        super().__init__(precision=precision, scale=scale, asdecimal=True)
        self.precision = precision  # part of the statement cache key (cache_ok)
        self.scale = scale
        self.quantum = Decimal(1).scaleb(-scale)
        self.limit = Decimal(10) ** (precision - scale)

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, Decimal) or not value.is_finite():
            raise TelbillError("db.decimal_type", f"{value!r} is not a finite Decimal")
        if abs(value) >= self.limit:
            raise TelbillError("db.decimal_range", f"{value} does not fit below {self.limit}")
        if value != value.quantize(self.quantum):
            raise TelbillError("db.decimal_scale", f"{value} has digits below {self.quantum}")
        return value


def money() -> Exact:
    return Exact(14, 2)


def fine() -> Exact:
    """Quantities, unit prices, rates: up to 6 decimals (0.0850 per minute)."""
    return Exact(15, 6)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

accounts = Table(
    "accounts",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("segment", String(16), nullable=False),
    Column("catalog_id", String(64), nullable=False),
    Column("billing_day", Integer, nullable=False),
    Column("payment_method", String(16), nullable=False),
    Column("payment_terms_days", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("street", Text, nullable=False),
    Column("postcode", String(16), nullable=False),
    Column("city", Text, nullable=False),
    Column("country", String(2), nullable=False),
    Column("language", String(2), nullable=False),
    Column("vat_number", String(16)),
    Column("enterprise_number", String(10)),
    Column("email", Text),
    Column("mandate_reference", String(35)),
    Column("mandate_signed", Date),
    Column("mandate_iban", String(34)),
    Column("mandate_bic", String(11)),
    Column("mandate_sequence", String(4)),
)

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("account_id", String(64), ForeignKey("accounts.id"), nullable=False, index=True),
    Column("plan_code", String(64), nullable=False),
    Column("options", JSON, nullable=False),  # item codes as ordered
    Column("numbers", JSON, nullable=False),  # E.164 numbers
)

subscription_events = Table(
    "subscription_events",
    metadata,
    Column("subscription_id", String(64), ForeignKey("subscriptions.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),  # 1-based position in the event log
    Column("kind", String(32), nullable=False),
    Column("day", Date, nullable=False),
    Column("item_code", String(64)),
)

documents = Table(
    "documents",
    metadata,
    Column("number", String(32), primary_key=True),
    Column("type", String(3), nullable=False),
    Column("account_id", String(64), ForeignKey("accounts.id"), nullable=False),
    Column("period", String(7), nullable=False),
    Column("out_of_scope", Boolean, nullable=False),
    Column("issue_date", Date, nullable=False),
    Column("due_date", Date),
    Column("billing_start", Date),
    Column("billing_end", Date),
    Column("structured_communication", String(12)),
    Column("preceding_number", String(32)),
    Column("preceding_issue_date", Date),
    Column("buyer_reference", String(64), nullable=False),
    Column("note", Text),
    Column("currency", String(3), nullable=False),
    Column("seller", JSON, nullable=False),
    Column("buyer", JSON, nullable=False),
    Column("total_net", money(), nullable=False),
    Column("total_vat", money(), nullable=False),
    Column("total_gross", money(), nullable=False),
    Index("ix_documents_account", "account_id", "type", "issue_date", "number"),
)

document_lines = Table(
    "document_lines",
    metadata,
    Column("document_number", String(32), ForeignKey("documents.number"), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("account_id", String(64), nullable=False),  # the document's, copied: the ledger reads lines by account
    Column("item_code", String(64), nullable=False),
    Column("label", Text, nullable=False),
    Column("quantity", fine(), nullable=False),
    Column("unit_code", String(3), nullable=False),
    Column("unit_price", fine(), nullable=False),
    Column("net", money(), nullable=False),
    Column("vat_category", String(1), nullable=False),
    Column("vat_rate", fine(), nullable=False),
    Column("vat_exemption", String(32)),
    Column("service_start", Date),
    Column("service_end", Date),
    Column("provenance", JSON, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("subscription_id", String(64)),
    Column("source_id", String(128)),
    Column("period_start", Date),
    Column("signed_net", money(), nullable=False),
    Index("ix_document_lines_account", "account_id", "kind"),
)

pending_charges = Table(
    "pending_charges",
    metadata,
    Column("id", String(128), primary_key=True),
    Column("account_id", String(64), ForeignKey("accounts.id"), nullable=False),
    Column("subscription_id", String(64)),
    Column("order_code", String(64), nullable=False),
    Column("order_quantity", fine()),
    Column("order_params", JSON, nullable=False),  # [[name, value], ...] in order
    Column("day", Date, nullable=False),
    Column("reason", Text, nullable=False),
    Column("billed_document", String(32), ForeignKey("documents.number")),
    Index("ix_pending_charges_account", "account_id", "day"),
)

billed_accounts = Table(
    "billed_accounts",
    metadata,
    # account first: the bill run asks "which of these accounts are billed for the period?"
    Column("account_id", String(64), ForeignKey("accounts.id"), primary_key=True),
    Column("period", String(7), primary_key=True),
)

number_series = Table(
    "number_series",
    metadata,
    Column("series", String(16), primary_key=True),
    Column("next_value", Integer, nullable=False),
)

IMMUTABLE_TABLES = ("documents", "document_lines")


def every_table() -> MetaData:
    """``metadata`` with the tables of every domain: those above, and those of each ``tables_<domain>``
    module of this package, which declares its own on this same ``metadata`` when imported (each domain's
    migrations are a branch of their own; see ``migrations``)."""
    package = importlib.import_module(__package__ or "telbill.adapters.db")
    for module in pkgutil.iter_modules(package.__path__):
        if module.name.startswith("tables_"):
            importlib.import_module(f"{package.__name__}.{module.name}")
    return metadata
