"""The back office, for staff: customers and their subscriptions, bill runs with their progress, tickets with
their SLA clocks, the dunning queue and the payment review queue.

Staff log in with their e-mail and password (``access_staff``); every page needs ``READ``, every form the
permission of the use case it calls (a read-only member sees the pages without their forms, and a forged
form is refused with 403).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from telbill.app.access import Permission, Principal, PrincipalKind
from telbill.app.access_store import DocumentFilter, PageRequest
from telbill.app.billing import BillRunRequest
from telbill.app.bills import list_bills
from telbill.app.care import record_event
from telbill.app.care_views import list_tickets, sla_state
from telbill.app.compensation import compensation_of
from telbill.app.customers import find_account, list_accounts
from telbill.app.horizon import check_day, check_period
from telbill.app.orders import list_subscriptions
from telbill.app.payments import assign_review, dismiss_review
from telbill.app.receivable_views import dunning_queue, review_queue
from telbill.app.services import Services
from telbill.core.care.instants import BRUSSELS, hours, local_instant, zone_of
from telbill.core.care.tickets import TicketEvent, TicketEventKind
from telbill.portal.customer import log_in, log_out
from telbill.portal.site import (
    Visitor,
    login_token,
    page,
    render,
    require_form_token,
    require_kind,
    site_of,
    visitor,
    with_login_cookie,
)

router = APIRouter()
LOGIN = "/backoffice/login"
PAGE_SIZE = 25
_ZONE = zone_of(BRUSSELS)


def _staff(request: Request) -> tuple[Visitor, Principal, Services]:
    current = visitor(request, staff_default=True)
    session = require_kind(current, PrincipalKind.STAFF)
    session.principal.require(Permission.READ)
    return current, session.principal, site_of(request).services


@router.get("/login")
def login_form(request: Request) -> Response:
    current = visitor(request, staff_default=True)
    token = login_token(request)
    response = render(request, "login.html", current, action=LOGIN, token=token, title=current.words("backoffice"))
    return with_login_cookie(response, request, token)


@router.post("/login")
def login(
    request: Request,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=200)],
    token: Annotated[str, Form(max_length=100)],
) -> Response:
    return log_in(request, email, password, token, PrincipalKind.STAFF, LOGIN, "/backoffice/")


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    return log_out(request, csrf, LOGIN)


@router.get("/")
@page(LOGIN)
def dashboard(request: Request) -> Response:
    current, who, svc = _staff(request)
    now = svc.clock.now()
    tickets = [(t, sla_state(t)) for t in list_tickets(svc.care, PageRequest(0, 200), now).items]
    late = [row for row in tickets if row[1].open and row[1].breached]
    return render(
        request,
        "bo_dashboard.html",
        current,
        title=current.words("backoffice"),
        who=who,
        accounts=list_accounts(svc.reading, PageRequest(0, 1)).total,
        late=late,
        open_tickets=sum(1 for _, s in tickets if s.open),
        runs=svc.bill_runs.recent(5),
        reviews=len(review_queue(svc.reader)),
    )


@router.get("/customers")
@page(LOGIN)
def customers(request: Request, offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> Response:
    current, _, svc = _staff(request)
    found = list_accounts(svc.reading, PageRequest(offset, PAGE_SIZE))
    return render(request, "bo_customers.html", current, title=current.words("customers"), page=found)


@router.get("/customers/{account_id}")
@page(LOGIN)
def customer(request: Request, account_id: str) -> Response:
    current, _, svc = _staff(request)
    account = find_account(svc.reading, account_id)
    subscriptions = list_subscriptions(svc.reading, PageRequest(0, 200), account_id).items
    today = svc.today()
    states = [(s, s.timeline(today)) for s in subscriptions]
    bills = list_bills(svc.reader, PageRequest(0, 50), DocumentFilter(account_id)).items
    tickets = [(t, sla_state(t)) for t in list_tickets(svc.care, PageRequest(0, 50), svc.clock.now(), account_id).items]
    return render(
        request,
        "bo_customer.html",
        current,
        title=account.party.name,
        account=account,
        states=states,
        bills=bills,
        tickets=tickets,
    )


@router.get("/billruns")
@page(LOGIN)
def bill_runs(request: Request) -> Response:
    current, who, svc = _staff(request)
    today = svc.today()
    return render(
        request,
        "bo_billruns.html",
        current,
        title=current.words("bill_runs"),
        runs=svc.bill_runs.recent(),
        may_run=who.may(Permission.RUN_BILLING),
        period=f"{today:%Y-%m}",
        today=today.isoformat(),
    )


@router.post("/billruns")
@page(LOGIN)
def start_bill_run(
    request: Request,
    period: Annotated[str, Form(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")],
    bill_date: Annotated[date, Form()],
    csrf: Annotated[str, Form(max_length=100)],
) -> Response:
    current, who, svc = _staff(request)
    require_form_token(current, csrf)
    who.require(Permission.RUN_BILLING)
    check_period(period, svc.today())
    check_day(bill_date, svc.today(), "bill_date")
    job = svc.bill_runs.start(BillRunRequest(period, bill_date))
    return RedirectResponse(f"/backoffice/billruns/{job.id}", status_code=303)


@router.get("/billruns/{job_id}")
@page(LOGIN)
def bill_run(request: Request, job_id: str) -> Response:
    current, _, svc = _staff(request)
    job = svc.bill_runs.get(job_id)
    return render(request, "bo_billrun.html", current, title=f"{current.words('bill_runs')} {job.period}", job=job)


@router.get("/tickets")
@page(LOGIN)
def tickets(request: Request, offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> Response:
    current, _, svc = _staff(request)
    found = list_tickets(svc.care, PageRequest(offset, PAGE_SIZE), svc.clock.now())
    rows = [(t, sla_state(t)) for t in found.items]
    return render(request, "bo_tickets.html", current, title=current.words("all_tickets"), page=found, rows=rows)


_RECORDABLE = [k for k in TicketEventKind if k not in (TicketEventKind.REGISTERED, TicketEventKind.OUTAGE_LINKED)]


@router.get("/tickets/{ticket_id}")
@page(LOGIN)
def ticket(request: Request, ticket_id: str) -> Response:
    current, who, svc = _staff(request)
    found = compensation_of(svc.care, ticket_id, svc.clock.now())
    now = svc.clock.now().astimezone(_ZONE)
    return render(
        request,
        "bo_ticket.html",
        current,
        title=f"{current.words('ticket')} {ticket_id}",
        found=found,
        sla=sla_state(found),
        kinds=_RECORDABLE,
        may_handle=who.may(Permission.HANDLE_TICKETS),
        today=now.date().isoformat(),
        now=now.strftime("%H:%M"),
        hours=hours,
    )


@router.post("/tickets/{ticket_id}/event")
@page(LOGIN)
def ticket_event(
    request: Request,
    ticket_id: str,
    kind: Annotated[TicketEventKind, Form()],
    day: Annotated[date, Form()],
    at: Annotated[time, Form()],
    csrf: Annotated[str, Form(max_length=100)],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    current, who, svc = _staff(request)
    require_form_token(current, csrf)
    who.require(Permission.HANDLE_TICKETS)
    check_day(day, svc.today(), "day")
    when: datetime = local_instant(day, at, _ZONE)
    record_event(svc.care, ticket_id, TicketEvent(kind, when, note=note))
    return RedirectResponse(f"/backoffice/tickets/{ticket_id}", status_code=303)


@router.get("/dunning")
@page(LOGIN)
def dunning(request: Request) -> Response:
    current, _, svc = _staff(request)
    actions = dunning_queue(svc.receivables, svc.today())
    return render(request, "bo_dunning.html", current, title=current.words("dunning"), actions=actions)


@router.get("/payments")
@page(LOGIN)
def payments(request: Request) -> Response:
    current, who, svc = _staff(request)
    return render(
        request,
        "bo_payments.html",
        current,
        title=current.words("payment_review"),
        reviews=review_queue(svc.reader),
        may_handle=who.may(Permission.HANDLE_PAYMENTS),
    )


@router.post("/payments/{line_id:path}/assign")
@page(LOGIN)
def assign(
    request: Request,
    line_id: str,
    account: Annotated[str, Form(max_length=64)],
    csrf: Annotated[str, Form(max_length=100)],
) -> Response:
    current, who, svc = _staff(request)
    require_form_token(current, csrf)
    who.require(Permission.HANDLE_PAYMENTS)
    assign_review(svc.receivables, line_id, account)
    return RedirectResponse("/backoffice/payments", status_code=303)


@router.post("/payments/{line_id:path}/dismiss")
@page(LOGIN)
def dismiss(
    request: Request,
    line_id: str,
    reason: Annotated[str, Form(max_length=500)],
    csrf: Annotated[str, Form(max_length=100)],
) -> Response:
    current, who, svc = _staff(request)
    require_form_token(current, csrf)
    who.require(Permission.HANDLE_PAYMENTS)
    dismiss_review(svc.receivables, line_id, reason)
    return RedirectResponse("/backoffice/payments", status_code=303)
