"""The two hot lists — ``GET /api/v1/customerBill`` and ``GET /api/v1/usage`` of one account — answered before
FastAPI's routing and dependency solving, which cost as much CPU as the lists themselves (issue 7: 500
requests/s on two cores).

Only the plain case is taken: a bearer token, and query parameters that are all known and single, each valid
by the route's own parameter type (``params.py``: the same bounds and patterns, checked by the same validation).
Everything else — a session cookie, no credentials, a parameter the route refuses (FastAPI then answers its
problem) or that is not taken here, any error raised while answering — is passed to the FastAPI application,
which answers it exactly as before: the routes are still declared there (the OpenAPI document, schemathesis and
the permission tests see them) and do the same work through the same functions (``bills_page``, ``usage_page``,
``page_headers``), writing each item with the one builder of its representation (``summary_bill_json``,
``usage_json``). ``tests/api/test_hot_lists.py`` holds the answers of both ways equal, byte for byte.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from anyio import CapacityLimiter, to_thread
from pydantic import TypeAdapter, ValidationError
from starlette.datastructures import URL, QueryParams
from starlette.types import ASGIApp, Receive, Scope, Send

from telbill.api.dependencies import page_headers
from telbill.api.params import (
    DEFAULT_LIMIT,
    DEFAULT_OFFSET,
    AccountFilter,
    DocumentTypeFilter,
    Limit,
    Offset,
    PeriodFilter,
    checker,
    query_name,
)
from telbill.api.routers.bills import bills_page
from telbill.api.routers.usage import usage_page
from telbill.api.schemas.common import API_PREFIX
from telbill.app.access import Principal
from telbill.app.access_store import Page, PageRequest
from telbill.app.identities import authenticate_token
from telbill.app.services import Services

Lister = Callable[[Services, Principal, PageRequest, dict[str, Any]], tuple[bytes, Page[Any]]]
# Threads answering hot lists at once, per process: fewer than the reading engine's pool of ten connections
# (``adapters/db/readonly.py``), so a burst (the process descheduled for a while) waits here for a thread
# instead of opening and closing PostgreSQL connections beyond the pool; more would not go faster on two cores.
HOT_THREADS = 8
OFFSET, LIMIT, ACCOUNT, DOCUMENT_TYPE, PERIOD = map(
    query_name, (Offset, Limit, AccountFilter, DocumentTypeFilter, PeriodFilter)
)


def _bills(svc: Services, who: Principal, page: PageRequest, query: dict[str, Any]) -> tuple[bytes, Page[Any]]:
    return bills_page(svc, who, page, query.get(ACCOUNT), query.get(DOCUMENT_TYPE), query.get(PERIOD))


def _usage(svc: Services, who: Principal, page: PageRequest, query: dict[str, Any]) -> tuple[bytes, Page[Any]]:
    return usage_page(svc, who, page, query.get(ACCOUNT), None, None)


@dataclass(frozen=True, slots=True)
class HotList:
    lister: Lister
    checks: Mapping[str, TypeAdapter[Any]]  # by query name: the route's own parameter types (``params.py``)


def _hot(lister: Lister, *filters: Any) -> HotList:
    return HotList(lister, MappingProxyType({query_name(p): checker(p) for p in (Offset, Limit, *filters)}))


LISTS: Mapping[str, HotList] = MappingProxyType(
    {
        f"{API_PREFIX}/customerBill": _hot(_bills, AccountFilter, DocumentTypeFilter, PeriodFilter),
        f"{API_PREFIX}/usage": _hot(_usage, AccountFilter),
    }
)


class HotLists:
    """ASGI middleware: the plain requests of the hot lists answered here, every other request passed on."""

    def __init__(self, app: ASGIApp, services: Services) -> None:
        self.app = app
        self.services = services
        self._threads: CapacityLimiter | None = None  # made in the event loop, on the first hot request

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        hot = LISTS.get(scope["path"]) if scope["type"] == "http" and scope["method"] == "GET" else None
        plain = _plain(scope, hot.checks) if hot is not None and not scope.get("root_path") else None
        if hot is None or plain is None:
            return await self.app(scope, receive, send)
        token, page, query = plain
        try:
            who = authenticate_token(self.services.access, token)
            self._threads = self._threads or CapacityLimiter(HOT_THREADS)
            body, found = await to_thread.run_sync(hot.lister, self.services, who, page, query, limiter=self._threads)
        except Exception:  # the FastAPI application answers it, as it answers every failure
            return await self.app(scope, receive, send)
        await _answer(send, body, page_headers(found, URL(scope=scope)))


def _plain(scope: Scope, checks: Mapping[str, TypeAdapter[Any]]) -> tuple[str, PageRequest, dict[str, Any]] | None:
    """(token, page, filters) of a plain request, else None (see the module doc)."""
    token = _bearer(scope["headers"])
    if token is None:
        return None
    pairs = QueryParams(scope["query_string"]).multi_items()  # decoded as FastAPI decodes them
    query = dict(pairs)
    if len(query) != len(pairs) or not query.keys() <= checks.keys():
        return None
    try:
        values = {name: checks[name].validate_python(value) for name, value in query.items()}
    except ValidationError:  # the route refuses it too: FastAPI answers the problem, naming the parameter
        return None
    return token, PageRequest(values.pop(OFFSET, DEFAULT_OFFSET), values.pop(LIMIT, DEFAULT_LIMIT)), values


def _bearer(headers: list[tuple[bytes, bytes]]) -> str | None:
    """The credentials of the first Authorization header when it says Bearer (as ``fastapi.security.HTTPBearer``
    reads it), else None."""
    for name, value in headers:
        if name == b"authorization":
            scheme, _, credentials = value.decode("latin-1").partition(" ")
            credentials = credentials.strip()
            return credentials if scheme.lower() == "bearer" and credentials else None
    return None


def _answer(send: Send, body: bytes, headers: dict[str, str]) -> Awaitable[None]:
    """As ``page_response`` answers: Starlette's ``Response`` headers first, then the pagination's."""
    raw = [(b"content-length", str(len(body)).encode()), (b"content-type", b"application/json")]
    raw += [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]

    async def sent() -> None:
        await send({"type": "http.response.start", "status": 200, "headers": raw})
        await send({"type": "http.response.body", "body": body})

    return sent()
