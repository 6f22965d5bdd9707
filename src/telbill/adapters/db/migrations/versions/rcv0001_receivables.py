"""Receivables: account ledgers (entries, allocations), dunning actions, bank statements, the review queue,
SEPA direct debit collections. Declared in ``adapters/db/tables_receivables.py``.

Revision ID: rcv0001
Revises: r0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "rcv0001"
down_revision = "r0001"
branch_labels = ("receivables",)
depends_on = None

ENTRY_ID = 200


def _money(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.Numeric(14, 2), nullable=nullable)


def _account(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name=f"fk_{table}_account_id_accounts")


def upgrade() -> None:
    op.create_index("ix_documents_communication", "documents", ["structured_communication"])
    _ledger()
    _dunning()
    _statements()
    _collections()


def _ledger() -> None:
    op.create_table(
        "ledger_entries",
        sa.Column("id", sa.String(ENTRY_ID), nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        _money("amount"),
        sa.Column("due_date", sa.Date()),
        sa.Column("communication", sa.String(12)),
        sa.Column("reference", sa.String(ENTRY_ID)),
        _account("ledger_entries"),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_entries"),
    )
    op.create_index("ix_ledger_entries_account", "ledger_entries", ["account_id", "day"])
    op.create_table(
        "ledger_allocations",
        sa.Column("posting", sa.String(ENTRY_ID), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("credit_id", sa.String(ENTRY_ID), nullable=False),
        sa.Column("debit_id", sa.String(ENTRY_ID), nullable=False),
        _money("amount"),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["posting"], ["ledger_entries.id"], name="fk_ledger_allocations_posting_ledger_entries"
        ),
        sa.PrimaryKeyConstraint("posting", "n", name="pk_ledger_allocations"),
    )
    op.create_index("ix_ledger_allocations_account", "ledger_allocations", ["account_id"])


def _dunning() -> None:
    op.create_table(
        "dunning_actions",
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("step", sa.Integer()),
        sa.Column("subscriptions", sa.JSON(), nullable=False),
        _account("dunning_actions"),
        sa.PrimaryKeyConstraint("account_id", "seq", name="pk_dunning_actions"),
    )


def _statements() -> None:
    op.create_table(
        "bank_statements",
        sa.Column("id", sa.String(ENTRY_ID), nullable=False),
        sa.Column("account", sa.String(40), nullable=False),
        sa.Column("number", sa.String(35), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        _money("opening"),
        _money("closing"),
        sa.Column("line_count", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_bank_statements"),
    )
    op.create_table(
        "review_lines",
        sa.Column("line_id", sa.String(ENTRY_ID), nullable=False),
        sa.Column("booked", sa.Date(), nullable=False),
        _money("amount"),
        sa.Column("communication", sa.Text(), nullable=False),
        sa.Column("structured", sa.String(12)),
        sa.Column("counterparty_name", sa.Text()),
        sa.Column("counterparty_account", sa.String(40)),
        sa.Column("end_to_end", sa.String(40)),
        sa.Column("return_reason", sa.String(4)),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("suggestions", sa.JSON(), nullable=False),
        sa.Column("resolution", sa.Text()),
        sa.PrimaryKeyConstraint("line_id", name="pk_review_lines"),
    )


def _collections() -> None:
    op.create_table(
        "sepa_collections",
        sa.Column("end_to_end", sa.String(35), nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("document", sa.String(32), nullable=False),
        sa.Column("communication", sa.String(12)),
        _money("amount"),
        sa.Column("mandate", sa.String(35), nullable=False),
        sa.Column("mandate_signed", sa.Date(), nullable=False),
        sa.Column("iban", sa.String(34), nullable=False),
        sa.Column("bic", sa.String(11)),
        sa.Column("debtor", sa.Text(), nullable=False),
        sa.Column("sequence", sa.String(4), nullable=False),
        sa.Column("collection_date", sa.Date(), nullable=False),
        sa.Column("message_id", sa.String(35), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("payment", sa.String(ENTRY_ID)),
        _account("sepa_collections"),
        sa.PrimaryKeyConstraint("end_to_end", name="pk_sepa_collections"),
    )
    op.create_index("ix_sepa_collections_account", "sepa_collections", ["account_id"])


def downgrade() -> None:
    op.drop_index("ix_sepa_collections_account", table_name="sepa_collections")
    op.drop_table("sepa_collections")
    op.drop_table("review_lines")
    op.drop_table("bank_statements")
    op.drop_table("dunning_actions")
    op.drop_index("ix_ledger_allocations_account", table_name="ledger_allocations")
    op.drop_table("ledger_allocations")
    op.drop_index("ix_ledger_entries_account", table_name="ledger_entries")
    op.drop_table("ledger_entries")
    op.drop_index("ix_documents_communication", table_name="documents")
