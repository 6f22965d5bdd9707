"""The first schema: accounts, subscriptions, pending charges, issued documents, bill runs, number series.

Issued documents and their lines are append-only: triggers refuse UPDATE and DELETE on both tables with
the message ``telbill.document_immutable`` (a correction is a new document, never an edit).

Revision ID: r0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r0001"
down_revision = None
branch_labels = None
depends_on = None

IMMUTABLE = ("documents", "document_lines")
REFUSAL = "telbill.document_immutable: issued documents are never changed; correct them with a new document"


def _money(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.Numeric(14, 2), nullable=nullable)


def _fine(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.Numeric(15, 6), nullable=nullable)


def upgrade() -> None:
    _accounts()
    _subscriptions()
    _documents()
    _billing()
    _refuse_changes_of_issued_documents()


def _accounts() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("segment", sa.String(16), nullable=False),
        sa.Column("catalog_id", sa.String(64), nullable=False),
        sa.Column("billing_day", sa.Integer(), nullable=False),
        sa.Column("payment_method", sa.String(16), nullable=False),
        sa.Column("payment_terms_days", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("street", sa.Text(), nullable=False),
        sa.Column("postcode", sa.String(16), nullable=False),
        sa.Column("city", sa.Text(), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("vat_number", sa.String(16)),
        sa.Column("enterprise_number", sa.String(10)),
        sa.Column("email", sa.Text()),
        sa.Column("mandate_reference", sa.String(35)),
        sa.Column("mandate_signed", sa.Date()),
        sa.Column("mandate_iban", sa.String(34)),
        sa.Column("mandate_bic", sa.String(11)),
        sa.Column("mandate_sequence", sa.String(4)),
        sa.PrimaryKeyConstraint("id", name="pk_accounts"),
    )


def _subscriptions() -> None:
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("plan_code", sa.String(64), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("numbers", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name="fk_subscriptions_account_id_accounts"),
        sa.PrimaryKeyConstraint("id", name="pk_subscriptions"),
    )
    op.create_index("ix_subscriptions_account_id", "subscriptions", ["account_id"])
    op.create_table(
        "subscription_events",
        sa.Column("subscription_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("item_code", sa.String(64)),
        sa.ForeignKeyConstraint(
            ["subscription_id"], ["subscriptions.id"], name="fk_subscription_events_subscription_id_subscriptions"
        ),
        sa.PrimaryKeyConstraint("subscription_id", "seq", name="pk_subscription_events"),
    )


def _documents() -> None:
    op.create_table(
        "documents",
        sa.Column("number", sa.String(32), nullable=False),
        sa.Column("type", sa.String(3), nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("out_of_scope", sa.Boolean(), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date()),
        sa.Column("billing_start", sa.Date()),
        sa.Column("billing_end", sa.Date()),
        sa.Column("structured_communication", sa.String(12)),
        sa.Column("preceding_number", sa.String(32)),
        sa.Column("preceding_issue_date", sa.Date()),
        sa.Column("buyer_reference", sa.String(64), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("seller", sa.JSON(), nullable=False),
        sa.Column("buyer", sa.JSON(), nullable=False),
        _money("total_net"),
        _money("total_vat"),
        _money("total_gross"),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name="fk_documents_account_id_accounts"),
        sa.PrimaryKeyConstraint("number", name="pk_documents"),
    )
    op.create_index("ix_documents_account", "documents", ["account_id", "type", "issue_date", "number"])
    op.create_table(
        "document_lines",
        sa.Column("document_number", sa.String(32), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("item_code", sa.String(64), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        _fine("quantity"),
        sa.Column("unit_code", sa.String(3), nullable=False),
        _fine("unit_price"),
        _money("net"),
        sa.Column("vat_category", sa.String(1), nullable=False),
        _fine("vat_rate"),
        sa.Column("vat_exemption", sa.String(32)),
        sa.Column("service_start", sa.Date()),
        sa.Column("service_end", sa.Date()),
        sa.Column("provenance", sa.JSON(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("subscription_id", sa.String(64)),
        sa.Column("source_id", sa.String(128)),
        sa.Column("period_start", sa.Date()),
        _money("signed_net"),
        sa.ForeignKeyConstraint(
            ["document_number"], ["documents.number"], name="fk_document_lines_document_number_documents"
        ),
        sa.PrimaryKeyConstraint("document_number", "line_no", name="pk_document_lines"),
    )
    op.create_index("ix_document_lines_account", "document_lines", ["account_id", "kind"])


def _billing() -> None:
    op.create_table(
        "pending_charges",
        sa.Column("id", sa.String(128), nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("subscription_id", sa.String(64)),
        sa.Column("order_code", sa.String(64), nullable=False),
        _fine("order_quantity", nullable=True),
        sa.Column("order_params", sa.JSON(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("billed_document", sa.String(32)),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name="fk_pending_charges_account_id_accounts"),
        sa.ForeignKeyConstraint(
            ["billed_document"], ["documents.number"], name="fk_pending_charges_billed_document_documents"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_pending_charges"),
    )
    op.create_index("ix_pending_charges_account", "pending_charges", ["account_id", "day"])
    op.create_table(
        "billed_accounts",
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name="fk_billed_accounts_account_id_accounts"),
        sa.PrimaryKeyConstraint("account_id", "period", name="pk_billed_accounts"),
    )
    op.create_table(
        "number_series",
        sa.Column("series", sa.String(16), nullable=False),
        sa.Column("next_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("series", name="pk_number_series"),
    )


def _refuse_changes_of_issued_documents() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION telbill_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"RAISE EXCEPTION '{REFUSAL} (% on %)', TG_OP, TG_TABLE_NAME USING ERRCODE = 'restrict_violation'; "
            "END $$"
        )
        for table in IMMUTABLE:
            op.execute(
                f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION telbill_refuse_change()"
            )
        return
    for table in IMMUTABLE:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_immutable_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in IMMUTABLE:
            op.execute(f"DROP TRIGGER {table}_immutable ON {table}")
        op.execute("DROP FUNCTION telbill_refuse_change()")
    for table in ("number_series", "billed_accounts", "pending_charges", "document_lines", "documents"):
        op.drop_table(table)
    for table in ("subscription_events", "subscriptions", "accounts"):
        op.drop_table(table)
