"""Intervention reports: a technician's report → the catalog's repair charges, waiting for the next bill run
(``app/interventions.py``). A report id recorded twice charges once: sent again unchanged, it answers 200 with
what was stored; with other facts, 409 naming the id. The POST also takes an Idempotency-Key, as every POST that
creates money does."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from telbill.api.dependencies import IdempotencyKey, ServicesDep, allow
from telbill.api.idempotent import json_response, once
from telbill.api.problems import COMMON, WRITES
from telbill.api.schemas.interventions import InterventionReport, InterventionReportCreate, report_out
from telbill.app.access import Permission, Principal
from telbill.app.care import find_ticket
from telbill.app.customers import find_account
from telbill.app.horizon import check_day
from telbill.app.interventions import InterventionRequest, report_intervention
from telbill.app.orders import find_subscription
from telbill.app.services import Services
from telbill.core.care import interventions as core
from telbill.core.errors import TelbillError
from telbill.core.money import Money

router = APIRouter(tags=["Intervention reports"], responses=COMMON)
Handler = Annotated[Principal, Depends(allow(Permission.HANDLE_TICKETS))]

# the request field each refusal of the report's rules is about (the core names none, or its own spelling)
_FIELDS = {
    "intervention.minutes": "minutes",
    "intervention.light_too_long": "minutes",
    "intervention.replacement": "terminalReplaced",
    "intervention.quote_missing": "quote",
    "intervention.part_quote": "part",
    "intervention.light_parts": "part",
}
_CENT = Decimal("0.01")


@router.post(
    "/interventionReport",
    response_model=InterventionReport,
    status_code=201,
    responses={**WRITES, 200: {"model": InterventionReport, "description": "Sent before unchanged: as stored"}},
    summary="Record a technician's report: its repair charges wait for the next bill run (Idempotency-Key required)",
)
def create_intervention_report(
    body: InterventionReportCreate, svc: ServicesDep, who: Handler, request: Request, key: IdempotencyKey
) -> Response:
    check_day(body.day, svc.today(), "date")

    def work() -> Response:
        day = body.day or svc.today()
        subscription = find_subscription(svc.reading, body.product.id)
        if body.trouble_ticket is not None:
            _check_ticket(svc, body.trouble_ticket.id, subscription.id)
        try:
            request = InterventionRequest(_report(body, day), subscription.id, _ticket_of(body), body.day is not None)
            found = report_intervention(svc.care, request)
        except TelbillError as error:
            error.field = _FIELDS.get(error.code, error.field)
            raise
        catalog_id = find_account(svc.reading, subscription.account_id).catalog_id
        out = report_out(body, (subscription.account_id, catalog_id), found)
        return json_response(out, 201 if found.recorded else 200)

    return once(svc, who, key, request, body, work)


def _ticket_of(body: InterventionReportCreate) -> str | None:
    return body.trouble_ticket.id if body.trouble_ticket is not None else None


def _check_ticket(svc: Services, ticket_id: str, subscription_id: str) -> None:
    """A report answers a ticket of the line it was made on; another line's ticket is a mistake, said so."""
    ticket = find_ticket(svc.care, ticket_id)
    if ticket.subscription_id != subscription_id:
        message = f"ticket {ticket_id} is not about product {subscription_id}"
        raise TelbillError("intervention.ticket", message, field="troubleTicket")


def _report(body: InterventionReportCreate, day: date) -> core.InterventionReport:
    parts = tuple(
        core.Part(p.description, p.warranty, _amount(p.quote, f"part.{n}.quote")) for n, p in enumerate(body.part)
    )
    return core.InterventionReport(
        body.id,
        day,
        body.equipment,
        body.fault,
        body.maintenance_contract,
        body.travel,
        body.minutes,
        parts,
        body.out_of_hours,
        body.light,
        body.terminal_replaced,
        _amount(body.quote, "quote"),
    )


def _amount(value: Decimal | None, field: str) -> Money | None:
    if value is None:
        return None
    if value != value.quantize(_CENT):
        raise TelbillError("intervention.amount", f"{value} has digits below the cent", field=field)
    return Money(value.quantize(_CENT))
