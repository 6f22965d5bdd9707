"""Idempotency keys: a request that creates money or documents is done once, however often it is sent.

Contract (the ``Idempotency-Key`` header of the IETF draft, as payment APIs use it):
1. ``claim`` records the key for the principal with the request's fingerprint *before* the work, in its own
   transaction. A key seen before with another fingerprint is refused (``idempotency.mismatch``, CONFLICT);
   one whose first request is still running too (``idempotency.in_progress``, CONFLICT); one that finished is
   answered with the remembered response, replayed as it was.
2. ``complete`` remembers the response after the work; ``release`` forgets the key when the work failed
   without changing anything (a refused request may be corrected and sent again with the same key).
A process that dies between the work and ``complete`` leaves the key *in progress*: a retry is refused rather
than done twice; the operator looks (the documents are in the store).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from telbill.app.access_store import KeyedResponse
from telbill.app.identities import AccessDeps
from telbill.core.errors import ErrorKind, TelbillError

IN_PROGRESS = 0


@dataclass(frozen=True, slots=True)
class Replay:
    status: int
    body: bytes
    media_type: str


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


def check_key(key: str) -> str:
    if not 1 <= len(key) <= 255 or not key.isascii() or not key.isprintable():
        message = "an idempotency key is 1 to 255 printable ASCII characters"
        raise TelbillError("idempotency.key", message, field="Idempotency-Key")
    return key


def claim(deps: AccessDeps, principal: str, key: str, request_fingerprint: str) -> Replay | None:
    """None: go ahead (the key is now in progress); a ``Replay``: answer with it, do nothing."""
    claimed = KeyedResponse(principal, check_key(key), request_fingerprint, IN_PROGRESS, b"", "", deps.clock.now())
    with deps.unit_of_work() as uow:
        known = uow.idempotency.claim(claimed)
        uow.commit()
    if known is None:
        return None
    if known.fingerprint != request_fingerprint:
        message = "this idempotency key was used for another request: use a new key for a new request"
        raise TelbillError("idempotency.mismatch", message, ErrorKind.CONFLICT, "Idempotency-Key")
    if known.status == IN_PROGRESS:
        message = "the first request with this idempotency key is still running (or was interrupted)"
        raise TelbillError("idempotency.in_progress", message, ErrorKind.CONFLICT, "Idempotency-Key")
    return Replay(known.status, known.body, known.media_type)


def complete(deps: AccessDeps, principal: str, key: str, replay: Replay) -> None:
    with deps.unit_of_work() as uow:
        uow.idempotency.complete(principal, key, replay.status, replay.body, replay.media_type)
        uow.commit()


def release(deps: AccessDeps, principal: str, key: str) -> None:
    with deps.unit_of_work() as uow:
        uow.idempotency.release(principal, key)
        uow.commit()
