"""What every route needs, as FastAPI dependencies: the services, who is asking, pages, idempotency keys.

The dependencies are coroutines: they run on the event loop, without a hop to the thread pool. Checking a
token is a lookup in the credential cache (``app/identities.py``), or on a miss two indexed reads; a session,
one indexed read.

Authentication: a staff API token (``Authorization: Bearer tbk_…``) or a portal session cookie (a customer, or
staff of the back office). A state-changing request authenticated by cookie must carry the session's CSRF
token in ``X-CSRF-Token`` (a form of another site cannot set it); a bearer token needs none.
Authorization is the route's: ``allow(Permission.X)`` for staff operations; customer-readable routes take
``reader`` and then ask ``principal.require_account`` for what they found.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Request, Response
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from starlette.datastructures import URL

from telbill.api.params import DEFAULT_LIMIT, DEFAULT_OFFSET, Limit, Offset
from telbill.app.access import AccessDenied, Denial, Permission, Principal
from telbill.app.access_store import Page, PageRequest
from telbill.app.identities import authenticate_token, session_of
from telbill.app.services import Services

SESSION_COOKIE = "telbill_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_bearer = HTTPBearer(auto_error=False, description="A staff API token: tbk_<id>_<secret>")
_cookie = APIKeyCookie(name=SESSION_COOKIE, auto_error=False, description="A portal or back-office session")


async def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


ServicesDep = Annotated[Services, Depends(services)]


async def principal(
    request: Request,
    svc: ServicesDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    cookie: Annotated[str | None, Depends(_cookie)],
) -> Principal:
    if bearer is not None:
        return authenticate_token(svc.access, bearer.credentials)
    if cookie:
        session = session_of(svc.access, cookie)
        if request.method not in SAFE_METHODS:
            presented = request.headers.get(CSRF_HEADER, "")
            if not hmac.compare_digest(presented, session.record.csrf_token):
                raise AccessDenied(
                    "access.csrf", f"a session needs its {CSRF_HEADER} to change anything", Denial.FORBIDDEN
                )
        return session.principal
    raise AccessDenied("access.unauthenticated", "send a bearer token or a session cookie", Denial.UNAUTHENTICATED)


PrincipalDep = Annotated[Principal, Depends(principal)]


def allow(permission: Permission) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that admits staff holding ``permission``; everyone else is refused (403)."""

    async def check(who: PrincipalDep) -> Principal:
        who.require(permission)
        return who

    check.__name__ = f"allow_{permission.value}"
    return check


Reader = Annotated[Principal, Depends(principal)]  # staff who may read, or a customer (limited to their own)
Staff = Annotated[Principal, Depends(allow(Permission.READ))]


@dataclass(frozen=True, slots=True)
class Paging:
    request: PageRequest


async def paging(offset: Offset = DEFAULT_OFFSET, limit: Limit = DEFAULT_LIMIT) -> PageRequest:
    return PageRequest(offset, limit)


PageDep = Annotated[PageRequest, Depends(paging)]


def paginated(response: Response, page: Page[Any], request: Request) -> None:
    """TMF630 pagination: ``X-Total-Count``, ``X-Result-Count``, and a ``Link`` to the next and previous pages."""
    response.headers.update(page_headers(page, request.url))


def page_headers(page: Page[Any], url: URL) -> dict[str, str]:
    """The pagination headers of ``paginated``, for the request of ``url``."""
    headers = {"X-Total-Count": str(page.total), "X-Result-Count": str(len(page.items))}
    links = []
    if page.offset + len(page.items) < page.total:
        links.append(f'<{url.include_query_params(offset=page.offset + page.limit, limit=page.limit)}>; rel="next"')
    if page.offset > 0:
        previous = url.include_query_params(offset=max(0, page.offset - page.limit), limit=page.limit)
        links.append(f'<{previous}>; rel="prev"')
    if links:
        headers["Link"] = ", ".join(links)
    return headers


def page_response(content: bytes, page: Page[Any], request: Request) -> Response:
    """A page already serialized (the list endpoints that must be fast build it with ``pydantic_core.to_json``,
    skipping FastAPI's second validation of the response), with the pagination headers."""
    response = Response(content, media_type="application/json")
    paginated(response, page, request)
    return response


IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=r"^[\x21-\x7e]+$",
        description="A key of your choice, unique per operation: repeating the request with it does nothing twice",
    ),
]
OptionalIdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", min_length=1, max_length=255, pattern=r"^[\x21-\x7e]+$"),
]
