"""Receivables: ``ledger_open_items``, what is left of each ledger entry that is not settled or used up.

Why: a use case loads the ledgers it books on carried forward (only what is open). Before, the database summed
every allocation of each account's whole history to find what is open, a cost that grew with the history
(a 100,000-line statement import spent a third of its time there). The table is derived from the ledger, kept
by the store in the transaction that writes entries and allocations (``adapters/db/open_items.py``), and filled
here from the ledgers as they stand: for each entry, its magnitude less the allocations that name it as debit
or as credit (one of the two is always zero), when something is left.

Revision ID: rcv0004
Revises: rcv0003
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "rcv0004"
down_revision = "rcv0003"
branch_labels = None
depends_on = None

ENTRY_ID = 200

# SQLite keeps NUMERIC as a float: what is left is rounded to the cent, and an entry is open from half a cent
_BACKFILL = """
INSERT INTO ledger_open_items (entry_id, account_id, remaining)
SELECT id, account_id, remaining FROM (
  SELECT e.id, e.account_id,
    ROUND(ABS(e.amount) - COALESCE((SELECT SUM(a.amount) FROM ledger_allocations a WHERE a.debit_id = e.id), 0)
      - COALESCE((SELECT SUM(a.amount) FROM ledger_allocations a WHERE a.credit_id = e.id), 0), 2) AS remaining
  FROM ledger_entries e
) open_entries
WHERE remaining > 0.005
"""


def upgrade() -> None:
    op.create_table(
        "ledger_open_items",
        sa.Column("entry_id", sa.String(ENTRY_ID), nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("remaining", sa.Numeric(14, 2), nullable=False),
        sa.PrimaryKeyConstraint("entry_id", name="pk_ledger_open_items"),
    )
    op.create_index("ix_ledger_open_items_account", "ledger_open_items", ["account_id"])
    # the backfill reads allocations by debit and by credit once: temporary indexes keep it linear
    op.create_index("ix_tmp_allocations_debit", "ledger_allocations", ["debit_id"])
    op.create_index("ix_tmp_allocations_credit", "ledger_allocations", ["credit_id"])
    op.execute(_BACKFILL)
    op.drop_index("ix_tmp_allocations_credit", table_name="ledger_allocations")
    op.drop_index("ix_tmp_allocations_debit", table_name="ledger_allocations")


def downgrade() -> None:
    op.drop_index("ix_ledger_open_items_account", table_name="ledger_open_items")
    op.drop_table("ledger_open_items")
