"""The customer's tickets: the list with each one's SLA state and a form to report a fault, a ticket with its
SLA clock and compensation, and the request for the compensation paid on request.

Reporting a fault opens a repair ticket registered at the services' clock (``app/care.py``'s ``open_ticket``).
The line is one of the account's own subscriptions in service today: another customer's line is refused in
the same words as an unknown one (nothing says whether it exists). The form carries the new ticket's id,
drawn when the page was shown: the same form sent twice opens one ticket, and the second sending lands on it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from telbill.app.access import Principal
from telbill.app.access_store import MAX_PAGE, PageRequest
from telbill.app.care import NewTicket, open_ticket, record_event
from telbill.app.care_views import list_tickets, sla_state
from telbill.app.compensation import TicketCompensation, compensation_of
from telbill.app.orders import find_subscription, list_subscriptions
from telbill.app.services import Services
from telbill.core.care.compensation import AwardStatus
from telbill.core.care.tickets import TicketEvent, TicketEventKind, TicketKind
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.subscriptions import State, Subscription
from telbill.portal.customer import LOGIN, PAGE_SIZE, account_of, signed_in
from telbill.portal.i18n import Words
from telbill.portal.site import Visitor, page, render, require_form_token
from telbill.web.status import STATUS

router = APIRouter()
TICKET_ID = r"^P-[0-9A-F]{12}$"  # a ticket opened in the portal: random, so a customer cannot pick another's id


@dataclass(frozen=True, slots=True)
class FaultForm:
    """The form to report a fault, as shown again after a refusal (``field`` names the input at fault)."""

    lines: tuple[tuple[str, str], ...]  # (subscription id, what the customer reads) of the lines in service
    ticket: str  # the id the new ticket will have
    subscription: str = ""
    description: str = ""
    error: str = ""
    field: str = ""


def _working(subscription: Subscription, today: date) -> bool:
    return subscription.timeline(today).state is State.ACTIVE  # a fault is reported on a line in service


def _form(svc: Services, account_id: str, ticket: str | None = None) -> FaultForm:
    today = svc.today()
    mine = list_subscriptions(svc.reading, PageRequest(0, MAX_PAGE), account_id).items
    lines = tuple(
        (s.id, " · ".join((s.id, s.timeline(today).plan_code, *s.numbers))) for s in mine if _working(s, today)
    )
    return FaultForm(lines, ticket or f"P-{secrets.token_hex(6).upper()}")


def _own_line(svc: Services, account_id: str, chosen: str) -> Subscription | None:
    """The customer's subscription ``chosen``; None when it is unknown or another account's, alike."""
    try:
        found = find_subscription(svc.reading, chosen)
    except TelbillError as error:
        if error.kind is not ErrorKind.NOT_FOUND:
            raise
        return None
    return found if found.account_id == account_id else None


def _tickets_page(request: Request, current: Visitor, svc: Services, form: FaultForm, offset: int = 0) -> Response:
    who = _principal(current)
    found = list_tickets(svc.care, PageRequest(offset, PAGE_SIZE), svc.clock.now(), account_of(who))
    rows = [(t, sla_state(t)) for t in found.items]
    status = STATUS[ErrorKind.INVALID] if form.error else 200
    title = current.words("tickets")
    return render(request, "tickets.html", current, status=status, title=title, page=found, rows=rows, form=form)


def _principal(current: Visitor) -> Principal:
    assert current.session is not None  # signed_in checked it
    return current.session.principal


@router.get("/tickets")
@page(LOGIN)
def tickets(request: Request, offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> Response:
    current, who, svc = signed_in(request)
    return _tickets_page(request, current, svc, _form(svc, account_of(who)), offset)


@router.post("/tickets")
@page(LOGIN)
def report_fault(
    request: Request,
    ticket: Annotated[str, Form(pattern=TICKET_ID)],
    csrf: Annotated[str, Form(max_length=100)],
    subscription: Annotated[str, Form(max_length=64)] = "",
    description: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    current, who, svc = signed_in(request)
    require_form_token(current, csrf)
    line = _own_line(svc, account_of(who), subscription) if subscription else None
    refusal = _refusal(current.words, subscription, line, description, svc.today())
    if refusal is not None:
        field, error = refusal
        form = replace(_form(svc, account_of(who), ticket), subscription=subscription, description=description)
        return _tickets_page(request, current, svc, replace(form, error=error, field=field))
    new = NewTicket(ticket, TicketKind.REPAIR, subscription, svc.clock.now(), note=description.strip())
    try:
        open_ticket(svc.care, new)
    except TelbillError as error:
        if error.code != "ticket.exists":
            raise
        _ticket(svc, who, ticket)  # the same form sent again: its ticket is open (another's is not found)
    return RedirectResponse(f"/tickets/{ticket}", status_code=303)


def _refusal(t: Words, chosen: str, line: Subscription | None, description: str, today: date) -> tuple[str, str] | None:
    """What is wrong with the form, as (field, words), or None. ``line``: the customer's own ``chosen``."""
    if not chosen:
        return "subscription", t("fault_choose")
    if line is None:
        return "subscription", t("fault_not_yours", id=chosen)
    if not _working(line, today):
        return "subscription", t("fault_not_in_service", id=chosen)
    if not description.strip():
        return "description", t("fault_describe")
    return None


def _ticket(svc: Services, who: Principal, ticket_id: str) -> TicketCompensation:
    found = compensation_of(svc.care, ticket_id, svc.clock.now())
    who.require_account(found.ticket.account_id, "ticket", ticket_id)
    return found


@router.get("/tickets/{ticket_id}")
@page(LOGIN)
def ticket(request: Request, ticket_id: str) -> Response:
    current, who, svc = signed_in(request)
    found = _ticket(svc, who, ticket_id)
    awaiting = any(a.status is AwardStatus.AWAITING_REQUEST for a in found.assessment.awards)
    requested = found.ticket.facts().compensation_requested
    return render(
        request,
        "ticket.html",
        current,
        title=f"{current.words('ticket')} {ticket_id}",
        found=found,
        sla=sla_state(found),
        can_request=awaiting and requested is None,
        requested=requested,
    )


@router.post("/tickets/{ticket_id}/compensation")
@page(LOGIN)
def request_compensation(request: Request, ticket_id: str, csrf: Annotated[str, Form(max_length=100)]) -> Response:
    current, who, svc = signed_in(request)
    require_form_token(current, csrf)
    _ticket(svc, who, ticket_id)
    record_event(svc.care, ticket_id, TicketEvent(TicketEventKind.COMPENSATION_REQUESTED, svc.clock.now()))
    return RedirectResponse(f"/tickets/{ticket_id}", status_code=303)
