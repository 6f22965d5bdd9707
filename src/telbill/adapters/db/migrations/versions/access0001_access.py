"""Access: staff members, API tokens (hashed), customer logins (argon2), sessions, idempotency keys.
Declared in ``adapters/db/tables_access.py``.

Revision ID: access0001
Revises: r0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "access0001"
down_revision = "r0001"
branch_labels = ("access",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "access_staff",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.Text()),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_access_staff"),
        sa.UniqueConstraint("email", name="uq_access_staff_email"),
    )
    op.create_table(
        "access_api_tokens",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("staff_id", sa.String(64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["access_staff.id"], name="fk_access_api_tokens_staff_id_access_staff"),
        sa.PrimaryKeyConstraint("id", name="pk_access_api_tokens"),
    )
    op.create_index("ix_access_api_tokens_staff_id", "access_api_tokens", ["staff_id"])
    op.create_table(
        "access_customer_logins",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("language", sa.String(2)),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name="fk_access_customer_logins_account_id_accounts"),
        sa.PrimaryKeyConstraint("id", name="pk_access_customer_logins"),
        sa.UniqueConstraint("email", name="uq_access_customer_logins_email"),
    )
    op.create_index("ix_access_customer_logins_account_id", "access_customer_logins", ["account_id"])
    op.create_table(
        "access_sessions",
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("subject_id", sa.String(64), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("expires", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("secret_hash", name="pk_access_sessions"),
    )
    op.create_index("ix_access_sessions_expires", "access_sessions", ["expires"])
    op.create_table(
        "access_idempotency",
        sa.Column("principal", sa.String(64), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("media_type", sa.String(64), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("principal", "key", name="pk_access_idempotency"),
    )


def downgrade() -> None:
    for table in (
        "access_idempotency",
        "access_sessions",
        "access_customer_logins",
        "access_api_tokens",
        "access_staff",
    ):
        op.drop_table(table)
