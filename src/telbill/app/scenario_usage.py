"""Usage in scenarios (docs/scenarios.md): ``usage:`` events import records through the import use case, and
the bill run bills them as production does (``UsageCharges``).

A record's ``at`` is a wall-clock time on the event's day in the catalog's time zone (``23:50``), or a full
ISO 8601 instant with its offset (``2026-03-31T23:50:00+02:00``). A scenario's usage must import cleanly:
a quarantined record stops the replay with its reason, since a golden invoice cannot hide a lost call.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time
from zoneinfo import ZoneInfo

from telbill.app.billing import BillingDeps
from telbill.app.scenario_schema import Event, UsageSpec
from telbill.app.usage import UsageCharges, UsageDeps, import_usage, usage_store
from telbill.core.accounts import Account
from telbill.core.billing.charges import ChargeKind
from telbill.core.catalog.versions import version_at
from telbill.core.errors import TelbillError
from telbill.core.rating.intake import RawUsage


def with_usage(deps: BillingDeps) -> BillingDeps:
    """The bill run as production wires it (``bootstrap.billing_deps``): billing rated usage."""
    if any(source.kind is ChargeKind.USAGE for source in deps.sources):
        return deps
    return replace(deps, sources=(*deps.sources, UsageCharges(deps.catalog)))


def play_usage(deps: BillingDeps, account: Account, index: int, event: Event) -> None:
    assert event.usage is not None
    specs = event.usage if isinstance(event.usage, tuple) else (event.usage,)
    usage = version_at(deps.catalog(account.catalog_id), event.on).usage
    zone = ZoneInfo(usage.timezone if usage is not None else "Europe/Brussels")
    rows = [_raw(spec, f"{account.id}:event-{index}:{n}", event, zone) for n, spec in enumerate(specs, start=1)]
    source = f"scenario events[{index}]"
    report = import_usage(UsageDeps(deps.unit_of_work, deps.catalog), rows, source)
    if report.quarantined_total:
        with deps.unit_of_work() as uow:
            rows_out = usage_store(uow).quarantined(source)
        reasons = [f"{row.record_id}: {row.reason.value} ({row.message})" for row in rows_out]
        raise TelbillError("scenario.usage_quarantined", "; ".join(reasons) or "records quarantined")


def _raw(spec: UsageSpec, default_id: str, event: Event, zone: ZoneInfo) -> RawUsage:
    if "T" in spec.at:
        start = spec.at
    else:
        start = datetime.combine(event.on, time.fromisoformat(spec.at), tzinfo=zone).isoformat()
    return RawUsage(
        0, spec.id or default_id, spec.number, start, spec.service, spec.country, spec.to, str(spec.quantity)
    )
