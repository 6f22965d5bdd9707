"""Intervention reports: a technician's report → the catalog's repair charges, waiting for the next bill run.

The core decides which rows apply (``telbill.core.care.interventions``); this use case prices each order at
once (an unknown item or a missing quote fails now, not at billing) and records them as one-off pending
charges with ids ``<report>:<n>``, so a report recorded twice charges once.

A report id sent again is answered from the report *as stored*, never from the new request: the same facts
are a retry and get back what was booked; other facts under a known id are refused (``intervention.conflict``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from telbill.app.care import CareDeps, gathered_for
from telbill.app.store import CareUnitOfWork, RecordedIntervention
from telbill.core.accounts import Account
from telbill.core.billing.charges import PendingCharge
from telbill.core.billing.run import pricing_for
from telbill.core.care.interventions import InterventionCharges, InterventionReport, intervention_charges, tariff_for
from telbill.core.catalog.pricing import PricedLine, price_order
from telbill.core.catalog.schema import Catalog
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.subscriptions import Subscription


@dataclass(frozen=True, slots=True)
class InterventionRequest:
    report: InterventionReport
    subscription_id: str
    ticket_id: str | None = None
    # False: the report's day is only today's by default, so a repeat matches the stored report whatever its
    # day (a retry sent after midnight is the same report)
    day_given: bool = True


@dataclass(frozen=True, slots=True)
class Reported:
    report: InterventionReport  # as recorded: a repeat's is the stored one
    charges: InterventionCharges
    lines: tuple[PricedLine, ...]  # each order as priced on the intervention day
    recorded: bool  # False: the report was known already, nothing was added


def report_intervention(deps: CareDeps, request: InterventionRequest) -> Reported:
    with deps.unit_of_work() as uow:
        subscription = uow.subscriptions.get(request.subscription_id)
        account = uow.accounts.get(subscription.account_id)
        if request.ticket_id is not None:
            uow.tickets.get(request.ticket_id)
        catalog = deps.catalog(account.catalog_id)
        recorded = uow.interventions.add(account.id, subscription.id, request.ticket_id, request.report)
        report = request.report if recorded else _as_stored(uow.interventions.get(request.report.id), request)
        charges, lines = _priced(catalog, account, subscription, report)
        if recorded:
            _book(uow, account.id, subscription.id, report, charges)
            uow.commit()
    return Reported(report, charges, lines, recorded)


def _as_stored(recorded: RecordedIntervention, request: InterventionRequest) -> InterventionReport:
    """The stored report, when the request repeats it (the same facts, line and ticket); a conflict when it says
    something else.

    The report id is the client's idempotency key for this resource, as an external key is in Kill Bill and an
    Idempotency-Key in Stripe: both refuse the same key with a different body rather than answer the first
    request's result as if it were the second's (the client would believe its new figures were booked), and
    both answer an identical retry with what the first one did."""
    stored = recorded.report
    sent = request.report if request.day_given else replace(request.report, day=stored.day)
    if (sent, request.subscription_id, request.ticket_id) != (stored, recorded.subscription_id, recorded.ticket_id):
        message = f"intervention report {stored.id} is recorded already with other facts: send a new report id"
        raise TelbillError("intervention.conflict", message, ErrorKind.CONFLICT, "id")
    return stored


def _priced(
    catalog: Catalog, account: Account, subscription: Subscription, report: InterventionReport
) -> tuple[InterventionCharges, tuple[PricedLine, ...]]:
    gathered = gathered_for(account, catalog, subscription, report.day)
    charges = intervention_charges(tariff_for(catalog.id), report, gathered.coverage.round_the_clock)
    context = pricing_for(catalog, account)(report.day)
    return charges, tuple(price_order(context, c.order) for c in charges.orders)


def _book(
    uow: CareUnitOfWork, account_id: str, subscription_id: str, report: InterventionReport, charges: InterventionCharges
) -> None:
    for number, charge in enumerate(charges.orders, start=1):
        pending = PendingCharge(f"{report.id}:{number}", subscription_id, charge.order, report.day, charge.reason)
        uow.charges.add(account_id, pending)
