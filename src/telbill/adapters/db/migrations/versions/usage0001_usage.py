"""Usage: imported usage records with their billing period and, once billed, their rating; the quarantine.
Declared in ``adapters/db/tables_usage.py``.

Revision ID: usage0001
Revises: r0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "usage0001"
down_revision = "r0001"
branch_labels = ("usage",)
depends_on = None


def _fk(table: str, column: str, target: str, key: str = "id") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.{key}"], name=f"fk_{table}_{column}_{target}")


def upgrade() -> None:
    op.create_table(
        "usage_records",
        sa.Column("record_id", sa.String(128), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("subscription_id", sa.String(64), nullable=False),
        sa.Column("subscriber", sa.String(16), nullable=False),
        sa.Column("start_us", sa.BigInteger(), nullable=False),
        sa.Column("service", sa.String(8), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("destination", sa.String(16)),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("billed_document", sa.String(32)),
        sa.Column("zone", sa.String(64)),
        sa.Column("tariff", sa.String(64)),
        sa.Column("allowance", sa.String(64)),
        sa.Column("rated_units", sa.BigInteger()),
        sa.Column("included_units", sa.BigInteger()),
        sa.Column("charged_units", sa.BigInteger()),
        sa.Column("amount", sa.Numeric(14, 2)),
        _fk("usage_records", "account_id", "accounts"),
        _fk("usage_records", "subscription_id", "subscriptions"),
        _fk("usage_records", "billed_document", "documents", "number"),
        sa.PrimaryKeyConstraint("record_id", name="pk_usage_records"),
    )
    op.create_index("ix_usage_records_account", "usage_records", ["account_id", "billed_document", "period_end"])
    op.create_index("ix_usage_records_subscription", "usage_records", ["subscription_id", "period_start"])
    op.create_index("ix_usage_records_document", "usage_records", ["billed_document"])
    op.create_table(
        "usage_quarantine",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(128)),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_usage_quarantine"),
    )
    op.create_index("ix_usage_quarantine_source", "usage_quarantine", ["source", "row"])


def downgrade() -> None:
    op.drop_table("usage_quarantine")
    op.drop_index("ix_usage_records_document", "usage_records")
    op.drop_index("ix_usage_records_subscription", "usage_records")
    op.drop_index("ix_usage_records_account", "usage_records")
    op.drop_table("usage_records")
