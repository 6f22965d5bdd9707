"""TMF666 billing accounts: open, read, list; the account's portal logins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from telbill.api.dependencies import OptionalIdempotencyKey, PageDep, Reader, ServicesDep, allow, paginated
from telbill.api.idempotent import json_response, once
from telbill.api.problems import COMMON, WRITES
from telbill.api.schemas.accounts import (
    BillingAccount,
    BillingAccountCreate,
    PortalLogin,
    PortalLoginCreate,
    account_out,
    summary_out,
)
from telbill.api.schemas.common import href, ref
from telbill.app.access import Permission, Principal
from telbill.app.bills import ledger_view
from telbill.app.customers import MandateRequest, NewAccount, find_account, list_accounts, open_account
from telbill.app.identities import create_login

router = APIRouter(tags=["TMF666 account"], responses=COMMON)
Manager = Annotated[Principal, Depends(allow(Permission.MANAGE_CUSTOMERS))]


@router.get("/billingAccount", response_model=list[BillingAccount], summary="Accounts, a page at a time")
def list_billing_accounts(
    svc: ServicesDep,
    who: Reader,
    page: PageDep,
    request: Request,
    response: Response,
    catalog: Annotated[str | None, Query(alias="productCatalog.id", max_length=64)] = None,
) -> list[BillingAccount]:
    scope = who.account_scope()
    if scope is not None:  # a customer: their own account, whatever the filter
        account = find_account(svc.reading, scope)
        mine = [account_out(account)] if catalog in (None, account.catalog_id) else []
        response.headers["X-Total-Count"] = response.headers["X-Result-Count"] = str(len(mine))
        return mine[page.offset : page.offset + page.limit]
    found = list_accounts(svc.reading, page, catalog)
    paginated(response, found, request)
    return [summary_out(summary) for summary in found.items]


@router.post(
    "/billingAccount", response_model=BillingAccount, status_code=201, responses=WRITES, summary="Open an account"
)
def create_billing_account(
    body: BillingAccountCreate, svc: ServicesDep, who: Manager, request: Request, key: OptionalIdempotencyKey = None
) -> Response:
    def work() -> Response:
        address = body.postal_address
        mandate = None
        if body.mandate is not None:
            m = body.mandate
            mandate = MandateRequest(m.reference, m.signature_date, m.iban, m.bic)
        new = NewAccount(
            body.name,
            address.street,
            address.post_code,
            address.city,
            body.product_catalog.id,
            body.account_type,
            body.language,
            address.country,
            body.id,
            body.enterprise_number,
            body.vat_number,
            body.email_address,
            body.billing_day,
            body.payment_terms_days,
            mandate,
        )
        account = open_account(svc.customers, new)
        return json_response(account_out(account), 201, href(f"/billingAccount/{account.id}"))

    return once(svc, who, key, request, body, work)


@router.get("/billingAccount/{id}", response_model=BillingAccount, summary="One account, with its balance")
def get_billing_account(id: str, svc: ServicesDep, who: Reader) -> BillingAccount:
    who.require_account(id, "account")
    account = find_account(svc.reading, id)
    with svc.reader() as uow:
        balance = ledger_view(uow, id).balance()
    return account_out(account, balance)


@router.post(
    "/billingAccount/{id}/portalLogin",
    response_model=PortalLogin,
    status_code=201,
    responses=WRITES,
    summary="Give the customer a portal login (e-mail and password)",
)
def create_portal_login(id: str, body: PortalLoginCreate, svc: ServicesDep, who: Manager) -> PortalLogin:
    language = body.language.value if body.language is not None else None
    login_id = create_login(svc.access, id, body.email, body.password, language)
    return PortalLogin(
        id=login_id,
        email=body.email.strip().lower(),
        billing_account=ref("BillingAccount", id, f"/billingAccount/{id}"),
    )
