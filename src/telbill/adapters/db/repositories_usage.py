"""The usage store (``telbill.app.store.UsageStore``) over SQL; ``tests/app/fakes_usage.py`` is the reference.

Contract: batch methods query per chunk of ids (``IN_LIST_SIZE``); inserts are bulk (``bulk.py``); marking a
record billed refuses one that is unknown or billed already (``usage.billed``, CONFLICT).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import RowMapping, bindparam, select, update

from telbill.adapters.db import tables_usage as u
from telbill.adapters.db.deferred import Transaction, chunks
from telbill.app.store import QuarantinedRow, StoredUsage
from telbill.core.catalog.usage import Service
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.money import Money
from telbill.core.period import DateRange
from telbill.core.rating.intake import QuarantineReason
from telbill.core.rating.records import EPOCH, RatedRecord, UsageRecord, epoch_us

_MARK_BILLED = (
    update(u.usage_records)
    .where(u.usage_records.c.record_id == bindparam("rid"), u.usage_records.c.billed_document.is_(None))
    .values(
        billed_document=bindparam("document"),
        zone=bindparam("r_zone"),
        tariff=bindparam("r_tariff"),
        allowance=bindparam("r_allowance"),
        rated_units=bindparam("r_rated"),
        included_units=bindparam("r_included"),
        charged_units=bindparam("r_charged"),
        amount=bindparam("r_amount", type_=u.usage_records.c.amount.type),
    )
)


def _row(stored: StoredUsage) -> dict[str, Any]:
    record = stored.record
    return {
        "record_id": record.record_id,
        "fingerprint": stored.fingerprint,
        "account_id": stored.account_id,
        "subscription_id": stored.subscription_id,
        "subscriber": record.subscriber,
        "start_us": epoch_us(record.start),
        "service": record.service.value,
        "country": record.country,
        "destination": record.destination,
        "quantity": record.quantity,
        "period_start": stored.period.start,
        "period_end": stored.period.end,
        "billed_document": None,
        "zone": None,
        "tariff": None,
        "allowance": None,
        "rated_units": None,
        "included_units": None,
        "charged_units": None,
        "amount": None,
    }


def _stored(row: RowMapping) -> StoredUsage:
    record = UsageRecord(
        row["record_id"],
        row["subscriber"],
        EPOCH + timedelta(microseconds=row["start_us"]),
        Service(row["service"]),
        row["country"],
        row["destination"],
        row["quantity"],
    )
    period = DateRange(row["period_start"], row["period_end"])
    return StoredUsage(record, row["fingerprint"], row["account_id"], row["subscription_id"], period)


def _rated(row: RowMapping) -> RatedRecord:
    return RatedRecord(
        row["record_id"],
        row["subscription_id"],
        row["period_start"],
        row["zone"],
        row["tariff"],
        row["allowance"],
        row["rated_units"],
        row["included_units"],
        row["charged_units"],
        Money.of(Decimal(row["amount"])),
    )


class SqlUsage:
    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    def fingerprints(self, record_ids: Sequence[str]) -> dict[str, str]:
        self.tx.flush()
        found: dict[str, str] = {}
        for part in chunks(record_ids):
            query = select(u.usage_records.c.record_id, u.usage_records.c.fingerprint).where(
                self.tx.among(u.usage_records.c.record_id, part)
            )
            found.update((row.record_id, row.fingerprint) for row in self.tx.execute(query))
        return found

    def add(self, records: Sequence[StoredUsage]) -> None:
        self.tx.bulk_insert(u.usage_records, [_row(stored) for stored in records])

    def quarantine(self, rows: Sequence[QuarantinedRow]) -> int:
        unique = {row.key: row for row in rows}
        known: set[str] = set()
        for part in chunks(list(unique)):
            known.update(
                self.tx.scalars(select(u.usage_quarantine.c.key).where(self.tx.among(u.usage_quarantine.c.key, part)))
            )
        new = [row for key, row in unique.items() if key not in known]
        self.tx.bulk_insert(
            u.usage_quarantine,
            [
                {
                    "key": r.key,
                    "source": r.source,
                    "row": r.row,
                    "record_id": r.record_id,
                    "reason": r.reason.value,
                    "message": r.message,
                    "fields": [list(pair) for pair in r.fields],
                }
                for r in new
            ],
        )
        return len(new)

    def quarantined(self, source: str | None = None) -> list[QuarantinedRow]:
        query = select(u.usage_quarantine).order_by(
            u.usage_quarantine.c.source, u.usage_quarantine.c.row, u.usage_quarantine.c.reason
        )
        if source is not None:
            query = query.where(u.usage_quarantine.c.source == source)
        return [
            QuarantinedRow(
                r["key"],
                r["source"],
                r["row"],
                r["record_id"],
                QuarantineReason(r["reason"]),
                r["message"],
                tuple((name, value) for name, value in r["fields"]),
            )
            for r in self.tx.execute(query).mappings()
        ]

    def billed_periods(self, subscription_ids: Sequence[str]) -> dict[tuple[str, date], str]:
        self.tx.flush()
        c = u.usage_records.c
        found: dict[tuple[str, date], str] = {}
        for part in chunks(subscription_ids):
            query = (
                select(c.subscription_id, c.period_start, c.billed_document)
                .where(self.tx.among(c.subscription_id, part), c.billed_document.is_not(None))
                .distinct()
            )
            found.update(((row[0], row[1]), row[2]) for row in self.tx.execute(query))
        return found

    def unbilled(self, account_ids: Sequence[str], through: date) -> dict[str, list[StoredUsage]]:
        self.tx.flush()
        c = u.usage_records.c
        found: dict[str, list[StoredUsage]] = {}
        for part in chunks(account_ids):
            query = select(u.usage_records).where(
                self.tx.among(c.account_id, part), c.billed_document.is_(None), c.period_end <= through
            )
            for row in self.tx.execute(query).mappings():
                found.setdefault(row["account_id"], []).append(_stored(row))
        return found

    def unbilled_of(self, subscription_id: str, period_start: date) -> list[StoredUsage]:
        self.tx.flush()
        c = u.usage_records.c
        query = select(u.usage_records).where(
            c.subscription_id == subscription_id, c.period_start == period_start, c.billed_document.is_(None)
        )
        return [_stored(row) for row in self.tx.execute(query).mappings()]

    def mark_billed(self, rated: Sequence[RatedRecord], document_number: str) -> None:
        if not rated:
            return
        self.tx.flush()  # the document is queued by the bill run: write it first, the records refer to it
        marks = [
            {
                "rid": r.record_id,
                "document": document_number,
                "r_zone": r.zone,
                "r_tariff": r.tariff,
                "r_allowance": r.allowance,
                "r_rated": r.rated_units,
                "r_included": r.included_units,
                "r_charged": r.charged_units,
                "r_amount": r.amount.amount,
            }
            for r in rated
        ]
        result = self.tx.execute(_MARK_BILLED, marks)
        if self.tx.connection.dialect.supports_sane_multi_rowcount and result.rowcount != len(marks):
            raise TelbillError(
                "usage.billed",
                f"{len(marks) - result.rowcount} of {len(marks)} usage records are unknown or billed already",
                ErrorKind.CONFLICT,
            )

    def billed(self, document_number: str) -> list[tuple[StoredUsage, RatedRecord]]:
        self.tx.flush()
        c = u.usage_records.c
        query = select(u.usage_records).where(c.billed_document == document_number).order_by(c.start_us, c.record_id)
        return [(_stored(row), _rated(row)) for row in self.tx.execute(query).mappings()]
