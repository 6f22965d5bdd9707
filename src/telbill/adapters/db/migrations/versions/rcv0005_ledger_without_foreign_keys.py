"""Receivables: the append-only ledger tables lose their two foreign keys (docs/adr/0005).

``ledger_entries.account_id → accounts`` and ``ledger_allocations.posting → ledger_entries``: PostgreSQL checks
a foreign key with a trigger and a row lock per inserted row, which cost more than the rows themselves (a
100,000-line statement import: COPY of the entries 1.5 → 1.0 s, of the allocations 2.3 → 0.8 s). The store
writes both tables only from postings the core built on ledgers it loaded, in one flush, entry before
allocation; the contract tests check what the keys checked.

Revision ID: rcv0005
Revises: rcv0004
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "rcv0005"
down_revision = "rcv0004"
branch_labels = None
depends_on = None

_KEYS = (
    ("ledger_allocations", "fk_ledger_allocations_posting_ledger_entries", ["posting"], "ledger_entries", ["id"]),
    ("ledger_entries", "fk_ledger_entries_account_id_accounts", ["account_id"], "accounts", ["id"]),
)


def upgrade() -> None:
    for table, name, *_ in _KEYS:
        with op.batch_alter_table(table) as batch:  # SQLite: the table is copied without the key
            batch.drop_constraint(name, type_="foreignkey")


def downgrade() -> None:
    for table, name, columns, target, target_columns in reversed(_KEYS):
        with op.batch_alter_table(table) as batch:
            batch.create_foreign_key(name, target, columns, target_columns)
