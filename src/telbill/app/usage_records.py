"""Usage records one at a time (the API's TMF635 ``usage``): submit one, read them a page at a time.

Contract: ``submit_usage`` goes through the import use case (``app/usage.py``) with one row, so a record sent
through the API is checked, placed and deduplicated exactly as a file's row: the same id with the same
content again is accepted (imported before); a row the import quarantines is kept in the quarantine, as every
refused row is, and the caller gets the reason as a coded error (``usage.<reason>``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from telbill.app.access_store import AccessUnitOfWork, Page, PageRequest, UsageFilter, UsageSummary
from telbill.app.usage import UsageDeps, import_usage, usage_store
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.rating.intake import QuarantineReason, RawUsage

_KIND = {
    QuarantineReason.CONFLICTING_DUPLICATE: ErrorKind.CONFLICT,
    QuarantineReason.UNKNOWN_SUBSCRIBER: ErrorKind.NOT_FOUND,
}


@dataclass(frozen=True, slots=True)
class SubmittedUsage:
    id: str
    start: datetime
    service: str
    subscriber: str
    destination: str | None
    country: str
    quantity: int


def submit_usage(deps: UsageDeps, reader: Callable[[], AccessUnitOfWork], usage: SubmittedUsage) -> UsageSummary:
    source = f"api:{usage.id}"
    raw = RawUsage(
        1,
        usage.id,
        usage.subscriber,
        usage.start.isoformat(),
        usage.service,
        usage.country,
        usage.destination,
        str(usage.quantity),
    )
    report = import_usage(deps, [raw], source)
    if report.quarantined_total:
        with deps.unit_of_work() as uow:
            rows = usage_store(uow).quarantined(source)
        reason = next(iter(report.quarantined))
        message = next((r.message for r in rows if r.reason is reason), reason.value)
        raise TelbillError(f"usage.{reason.value}", message, _KIND.get(reason, ErrorKind.INVALID), "usage")
    with reader() as uow:
        found = uow.listings.usage(PageRequest(0, 1), UsageFilter(record_id=usage.id))
    return found.items[0]


def list_usage(reader: Callable[[], AccessUnitOfWork], page: PageRequest, where: UsageFilter) -> Page[UsageSummary]:
    """A filter is a filter: an account without usage, or unknown, lists nothing."""
    with reader() as uow:
        return uow.listings.usage(page, where)


def find_usage(reader: Callable[[], AccessUnitOfWork], record_id: str) -> UsageSummary:
    with reader() as uow:
        found = uow.listings.usage(PageRequest(0, 1), UsageFilter(record_id=record_id))
    if not found.items:
        raise TelbillError("usage.not_found", f"no usage record {record_id}", ErrorKind.NOT_FOUND, "id")
    return found.items[0]
