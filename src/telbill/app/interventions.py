"""Intervention reports: a technician's report → the catalog's repair charges, waiting for the next bill run.

The core decides which rows apply (``telbill.core.care.interventions``); this use case prices each order at
once (an unknown item or a missing quote fails now, not at billing) and records them as one-off pending
charges with ids ``<report>:<n>``, so a report recorded twice charges once.
"""

from __future__ import annotations

from dataclasses import dataclass

from telbill.app.care import CareDeps, gathered_for
from telbill.core.billing.charges import PendingCharge
from telbill.core.billing.run import pricing_for
from telbill.core.care.interventions import InterventionCharges, InterventionReport, intervention_charges, tariff_for
from telbill.core.catalog.pricing import PricedLine, price_order


@dataclass(frozen=True, slots=True)
class InterventionRequest:
    report: InterventionReport
    subscription_id: str
    ticket_id: str | None = None


@dataclass(frozen=True, slots=True)
class Reported:
    charges: InterventionCharges
    lines: tuple[PricedLine, ...]  # each order as priced on the intervention day
    recorded: bool  # False: the report was known already, nothing was added


def report_intervention(deps: CareDeps, request: InterventionRequest) -> Reported:
    report = request.report
    with deps.unit_of_work() as uow:
        subscription = uow.subscriptions.get(request.subscription_id)
        account = uow.accounts.get(subscription.account_id)
        if request.ticket_id is not None:
            uow.tickets.get(request.ticket_id)
        catalog = deps.catalog(account.catalog_id)
        gathered = gathered_for(account, catalog, subscription, report.day)
        charges = intervention_charges(tariff_for(catalog.id), report, gathered.coverage.round_the_clock)
        context = pricing_for(catalog, account)(report.day)
        lines = tuple(price_order(context, c.order) for c in charges.orders)
        recorded = uow.interventions.add(account.id, subscription.id, request.ticket_id, report)
        if recorded:
            for number, charge in enumerate(charges.orders, start=1):
                pending = PendingCharge(
                    f"{report.id}:{number}", subscription.id, charge.order, report.day, charge.reason
                )
                uow.charges.add(account.id, pending)
            uow.commit()
    return Reported(charges, lines, recorded)
