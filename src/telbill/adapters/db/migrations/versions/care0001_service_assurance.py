"""Service assurance: tickets and their event logs, outages, intervention reports, compensation credits.
Declared in ``adapters/db/tables_care.py``.

Revision ID: care0001
Revises: r0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "care0001"
down_revision = "r0001"
branch_labels = ("care",)
depends_on = None


def _fk(table: str, column: str, target: str, key: str = "id") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.{key}"], name=f"fk_{table}_{column}_{target}")


def upgrade() -> None:
    _tickets()
    _outages_and_interventions()
    _credits()


def _tickets() -> None:
    op.create_table(
        "care_tickets",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("subscription_id", sa.String(64)),
        sa.Column("registered", sa.DateTime(), nullable=False),
        sa.Column("due", sa.Date()),
        sa.Column("numbers", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        _fk("care_tickets", "account_id", "accounts"),
        _fk("care_tickets", "subscription_id", "subscriptions"),
        sa.PrimaryKeyConstraint("id", name="pk_care_tickets"),
    )
    for column in ("account_id", "subscription_id", "registered"):
        op.create_index(f"ix_care_tickets_{column}", "care_tickets", [column])
    op.create_table(
        "care_ticket_events",
        sa.Column("ticket_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("slot", sa.DateTime()),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("outage_id", sa.String(64)),
        _fk("care_ticket_events", "ticket_id", "care_tickets"),
        sa.PrimaryKeyConstraint("ticket_id", "seq", name="pk_care_ticket_events"),
    )


def _outages_and_interventions() -> None:
    op.create_table(
        "care_outages",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("area", sa.JSON(), nullable=False),
        sa.Column("services", sa.JSON(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime()),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_care_outages"),
    )
    op.create_table(
        "care_interventions",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("subscription_id", sa.String(64)),
        sa.Column("ticket_id", sa.String(64)),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        _fk("care_interventions", "account_id", "accounts"),
        sa.PrimaryKeyConstraint("id", name="pk_care_interventions"),
    )


def _credits() -> None:
    op.create_table(
        "care_credits",
        sa.Column("id", sa.String(160), nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("subscription_id", sa.String(64)),
        sa.Column("ticket_id", sa.String(64), nullable=False),
        sa.Column("clause", sa.String(64), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("amount", sa.Numeric(14, 2), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("provenance", sa.JSON(), nullable=False),
        sa.Column("billed_document", sa.String(32)),
        _fk("care_credits", "account_id", "accounts"),
        _fk("care_credits", "ticket_id", "care_tickets"),
        _fk("care_credits", "billed_document", "documents", "number"),
        sa.PrimaryKeyConstraint("id", name="pk_care_credits"),
    )
    op.create_index("ix_care_credits_account", "care_credits", ["account_id", "day"])
    op.create_index("ix_care_credits_ticket_id", "care_credits", ["ticket_id"])


def downgrade() -> None:
    for table in ("care_credits", "care_interventions", "care_outages", "care_ticket_events", "care_tickets"):
        op.drop_table(table)
