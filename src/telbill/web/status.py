"""The ONE table from what went wrong to an HTTP status (the API's problem details, the portal's error pages).

A use case fails with a ``TelbillError`` and its ``ErrorKind``; the access layer refuses with an
``AccessDenied`` and its ``Denial``. Nothing else chooses a status.
"""

from __future__ import annotations

from http import HTTPStatus

from telbill.app.access import Denial
from telbill.core.errors import ErrorKind

STATUS: dict[ErrorKind | Denial, HTTPStatus] = {
    ErrorKind.INVALID: HTTPStatus.UNPROCESSABLE_ENTITY,
    ErrorKind.NEEDS_INPUT: HTTPStatus.UNPROCESSABLE_ENTITY,
    ErrorKind.NOT_FOUND: HTTPStatus.NOT_FOUND,
    ErrorKind.CONFLICT: HTTPStatus.CONFLICT,
    Denial.UNAUTHENTICATED: HTTPStatus.UNAUTHORIZED,
    Denial.FORBIDDEN: HTTPStatus.FORBIDDEN,
    Denial.THROTTLED: HTTPStatus.TOO_MANY_REQUESTS,
}
