"""The ONE table from what went wrong to an HTTP status (the API's problem details, the portal's error pages).

A use case fails with a ``TelbillError`` and its ``ErrorKind``; the access layer refuses with an
``AccessDenied`` and its ``Denial``; a request that does not even fit the OpenAPI document (a missing field, a
wrong type) is ``Malformed``: 400, distinct from a well-formed request that breaks a rule of the domain (422).
Nothing else chooses a status.
"""

from __future__ import annotations

from enum import Enum
from http import HTTPStatus

from telbill.app.access import Denial
from telbill.core.errors import ErrorKind


class Malformed(Enum):
    REQUEST = "malformed"  # refused by the request's own schema, before any use case


STATUS: dict[ErrorKind | Denial | Malformed, HTTPStatus] = {
    Malformed.REQUEST: HTTPStatus.BAD_REQUEST,
    ErrorKind.INVALID: HTTPStatus.UNPROCESSABLE_ENTITY,
    ErrorKind.NEEDS_INPUT: HTTPStatus.UNPROCESSABLE_ENTITY,
    ErrorKind.NOT_FOUND: HTTPStatus.NOT_FOUND,
    ErrorKind.CONFLICT: HTTPStatus.CONFLICT,
    Denial.UNAUTHENTICATED: HTTPStatus.UNAUTHORIZED,
    Denial.FORBIDDEN: HTTPStatus.FORBIDDEN,
    Denial.THROTTLED: HTTPStatus.TOO_MANY_REQUESTS,
}
