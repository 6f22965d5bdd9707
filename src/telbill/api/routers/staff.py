"""Who is asking (``/me``); staff members and their API tokens (admin only). A token is shown once, when
issued; the store keeps its SHA-256 only."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import Field

from telbill.api.dependencies import PageDep, PrincipalDep, ServicesDep, allow, paginated
from telbill.api.problems import COMMON, WRITES
from telbill.api.schemas.common import Ref, Tmf, href, ref
from telbill.app.access import Permission, Principal, Role
from telbill.app.access_store import page_of
from telbill.app.identities import NewStaff, create_staff, issue_token, revoke_token

router = APIRouter(tags=["Staff and tokens"], responses=COMMON)
Admin = Annotated[Principal, Depends(allow(Permission.MANAGE_STAFF))]


class Me(Tmf):
    id: str
    name: str
    kind: str = Field(description="staff or customer")
    role: str | None = None
    permission: list[str]
    billing_account: Ref | None = Field(default=None, alias="billingAccount")


@router.get("/me", response_model=Me, summary="Who the credentials belong to, and what they allow")
def get_me(who: PrincipalDep) -> Me:
    account = who.account_id
    return Me(
        id=who.id,
        name=who.name,
        kind=who.kind.value,
        role=who.role.value if who.role else None,
        permission=sorted(p.value for p in who.permissions),
        billing_account=ref("BillingAccount", account, f"/billingAccount/{account}") if account else None,
    )


class StaffCreate(Tmf):
    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    email: str = Field(min_length=3, max_length=254)
    name: str = Field(min_length=1, max_length=200)
    role: Role
    password: str | None = Field(default=None, min_length=10, max_length=200, description="For the back office")


class StaffOut(Tmf):
    id: str
    href: str
    email: str
    name: str
    role: str
    active: bool


@router.get("/staff", response_model=list[StaffOut], summary="Staff members")
def list_staff(svc: ServicesDep, _: Admin, page: PageDep, request: Request, response: Response) -> list[StaffOut]:
    with svc.reader() as uow:
        everyone = uow.identities.all_staff()
    found = page_of(everyone, page)
    paginated(response, found, request)
    return [
        StaffOut(id=s.id, href=href(f"/staff/{s.id}"), email=s.email, name=s.name, role=s.role.value, active=s.active)
        for s in found.items
    ]


@router.post("/staff", response_model=StaffOut, status_code=201, responses=WRITES, summary="Add a staff member")
def add_staff(body: StaffCreate, svc: ServicesDep, _: Admin) -> StaffOut:
    s = create_staff(svc.access, NewStaff(body.id, body.email, body.name, body.role, body.password))
    return StaffOut(
        id=s.id, href=href(f"/staff/{s.id}"), email=s.email, name=s.name, role=s.role.value, active=s.active
    )


class TokenCreate(Tmf):
    name: str = Field(min_length=1, max_length=100)


class TokenOut(Tmf):
    id: str
    name: str
    staff: Ref
    created: datetime
    revoked: bool
    token: str | None = Field(default=None, description="The token itself: shown once, now")


@router.post(
    "/staff/{id}/apiToken",
    response_model=TokenOut,
    status_code=201,
    responses=WRITES,
    summary="Issue an API token for a staff member (shown once)",
)
def add_token(id: str, body: TokenCreate, svc: ServicesDep, _: Admin) -> TokenOut:
    issued = issue_token(svc.access, id, body.name)
    t = issued.token
    return TokenOut(
        id=t.id,
        name=t.name,
        staff=ref("Staff", id, f"/staff/{id}"),
        created=t.created,
        revoked=t.revoked,
        token=issued.secret,
    )


@router.post("/apiToken/{id}/revoke", status_code=204, responses=WRITES, summary="Revoke an API token")
def revoke(id: str, svc: ServicesDep, _: Admin) -> Response:
    revoke_token(svc.access, id)
    return Response(status_code=204)
