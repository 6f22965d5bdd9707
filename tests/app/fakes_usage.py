"""In-memory usage store (``telbill.app.store.UsageStore``): the reference semantics of the SQL adapter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from telbill.app.store import QuarantinedRow, StoredUsage
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.rating.records import RatedRecord


@dataclass
class UsageState:
    records: dict[str, StoredUsage] = field(default_factory=dict)
    billed: dict[str, tuple[RatedRecord, str]] = field(default_factory=dict)  # record id → (rating, document)
    quarantine: dict[str, QuarantinedRow] = field(default_factory=dict)


class FakeUsage:
    def __init__(self, state: UsageState) -> None:
        self.state = state

    def fingerprints(self, record_ids: Sequence[str]) -> dict[str, str]:
        return {i: self.state.records[i].fingerprint for i in record_ids if i in self.state.records}

    def add(self, records: Sequence[StoredUsage]) -> None:
        for stored in records:
            if stored.record.record_id in self.state.records:
                raise TelbillError("usage.exists", f"record {stored.record.record_id} exists", ErrorKind.CONFLICT)
            self.state.records[stored.record.record_id] = stored

    def quarantine(self, rows: Sequence[QuarantinedRow]) -> int:
        new = [row for row in rows if row.key not in self.state.quarantine]
        self.state.quarantine.update((row.key, row) for row in new)
        return len({row.key for row in new})

    def quarantined(self, source: str | None = None) -> list[QuarantinedRow]:
        rows = [r for r in self.state.quarantine.values() if source is None or r.source == source]
        return sorted(rows, key=lambda r: (r.source, r.row, r.reason.value))

    def billed_periods(self, subscription_ids: Sequence[str]) -> dict[tuple[str, date], str]:
        wanted = set(subscription_ids)
        found = {}
        for record_id, (_, document) in self.state.billed.items():
            stored = self.state.records[record_id]
            if stored.subscription_id in wanted:
                found[(stored.subscription_id, stored.period.start)] = document
        return found

    def unbilled(self, account_ids: Sequence[str], through: date) -> dict[str, list[StoredUsage]]:
        wanted = set(account_ids)
        found: dict[str, list[StoredUsage]] = {}
        for record_id, stored in self.state.records.items():
            if stored.account_id in wanted and record_id not in self.state.billed and stored.period.end <= through:
                found.setdefault(stored.account_id, []).append(stored)
        return found

    def unbilled_of(self, subscription_id: str, period_start: date) -> list[StoredUsage]:
        return [
            s
            for i, s in self.state.records.items()
            if s.subscription_id == subscription_id and s.period.start == period_start and i not in self.state.billed
        ]

    def mark_billed(self, rated: Sequence[RatedRecord], document_number: str) -> None:
        for rating in rated:
            if rating.record_id not in self.state.records or rating.record_id in self.state.billed:
                message = f"record {rating.record_id} is unknown or billed already"
                raise TelbillError("usage.billed", message, ErrorKind.CONFLICT)
            self.state.billed[rating.record_id] = (rating, document_number)

    def billed(self, document_number: str) -> list[tuple[StoredUsage, RatedRecord]]:
        found = [
            (self.state.records[record_id], rating)
            for record_id, (rating, document) in self.state.billed.items()
            if document == document_number
        ]
        return sorted(found, key=lambda pair: pair[0].record.order_key)
