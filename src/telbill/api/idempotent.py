"""Running a POST that creates money or documents under its ``Idempotency-Key`` (``app/idempotency.py``).

``once`` claims the key with the request's fingerprint (method, path, query and the validated body), runs the
work, remembers the response and returns it; a repeated request gets the remembered response again, marked
``Idempotent-Replayed: true``. A refused request (a ``TelbillError`` or ``AccessDenied``) releases its key:
it changed nothing, and may be corrected and sent again with the same key.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from telbill.app.access import AccessDenied, Principal
from telbill.app.idempotency import Replay, claim, complete, fingerprint, release
from telbill.app.services import Services
from telbill.core.errors import TelbillError


def json_response(model: BaseModel, status: int = 200, location: str | None = None) -> JSONResponse:
    headers = {"Location": location} if location else None
    return JSONResponse(model.model_dump(mode="json", by_alias=True), status_code=status, headers=headers)


def once(
    svc: Services,
    who: Principal,
    key: str | None,
    request: Request,
    body: BaseModel | None,
    work: Callable[[], Response],
) -> Response:
    if key is None:
        return work()
    owner = f"{who.kind.value}:{who.id}"
    payload = body.model_dump_json(by_alias=True).encode() if body is not None else b""
    path = request.url.path + ("?" + request.url.query if request.url.query else "")
    replay = claim(svc.access, owner, key, fingerprint(request.method, path, payload))
    if replay is not None:
        return Response(
            replay.body,
            status_code=replay.status,
            media_type=replay.media_type,
            headers={"Idempotent-Replayed": "true"},
        )
    try:
        response = work()
    except (TelbillError, AccessDenied):
        release(svc.access, owner, key)
        raise
    media_type = response.media_type or "application/json"
    complete(svc.access, owner, key, Replay(response.status_code, bytes(response.body), media_type))
    return response
