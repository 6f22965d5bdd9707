"""Receivables: allocations looked up by the debit and the credit they join, so that a ledger is loaded
carried forward (what is still open) without reading the account's whole history.

Revision ID: rcv0002
Revises: rcv0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "rcv0002"
down_revision = "rcv0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_ledger_allocations_debit", "ledger_allocations", ["debit_id"])
    op.create_index("ix_ledger_allocations_credit", "ledger_allocations", ["credit_id"])


def downgrade() -> None:
    op.drop_index("ix_ledger_allocations_credit", table_name="ledger_allocations")
    op.drop_index("ix_ledger_allocations_debit", table_name="ledger_allocations")
