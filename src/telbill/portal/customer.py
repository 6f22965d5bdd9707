"""The customer portal: consumption of the current period, invoices with their files and the reason for every
amount, how to pay, outages, number porting; the tickets are ``tickets.py``'s.

Every page reads through ``app`` use cases for the customer's own account only: the session's principal
carries the one account of the login, and no page takes an account id from the request; a document or a
ticket of another account is *not found*.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from telbill.app.access import AccessDenied, Principal, PrincipalKind
from telbill.app.access_store import DocumentFilter, PageRequest
from telbill.app.bills import Bill, bill_pdf, bill_ubl, explain_bill, find_bill, list_bills
from telbill.app.care_views import list_tickets
from telbill.app.identities import check_password, close_session, open_session, set_language
from telbill.app.outages import outages_for_account
from telbill.app.self_service import Consumption, consumption, how_to_pay
from telbill.app.services import Services
from telbill.core.care.tickets import TicketKind
from telbill.core.errors import ErrorKind, TelbillError
from telbill.portal import charts
from telbill.portal.i18n import LANGUAGES, Words
from telbill.portal.pay import epc_qr
from telbill.portal.site import (
    LANGUAGE_COOKIE,
    SESSION_COOKIE,
    Visitor,
    check_login_token,
    clear_session_cookie,
    client_address,
    login_token,
    page,
    render,
    require_form_token,
    require_kind,
    set_session_cookie,
    site_of,
    visitor,
    with_login_cookie,
)

router = APIRouter()
LOGIN = "/login"
PAGE_SIZE = 20
_UNITS = {"voice": Decimal(60), "sms": Decimal(1), "data": Decimal(1_000_000)}  # seconds → minutes, bytes → MB


def signed_in(request: Request) -> tuple[Visitor, Principal, Services]:
    current = visitor(request)
    session = require_kind(current, PrincipalKind.CUSTOMER)
    return current, session.principal, site_of(request).services


def account_of(who: Principal) -> str:
    assert who.account_id is not None
    return who.account_id


# --- login ------------------------------------------------------------------------------------------------------


@router.get("/login")
def login_form(request: Request, lang: Annotated[str | None, Query(max_length=2)] = None) -> Response:
    current = visitor(request)
    if lang in LANGUAGES:
        current = Visitor(None, Words(lang or "fr"))
    token = login_token(request)
    response = render(request, "login.html", current, action=LOGIN, token=token, title=current.words("portal"))
    if lang in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, lang or "fr", max_age=365 * 86400, path="/", samesite="lax")
    return with_login_cookie(response, request, token)


@router.post("/login")
def login(
    request: Request,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=200)],
    token: Annotated[str, Form(max_length=100)],
) -> Response:
    return log_in(request, email, password, token, PrincipalKind.CUSTOMER, LOGIN, "/")


def log_in(
    request: Request, email: str, password: str, token: str, kind: PrincipalKind, action: str, home: str
) -> Response:
    """The login of either site: throttled per e-mail and per address, double-submit token checked."""
    svc, current = site_of(request).services, visitor(request, staff_default=kind is PrincipalKind.STAFF)
    now = svc.clock.now()
    keys = [f"email:{email.strip().lower()}", f"address:{client_address(request)}"]
    title = current.words("backoffice" if kind is PrincipalKind.STAFF else "portal")
    try:
        check_login_token(request, token)
        svc.throttle.check(keys, now)
        principal = check_password(svc.access, kind, email, password)
    except AccessDenied as error:
        if error.code == "access.unauthenticated":
            svc.throttle.failed(keys, now)
            message, status = current.words("login_failed"), 401
        elif error.retry_after is not None:
            message, status = current.words("throttled", seconds=error.retry_after), 429
        else:
            message, status = error.message, 403
        fresh = login_token(request)
        response = render(
            request,
            "login.html",
            current,
            status=status,
            action=action,
            token=fresh,
            error=message,
            email=email,
            title=title,
        )
        if status == 429 and error.retry_after is not None:
            response.headers["Retry-After"] = str(error.retry_after)
        return with_login_cookie(response, request, fresh)
    svc.throttle.succeeded(keys[0])
    opened = open_session(svc.access, principal)
    language = request.cookies.get(LANGUAGE_COOKIE)
    if kind is PrincipalKind.CUSTOMER and language in LANGUAGES:
        set_language(svc.access, principal.id, language or "fr")
    redirect = RedirectResponse(home, status_code=303)
    set_session_cookie(redirect, request, opened.secret)
    return redirect


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    return log_out(request, csrf, LOGIN)


def log_out(request: Request, csrf: str, login: str) -> Response:
    current = visitor(request)
    if current.session is not None:
        require_form_token(current, csrf)
        close_session(site_of(request).services.access, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse(login, status_code=303)
    clear_session_cookie(response)
    return response


@router.post("/language")
@page(LOGIN)
def change_language(
    request: Request, lang: Annotated[str, Form(max_length=2)], csrf: Annotated[str, Form(max_length=100)]
) -> Response:
    current = visitor(request)
    session = require_form_token(current, csrf)
    if session.principal.kind is PrincipalKind.CUSTOMER:
        set_language(site_of(request).services.access, session.principal.id, lang)
    response = RedirectResponse(request.headers.get("referer") or "/", status_code=303)
    if lang in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, lang, max_age=365 * 86400, path="/", samesite="lax")
    return response


# --- consumption ------------------------------------------------------------------------------------------------


@router.get("/")
@page(LOGIN)
def home(request: Request) -> Response:
    current = visitor(request)
    if current.session is not None and current.session.principal.is_staff:
        return RedirectResponse("/backoffice/", status_code=303)
    current, who, svc = signed_in(request)
    account_id = account_of(who)
    now = svc.clock.now()
    used = consumption(svc.reader, svc.catalogs, account_id, svc.today())
    outages = outages_for_account(svc.care, account_id, now)
    porting = [
        t
        for t in list_tickets(svc.care, PageRequest(0, 50), now, account_id).items
        if t.ticket.kind is TicketKind.PORTING
    ]
    return render(
        request,
        "home.html",
        current,
        title=current.words("home"),
        used=used,
        charts=_consumption_charts(current.words, used),
        outages=outages,
        porting=porting,
    )


def _consumption_charts(t: Words, used: Consumption) -> dict[str, object]:
    kinds = {"recurring": "kind_recurring", "one_time": "kind_one_time", "usage": "kind_usage"}
    period = charts.bars(
        t("accrued"),
        [
            (f"{line.label} ({t(kinds.get(line.kind, 'kind_one_time'))})", line.net.amount, t.money(line.net))
            for line in used.lines
        ],
    )
    history = charts.columns(t("history"), [(p, gross.amount, t.money(gross)) for p, gross in used.history])
    usage = {}
    for service, unit in _UNITS.items():
        days = [(str(u.day.day), Decimal(u.quantity) / unit) for u in used.usage if u.service == service]
        if days:
            usage[service] = charts.columns(t(service), [(d, q, t.number(round(q, 1))) for d, q in days], height=150)
    return {"period": period, "history": history, "usage": usage}


# --- invoices ---------------------------------------------------------------------------------------------------


@router.get("/invoices")
@page(LOGIN)
def invoices(request: Request, offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> Response:
    current, who, svc = signed_in(request)
    found = list_bills(svc.reader, PageRequest(offset, PAGE_SIZE), DocumentFilter(account_of(who)))
    return render(request, "invoices.html", current, title=current.words("invoices"), page=found)


def _bill(svc: Services, who: Principal, number: str) -> Bill:
    bill = find_bill(svc.reader, number)
    who.require_account(bill.stored.account_id, "document", number)
    return bill


@router.get("/invoices/{number}")
@page(LOGIN)
def invoice(request: Request, number: str) -> Response:
    current, who, svc = signed_in(request)
    bill = _bill(svc, who, number)
    instructions = [i for i in how_to_pay(svc.reader, account_of(who), svc.today()).open if i.number == number]
    qr = epc_qr(instructions[0]) if instructions else None
    return render(
        request,
        "invoice.html",
        current,
        title=f"{current.words('invoice')} {number}",
        bill=bill,
        lines=list(zip(bill.stored.document.lines, bill.stored.meta, strict=True)),
        instruction=instructions[0] if instructions else None,
        qr=qr,
    )


@router.get("/invoices/{number}/lines/{line}")
@page(LOGIN)
def line_explanation(request: Request, number: str, line: int) -> Response:
    current, who, svc = signed_in(request)
    bill = _bill(svc, who, number)
    explanations = {e.number: e for e in explain_bill(bill)}
    if line not in explanations:
        raise TelbillError("line.not_found", f"{number} has no line {line}", ErrorKind.NOT_FOUND)
    found = next(x for x in bill.stored.document.lines if x.number == line)
    return render(
        request, "line.html", current, title=current.words("why"), bill=bill, line=found, why=explanations[line]
    )


@router.get("/invoices/{number}/pdf")
@page(LOGIN)
def invoice_pdf(request: Request, number: str) -> Response:
    _, who, svc = signed_in(request)
    bill = _bill(svc, who, number)
    return Response(
        bill_pdf(svc.renderer, bill),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{number}.pdf"'},
    )


@router.get("/invoices/{number}/ubl")
@page(LOGIN)
def invoice_ubl(request: Request, number: str) -> Response:
    _, who, svc = signed_in(request)
    bill = _bill(svc, who, number)
    return Response(
        bill_ubl(svc.renderer, bill),
        media_type="application/xml",
        headers={"Content-Disposition": f'attachment; filename="{number}.xml"'},
    )


@router.get("/pay")
@page(LOGIN)
def pay(request: Request) -> Response:
    current, who, svc = signed_in(request)
    found = how_to_pay(svc.reader, account_of(who), svc.today())
    codes = {i.number: epc_qr(i) for i in found.open}
    return render(request, "pay.html", current, title=current.words("pay"), found=found, codes=codes)
