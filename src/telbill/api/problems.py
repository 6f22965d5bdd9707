"""Failures as HTTP: ONE table from what went wrong to a status, and RFC 9457 problem details.

Every failure a use case raises is a ``TelbillError`` with an ``ErrorKind``; every refusal of the access
layer an ``AccessDenied`` with a ``Denial``; a request that does not fit the OpenAPI document is a
``RequestValidationError``. ``telbill.web.status.STATUS`` maps the first two (the portal's error pages use the
same table), and nothing else chooses a status. The body is
``application/problem+json``:

    {"type": "https://telbill.org/problems/not_found", "title": "Not Found", "status": 404,
     "detail": "no document F2026-000099", "code": "document.not_found", "field": "id"}

``type`` names the kind (a stable URI, documented in docs/api.md), ``code`` the precise error, ``field`` the
offending input where there is one (RFC 9457 §3.2 extension members); validation problems list every
failing field in ``errors``.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from telbill.app.access import AccessDenied, Denial
from telbill.app.catalog import CatalogInvalidError
from telbill.core.errors import ErrorKind, TelbillError
from telbill.web.status import STATUS, Malformed

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://telbill.org/problems/"


class FieldProblem(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details, with telbill's ``code`` and ``field`` extension members."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="A URI naming the kind of problem")
    title: str
    status: int
    detail: str
    code: str = Field(description="The precise error, stable: e.g. document.not_found")
    field: str | None = Field(default=None, description="The input at fault, when there is one")
    errors: list[FieldProblem] | None = None


def problem_response(
    kind: ErrorKind | Denial | Malformed, code: str, detail: str, field: str | None = None, **extra: Any
) -> JSONResponse:
    status = STATUS[kind]
    body = Problem(
        type=PROBLEM_BASE + kind.value,
        title=status.phrase,
        status=int(status),
        detail=detail,
        code=code,
        field=field,
        **extra,
    )
    return JSONResponse(body.model_dump(exclude_none=True), status_code=int(status), media_type=PROBLEM_JSON)


def _telbill_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, TelbillError)
    extra: dict[str, Any] = {}
    if isinstance(error, CatalogInvalidError):
        extra["errors"] = [
            {"field": str(f.location), "message": f"{f.severity.value} {f.code}: {f.message}"} for f in error.findings
        ]
    return problem_response(error.kind, error.code, error.message, error.field, **extra)


def _access_denied(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, AccessDenied)
    response = problem_response(error.denial, error.code, error.message)
    if error.denial is Denial.UNAUTHENTICATED:
        response.headers["WWW-Authenticate"] = 'Bearer realm="telbill"'
    if error.retry_after is not None:
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def _location(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(part) for part in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:] or parts
    return ".".join(parts)


def _validation(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    problems = [{"field": _location(e.get("loc", ())), "message": str(e.get("msg", ""))} for e in error.errors()]
    first = problems[0] if problems else {"field": None, "message": "the request is invalid"}
    detail = f"{first['field']}: {first['message']}" if first["field"] else str(first["message"])
    return problem_response(Malformed.REQUEST, "request.invalid", detail, first["field"], errors=problems)


_HTTP_KIND: dict[int, ErrorKind | Denial | Malformed] = {
    404: ErrorKind.NOT_FOUND,
    401: Denial.UNAUTHENTICATED,
    403: Denial.FORBIDDEN,
}


def _http(_: Request, error: Exception) -> JSONResponse:
    """Starlette's own refusals (no such route, method not allowed) as problems too."""
    assert isinstance(error, StarletteHTTPException)
    if error.status_code == 405:
        body = Problem(
            type=PROBLEM_BASE + "method_not_allowed",
            title=HTTPStatus(405).phrase,
            status=405,
            detail=str(error.detail),
            code="request.method",
        )
        return JSONResponse(body.model_dump(exclude_none=True), 405, headers=error.headers, media_type=PROBLEM_JSON)
    kind = _HTTP_KIND.get(error.status_code, Malformed.REQUEST)
    return problem_response(kind, f"http.{error.status_code}", str(error.detail))


def _unexpected(_: Request, error: Exception) -> JSONResponse:
    """A bug: a problem that says nothing of the internals (the server's log has the traceback)."""
    body = Problem(
        type=PROBLEM_BASE + "internal",
        title=HTTPStatus(500).phrase,
        status=500,
        detail="the server failed; the operator's log says why",
        code="server.error",
    )
    return JSONResponse(body.model_dump(exclude_none=True), 500, media_type=PROBLEM_JSON)


def install(app: FastAPI) -> None:
    app.add_exception_handler(Exception, _unexpected)
    app.add_exception_handler(TelbillError, _telbill_error)
    app.add_exception_handler(AccessDenied, _access_denied)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)


def _problem_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}}


# the failures every operation may answer, declared in the OpenAPI document
COMMON: dict[int | str, dict[str, Any]] = {
    401: _problem_response("No credentials, or credentials that do not hold"),
    403: _problem_response("The role does not allow this"),
    404: _problem_response("What the request names does not exist (or is another customer's)"),
    400: _problem_response("The request does not fit this document; `errors` names every field"),
    422: _problem_response("The request breaks a rule of the domain; `field` names the input"),
}
WRITES: dict[int | str, dict[str, Any]] = {
    **COMMON,
    409: _problem_response("The state forbids it, or the idempotency key was used for another request"),
}
