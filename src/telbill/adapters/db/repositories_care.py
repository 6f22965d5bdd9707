"""The service-assurance repositories of ``telbill.app.store`` over SQL (SQLAlchemy Core).

Contract: the semantics of the fakes (``tests/app/fakes_care.py``) on the transaction of one
``SqlUnitOfWork``: the same error codes (``ticket.exists``, ``ticket.not_found``, ``outage.exists``,
``outage.not_found``, ``credit.billed``), ids refused twice by primary keys, batch reads per chunk of ids.
Marking credits billed first flushes the transaction's deferred writes, because a credit refers to the
document that credited it, which the bill run has only queued.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from itertools import groupby
from typing import Any

from sqlalchemy import Table, bindparam, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from telbill.adapters.db import rows_care as rows
from telbill.adapters.db import tables_care as c
from telbill.adapters.db.deferred import Transaction, chunks
from telbill.app.store import RecordedIntervention
from telbill.core.care.credits import CompensationCredit
from telbill.core.care.interventions import InterventionReport
from telbill.core.care.outages import Outage
from telbill.core.care.tickets import Ticket, TicketKind
from telbill.core.errors import ErrorKind, TelbillError


def _insert_new(tx: Transaction, table: Table, values: dict[str, Any]) -> bool:
    """Insert unless the primary key exists (ON CONFLICT DO NOTHING); True when inserted."""
    dialect = postgresql if tx.dialect == "postgresql" else sqlite
    statement = dialect.insert(table).values(values).on_conflict_do_nothing().returning(*table.primary_key)
    try:
        return tx.execute(statement).first() is not None
    except IntegrityError as error:  # a foreign key: the row refers to something unknown
        raise TelbillError(f"{table.name}.reference", str(error.orig), ErrorKind.NOT_FOUND) from error


class SqlTickets:
    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    def add(self, ticket: Ticket) -> None:
        if not _insert_new(self.tx, c.care_tickets, rows.ticket_row(ticket)):
            raise TelbillError("ticket.exists", f"ticket {ticket.id} exists", ErrorKind.CONFLICT)
        self.tx.execute(c.care_ticket_events.insert(), rows.ticket_event_rows(ticket))

    def get(self, ticket_id: str) -> Ticket:
        found = self._load(c.care_tickets.c.id == ticket_id)
        if not found:
            raise TelbillError("ticket.not_found", f"no ticket {ticket_id}", ErrorKind.NOT_FOUND)
        return found[0]

    def save(self, ticket: Ticket) -> None:
        """The ticket as it is now: its row, and its log rewritten."""
        tickets, events = c.care_tickets, c.care_ticket_events
        query = update(tickets).where(tickets.c.id == ticket.id).values(rows.ticket_row(ticket))
        if self.tx.execute(query).rowcount != 1:
            raise TelbillError("ticket.not_found", f"no ticket {ticket.id}", ErrorKind.NOT_FOUND)
        self.tx.execute(delete(events).where(events.c.ticket_id == ticket.id))
        self.tx.execute(events.insert(), rows.ticket_event_rows(ticket))

    def for_account(self, account_id: str) -> list[Ticket]:
        return self._load(c.care_tickets.c.account_id == account_id)

    def for_subscription(self, subscription_id: str, kind: TicketKind) -> list[Ticket]:
        tickets = c.care_tickets
        return self._load((tickets.c.subscription_id == subscription_id) & (tickets.c.kind == kind.value))

    def registered_between(self, start: datetime, end: datetime | None) -> list[Ticket]:
        registered = c.care_tickets.c.registered
        where = registered >= rows.utc(start)
        return self._load(where if end is None else where & (registered < rows.utc(end)))

    def _load(self, where: Any) -> list[Ticket]:
        """The tickets matching ``where``, by id, with their logs: two queries."""
        self.tx.flush()
        tickets, events = c.care_tickets, c.care_ticket_events
        found = list(self.tx.execute(select(tickets).where(where).order_by(tickets.c.id)).mappings())
        if not found:
            return []
        ids = select(tickets.c.id).where(where).scalar_subquery()
        query = select(events).where(events.c.ticket_id.in_(ids)).order_by(events.c.ticket_id, events.c.seq)
        logs = {key: list(group) for key, group in groupby(self.tx.execute(query).mappings(), lambda e: e["ticket_id"])}
        return [rows.ticket_from_rows(row, logs.get(row["id"], [])) for row in found]


class SqlOutages:
    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    def add(self, outage: Outage) -> None:
        if not _insert_new(self.tx, c.care_outages, rows.outage_row(outage)):
            raise TelbillError("outage.exists", f"outage {outage.id} exists", ErrorKind.CONFLICT)

    def get(self, outage_id: str) -> Outage:
        row = self.tx.execute(select(c.care_outages).where(c.care_outages.c.id == outage_id)).mappings().first()
        if row is None:
            raise TelbillError("outage.not_found", f"no outage {outage_id}", ErrorKind.NOT_FOUND)
        return rows.outage_from_row(row)

    def save(self, outage: Outage) -> None:
        outages = c.care_outages
        query = update(outages).where(outages.c.id == outage.id).values(rows.outage_row(outage))
        if self.tx.execute(query).rowcount != 1:
            raise TelbillError("outage.not_found", f"no outage {outage.id}", ErrorKind.NOT_FOUND)

    def overlapping(self, start: datetime, end: datetime) -> list[Outage]:
        outages = c.care_outages
        query = (
            select(outages)
            .where(
                outages.c.starts_at < rows.utc(end),
                or_(outages.c.ends_at.is_(None), outages.c.ends_at > rows.utc(start)),
            )
            .order_by(outages.c.id)
        )
        return [rows.outage_from_row(row) for row in self.tx.execute(query).mappings()]


class SqlInterventions:
    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    def add(
        self, account_id: str, subscription_id: str | None, ticket_id: str | None, report: InterventionReport
    ) -> bool:
        values = {"id": report.id, "account_id": account_id, "subscription_id": subscription_id,
                  "ticket_id": ticket_id, "day": report.day, "report": rows.report_json(report)}  # fmt: skip
        return _insert_new(self.tx, c.care_interventions, values)

    def get(self, report_id: str) -> RecordedIntervention:
        table = c.care_interventions
        query = select(table.c.report, table.c.subscription_id, table.c.ticket_id).where(table.c.id == report_id)
        found = self.tx.execute(query).first()
        if found is None:
            raise TelbillError("intervention.not_found", f"no intervention {report_id}", ErrorKind.NOT_FOUND)
        data, subscription_id, ticket_id = found
        return RecordedIntervention(rows.report_from_json(report_id, data), subscription_id, ticket_id)


_MARK_BILLED = (
    update(c.care_credits)
    .where(c.care_credits.c.id == bindparam("credit_id"), c.care_credits.c.billed_document.is_(None))
    .values(billed_document=bindparam("document_number"))
)


class SqlCompensationCredits:
    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    def add(self, credit: CompensationCredit) -> bool:
        return _insert_new(self.tx, c.care_credits, rows.credit_row(credit))

    def for_ticket(self, ticket_id: str) -> list[tuple[CompensationCredit, str | None]]:
        credits = c.care_credits
        query = select(credits).where(credits.c.ticket_id == ticket_id).order_by(credits.c.id)
        return [(rows.credit_from_row(row), row["billed_document"]) for row in self.tx.execute(query).mappings()]

    def unbilled(self, account_ids: Sequence[str], through: date) -> dict[str, list[CompensationCredit]]:
        credits = c.care_credits
        found: dict[str, list[CompensationCredit]] = {}
        for part in chunks(account_ids):
            query = (
                select(credits)
                .where(self.tx.among(credits.c.account_id, part), credits.c.billed_document.is_(None))
                .where(credits.c.day <= through)
                .order_by(credits.c.account_id, credits.c.id)
            )
            for row in self.tx.execute(query).mappings():
                found.setdefault(row["account_id"], []).append(rows.credit_from_row(row))
        return found

    def mark_billed(self, credit_ids: Sequence[str], document_number: str) -> None:
        if not credit_ids:
            return
        self.tx.flush()  # the document is queued by the bill run: write it first, the credit refers to it
        marks = [{"credit_id": i, "document_number": document_number} for i in credit_ids]
        result = self.tx.execute(_MARK_BILLED, marks)
        if self.tx.connection.dialect.supports_sane_multi_rowcount and result.rowcount != len(marks):
            raise TelbillError(
                "credit.billed",
                f"some of the credits {list(credit_ids)} are unknown or billed already",
                ErrorKind.CONFLICT,
            )
