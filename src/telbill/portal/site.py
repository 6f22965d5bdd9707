"""The portal's plumbing: templates, sessions in secure cookies, CSRF tokens, login throttling, error pages.

Contract:
- ``mount(app, services)`` adds the customer portal (``/``) and the back office (``/backoffice``) to a FastAPI
  application, outside its OpenAPI document, and serves ``static/`` at ``/static``. Nothing at import time.
- A session is the ``telbill_session`` cookie: HttpOnly, SameSite=Lax, Secure (unless the server is told it is
  reached over plain HTTP on another host than the loopback), Path=/, eight hours. Its secret is kept as a
  hash (``app/identities.py``). Every form carries the session's CSRF token; the login forms, before any
  session, a token that must match the ``telbill_login`` cookie (double submit).
- Failed logins are counted per e-mail and per client address (``app/throttle.py``): after five in fifteen
  minutes the form answers 429 and says how long to wait.
- Errors become pages in the visitor's language with the status of ``telbill.web.status.STATUS``; a visitor
  without a session is sent to the login page. Every page forbids framing, scripts and other origins (CSP).
"""

from __future__ import annotations

import functools
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape

from telbill.app.access import AccessDenied, Denial, PrincipalKind
from telbill.app.identities import ActiveSession, check_csrf, session_of
from telbill.app.services import Services
from telbill.core.errors import ErrorKind, TelbillError
from telbill.portal.i18n import LANGUAGES, Words, choose, from_accept_language
from telbill.web.status import STATUS

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "telbill_session"
LOGIN_COOKIE = "telbill_login"
LANGUAGE_COOKIE = "telbill_lang"
SESSION_SECONDS = 8 * 3600
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


@dataclass(frozen=True, slots=True)
class Site:
    services: Services
    templates: Environment
    secure_cookies: bool


def site_of(request: Request) -> Site:
    found: Site = request.app.state.portal
    return found


@dataclass(frozen=True, slots=True)
class Visitor:
    """Who is looking at a page, in which language."""

    session: ActiveSession | None
    words: Words

    @property
    def csrf(self) -> str:
        return self.session.record.csrf_token if self.session is not None else ""


def _session(request: Request) -> ActiveSession | None:
    secret = request.cookies.get(SESSION_COOKIE)
    if not secret:
        return None
    try:
        return session_of(site_of(request).services.access, secret)
    except AccessDenied:
        return None


def visitor(request: Request, staff_default: bool = False) -> Visitor:
    session = _session(request)
    account_language = None
    if session is not None and session.principal.account_id is not None:
        account_language = session.language
    chosen = choose(
        account_language,
        request.cookies.get(LANGUAGE_COOKIE),
        from_accept_language(request.headers.get("accept-language")),
        "en" if staff_default else "fr",
    )
    return Visitor(session, Words(chosen))


def render(request: Request, name: str, visitor: Visitor, status: int = 200, **context: Any) -> HTMLResponse:
    site = site_of(request)
    template = site.templates.get_template(name)
    html = template.render(t=visitor.words, visitor=visitor, languages=LANGUAGES, request=request, **context)
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)


def set_session_cookie(response: Response, request: Request, secret: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=SESSION_SECONDS,
        path="/",
        httponly=True,
        samesite="lax",
        secure=site_of(request).secure_cookies,
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def login_token(request: Request) -> str:
    """The double-submit token of a login form: the cookie's, or a new one (set by ``with_login_cookie``)."""
    return request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)


def with_login_cookie(response: Response, request: Request, token: str) -> Response:
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=3600,
        path="/",
        httponly=True,
        samesite="strict",
        secure=site_of(request).secure_cookies,
    )
    return response


def check_login_token(request: Request, presented: str) -> None:
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, presented):
        raise AccessDenied("access.csrf", "the form is stale or forged: reload the page", Denial.FORBIDDEN)


def client_address(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


def require_form_token(current: Visitor, presented: str) -> ActiveSession:
    if current.session is None:
        raise AccessDenied("access.unauthenticated", "log in", Denial.UNAUTHENTICATED)
    check_csrf(current.session, presented)
    return current.session


P = ParamSpec("P")


def page(login_path: str) -> Callable[[Callable[P, Response]], Callable[P, Response]]:
    """Turn a failure of a page into an error page (or a redirect to ``login_path`` for a visitor without a
    session), with the status of the one table."""

    def decorate(handler: Callable[P, Response]) -> Callable[P, Response]:
        @functools.wraps(handler)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> Response:
            request = kwargs.get("request")
            assert isinstance(request, Request), "a portal page takes the request as a keyword argument"
            try:
                return handler(*args, **kwargs)
            except AccessDenied as error:
                if error.denial is Denial.UNAUTHENTICATED:
                    return RedirectResponse(login_path, status_code=303)
                return _error_page(request, STATUS[error.denial], error.message, error.code, login_path)
            except TelbillError as error:
                return _error_page(request, STATUS[error.kind], error.message, error.code, login_path)

        return wrapped

    return decorate


def _error_page(request: Request, status: int, message: str, code: str, login_path: str) -> HTMLResponse:
    current = visitor(request, staff_default=login_path.startswith("/backoffice"))
    if status == STATUS[ErrorKind.NOT_FOUND]:
        message = current.words("not_found")
    return render(
        request,
        "error.html",
        current,
        status=status,
        message=message,
        code=code,
        home="/backoffice/" if login_path.startswith("/backoffice") else "/",
    )


def require_kind(current: Visitor, kind: PrincipalKind) -> ActiveSession:
    session = current.session
    if session is None:
        raise AccessDenied("access.unauthenticated", "log in", Denial.UNAUTHENTICATED)
    if session.principal.kind is not kind:
        raise AccessDenied("access.forbidden", "this page is not for this login", Denial.FORBIDDEN)
    return session


def mount(app: FastAPI, services: Services, secure_cookies: bool = True) -> None:
    """Add the portal and the back office to ``app`` (see the module doc)."""
    from telbill.portal import backoffice, customer, tickets

    templates = Environment(
        loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]), auto_reload=False
    )
    app.state.portal = Site(services, templates, secure_cookies)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(customer.router, include_in_schema=False)
    app.include_router(tickets.router, include_in_schema=False)
    app.include_router(backoffice.router, prefix="/backoffice", include_in_schema=False)
