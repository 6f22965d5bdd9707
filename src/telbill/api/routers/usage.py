"""TMF635 usage: the records of calls, SMS and data sessions, latest first; submitting one."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic_core import to_json

from telbill.api.dependencies import IdempotencyKey, PageDep, Reader, ServicesDep, allow, page_response
from telbill.api.idempotent import json_response, once
from telbill.api.params import AccountFilter
from telbill.api.problems import COMMON, WRITES
from telbill.api.schemas.common import href
from telbill.api.schemas.usage import Usage, UsageCreate, usage_json, usage_out
from telbill.app.access import Permission, Principal
from telbill.app.access_store import Page, PageRequest, UsageFilter, UsageSummary
from telbill.app.horizon import check_instant
from telbill.app.orders import find_subscription
from telbill.app.services import Services
from telbill.app.usage_records import SubmittedUsage, find_usage, list_usage, submit_usage

router = APIRouter(tags=["TMF635 usage"], responses=COMMON)
Charger = Annotated[Principal, Depends(allow(Permission.CHARGE))]


@router.get("/usage", response_model=list[Usage], summary="Usage records, latest first")
def list_usage_records(
    svc: ServicesDep,
    who: Reader,
    page: PageDep,
    request: Request,
    response: Response,
    account: AccountFilter = None,
    product: Annotated[str | None, Query(alias="product.id", max_length=64)] = None,
    period_start: Annotated[date | None, Query(alias="billingPeriodStart")] = None,
) -> Response:
    return page_response(*usage_page(svc, who, page, account, product, period_start), request)


def usage_page(
    svc: Services, who: Principal, page: PageRequest, account: str | None, product: str | None, start: date | None
) -> tuple[bytes, Page[UsageSummary]]:
    """The work of ``list_usage_records``, shared with its fast path (``api/hot.py``): the page serialized."""
    scope = who.account_scope()
    if account is not None:
        who.require_account(account)
    if product is not None:
        who.require_account(find_subscription(svc.reading, product).account_id, "subscription", product)
    found = list_usage(svc.reader, page, UsageFilter(None, scope or account, product, start))
    return to_json([usage_json(u) for u in found.items]), found


@router.get("/usage/{id}", response_model=Usage, summary="One usage record")
def get_usage(id: str, svc: ServicesDep, who: Reader) -> Usage:
    found = find_usage(svc.reader, id)
    who.require_account(found.account_id, "usage", id)
    return usage_out(found)


@router.post(
    "/usage",
    response_model=Usage,
    status_code=201,
    responses=WRITES,
    summary="Submit one usage record, checked and placed as a file's row (Idempotency-Key required)",
)
def create_usage(body: UsageCreate, svc: ServicesDep, who: Charger, request: Request, key: IdempotencyKey) -> Response:
    check_instant(body.usage_date, svc.clock.now(), "usageDate")

    def work() -> Response:
        submitted = SubmittedUsage(
            body.id, body.usage_date, body.usage_type, body.subscriber, body.destination, body.country, body.quantity
        )
        summary = submit_usage(svc.usage, svc.customers.unit_of_work, submitted)
        return json_response(usage_out(summary), 201, href(f"/usage/{summary.record_id}"))

    return once(svc, who, key, request, body, work)
