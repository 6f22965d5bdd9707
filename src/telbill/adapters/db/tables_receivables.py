"""The receivables tables (migration ``rcv0001``, branch ``receivables``), on the MetaData of ``tables.py``.

Decisions:
- ``ledger_entries`` and ``ledger_allocations`` are append-only, like issued documents: an allocation undone
  is a new allocation of the opposite sign. They carry no foreign keys (rcv0005, docs/adr/0005): the store
  writes them only from postings the core built on loaded ledgers, and a key check per row cost more than
  the row on PostgreSQL. An allocation is keyed by the posting that made it (the first
  entry the posting booked) and its position in that posting, so a bulk insert needs no generated key.
- A ledger entry's id is the document number, or the statement line id of a payment: booking one twice
  is refused by the primary key.
- ``bank_statements`` is the ground truth that a statement was imported (importing it again adds nothing);
  ``review_lines`` keeps each line that waits for a person, with the suggestions matching made.
- Payments are matched by structured communication: ``ix_documents_communication`` indexes the documents.
- ``ledger_open_items`` (rcv0004) is derived: for each entry with something left, what is left (an open debit,
  an unused credit). The store keeps it as it writes entries and allocations, in the same transaction
  (``open_items.py``), so loading what is open reads the open entries only, not every account's history summed.
  No foreign key: it is no record of its own, and the entry it names is written first in the same flush.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, Date, ForeignKey, Index, Integer, String, Table, Text

from telbill.adapters.db.tables import documents, metadata, money

ENTRY_ID = 200  # a statement line id: "<account>/<year>/<number>/<movement>.<detail>", or an IBAN and a camt Id

ledger_entries = Table(
    "ledger_entries",
    metadata,
    Column("id", String(ENTRY_ID), primary_key=True),
    Column("account_id", String(64), nullable=False),  # no foreign key (docs/adr/0005), as for ``posting`` below
    Column("kind", String(16), nullable=False),
    Column("day", Date, nullable=False),
    Column("amount", money(), nullable=False),
    Column("due_date", Date),
    Column("communication", String(12)),
    Column("reference", String(ENTRY_ID)),
    Index("ix_ledger_entries_account", "account_id", "day"),
)

ledger_allocations = Table(
    "ledger_allocations",
    metadata,
    Column("posting", String(ENTRY_ID), primary_key=True),
    Column("n", Integer, primary_key=True),
    Column("account_id", String(64), nullable=False),
    Column("credit_id", String(ENTRY_ID), nullable=False),
    Column("debit_id", String(ENTRY_ID), nullable=False),
    Column("amount", money(), nullable=False),
    Column("day", Date, nullable=False),
    # ledgers are loaded per account (the allocations summed per entry by the database); rcv0002's indexes by
    # debit and by credit were read by no query and dropped by rcv0003
    Index("ix_ledger_allocations_account", "account_id"),
)

# a row of the two as a tuple (the store defers thousands: ``BulkInsert.run_tuples``) holds these, in this order
# (the tables' own: tests/adapters/test_bulk.py)
ENTRY_COLUMNS = ("id", "account_id", "kind", "day", "amount", "due_date", "communication", "reference")
ALLOCATION_COLUMNS = ("posting", "n", "account_id", "credit_id", "debit_id", "amount", "day")

ledger_open_items = Table(
    "ledger_open_items",
    metadata,
    Column("entry_id", String(ENTRY_ID), primary_key=True),
    Column("account_id", String(64), nullable=False),
    Column("remaining", money(), nullable=False),  # > 0 and at most the entry's magnitude; a settled entry has no row
    Index("ix_ledger_open_items_account", "account_id"),
)

dunning_actions = Table(
    "dunning_actions",
    metadata,
    Column("account_id", String(64), ForeignKey("accounts.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),  # 1-based, in the order taken
    Column("kind", String(16), nullable=False),
    Column("day", Date, nullable=False),
    Column("step", Integer),
    Column("subscriptions", JSON, nullable=False),
)

bank_statements = Table(
    "bank_statements",
    metadata,
    Column("id", String(ENTRY_ID), primary_key=True),
    Column("account", String(40), nullable=False),
    Column("number", String(35), nullable=False),
    Column("day", Date, nullable=False),
    Column("opening", money(), nullable=False),
    Column("closing", money(), nullable=False),
    Column("line_count", Integer, nullable=False),
    Column("source", Text, nullable=False),
)

review_lines = Table(
    "review_lines",
    metadata,
    Column("line_id", String(ENTRY_ID), primary_key=True),
    Column("booked", Date, nullable=False),
    Column("amount", money(), nullable=False),
    Column("communication", Text, nullable=False),
    Column("structured", String(12)),
    Column("counterparty_name", Text),
    Column("counterparty_account", String(40)),
    Column("end_to_end", String(40)),
    Column("return_reason", String(4)),
    Column("source", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("suggestions", JSON, nullable=False),  # [[account id, document or null, reason], ...] best first
    Column("resolution", Text),  # null while it waits
)

sepa_collections = Table(
    "sepa_collections",
    metadata,
    Column("end_to_end", String(35), primary_key=True),
    Column("account_id", String(64), ForeignKey("accounts.id"), nullable=False),
    Column("document", String(32), nullable=False),
    Column("communication", String(12)),
    Column("amount", money(), nullable=False),
    Column("mandate", String(35), nullable=False),
    Column("mandate_signed", Date, nullable=False),
    Column("iban", String(34), nullable=False),
    Column("bic", String(11)),
    Column("debtor", Text, nullable=False),
    Column("sequence", String(4), nullable=False),
    Column("collection_date", Date, nullable=False),
    Column("message_id", String(35), nullable=False),
    Column("state", String(16), nullable=False),
    Column("payment", String(ENTRY_ID)),
    Index("ix_sepa_collections_account", "account_id"),
)

# Importing a statement looks documents up by the structured communication a payer quoted: an index of this
# branch on the billing table (created and dropped by rcv0001).
Index("ix_documents_communication", documents.c.structured_communication)

RECEIVABLES_TABLES = (
    ledger_entries,
    ledger_allocations,
    ledger_open_items,
    dunning_actions,
    bank_statements,
    review_lines,
    sepa_collections,
)
