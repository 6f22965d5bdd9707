"""Access: the bill runs started from the API or the back office, with their progress (``access_bill_runs``).

Revision ID: access0002
Revises: access0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "access0002"
down_revision = "access0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "access_bill_runs",
        sa.Column("id", sa.String(48), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("started", sa.DateTime(), nullable=False),
        sa.Column("updated", sa.DateTime(), nullable=False),
        sa.Column("finished", sa.DateTime()),
        sa.Column("accounts", sa.Integer(), nullable=False),
        sa.Column("accounts_done", sa.Integer(), nullable=False),
        sa.Column("invoices", sa.Integer(), nullable=False),
        sa.Column("credit_notes", sa.Integer(), nullable=False),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("total_signed_gross", sa.Numeric(14, 2), nullable=False),
        sa.Column("error", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_access_bill_runs"),
    )
    op.create_index("ix_access_bill_runs_period", "access_bill_runs", ["period"])
    op.create_index("ix_access_bill_runs_started", "access_bill_runs", ["started"])


def downgrade() -> None:
    op.drop_table("access_bill_runs")
