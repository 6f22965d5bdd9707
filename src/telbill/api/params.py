"""The query parameters of the list routes, each defined once: the routes declare them with these types, and the
hot lists (``hot.py``) check a request's query with the very same types (``checker``), so the two cannot accept
different queries. Every parameter carries its query name as its alias (``query_name``): the name is part of
the definition too.
"""

from __future__ import annotations

from typing import Annotated, Any, get_args

from fastapi import Query
from fastapi.params import Query as QueryInfo
from pydantic import TypeAdapter

from telbill.app.access_store import MAX_PAGE

MAX_OFFSET = 1_000_000
DEFAULT_OFFSET, DEFAULT_LIMIT = 0, 20

Offset = Annotated[int, Query(alias="offset", ge=0, le=MAX_OFFSET, description="How many results to skip")]
Limit = Annotated[int, Query(alias="limit", ge=1, le=MAX_PAGE, description="How many results to return")]
AccountFilter = Annotated[str | None, Query(alias="billingAccount.id", max_length=64)]
DocumentTypeFilter = Annotated[str | None, Query(alias="documentType", pattern="^(invoice|creditNote)$")]
PeriodFilter = Annotated[str | None, Query(alias="period", pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")]


def query_name(parameter: object) -> str:
    """The name of one of the types above in the query string."""
    info = next(m for m in get_args(parameter)[1:] if isinstance(m, QueryInfo))
    assert info.alias is not None, f"{parameter} has no query name"
    return info.alias


def checker(parameter: Any) -> TypeAdapter[Any]:
    """The parameter's own validation (its type and the Query's bounds, as FastAPI applies them): a value it
    refuses raises ``pydantic.ValidationError``."""
    return TypeAdapter(parameter)
