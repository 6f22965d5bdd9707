"""Receivables: the allocations' indexes by debit and by credit (rcv0002) dropped. Ledgers are loaded per
chunk of accounts, and both databases then sum the allocations found by ``ix_ledger_allocations_account``
(PostgreSQL by hash, SQLite by a temporary b-tree): no query reads the two indexes, and every allocation
booked paid for them (a 100,000-line statement import: 0.65 → 0.36 s CPU of SQLite inserts).

Revision ID: rcv0003
Revises: rcv0002
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "rcv0003"
down_revision = "rcv0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_ledger_allocations_credit", table_name="ledger_allocations")
    op.drop_index("ix_ledger_allocations_debit", table_name="ledger_allocations")


def downgrade() -> None:
    op.create_index("ix_ledger_allocations_debit", "ledger_allocations", ["debit_id"])
    op.create_index("ix_ledger_allocations_credit", "ledger_allocations", ["credit_id"])
