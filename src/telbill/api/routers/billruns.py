"""Bill runs: start one (in the background), follow its progress. TM Forum has no bill run resource; the
shape follows TMF conventions (a task resource with a ``state``, as TMF's monitors do)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import Field

from telbill.api.dependencies import IdempotencyKey, PageDep, ServicesDep, Staff, allow, paginated
from telbill.api.idempotent import json_response, once
from telbill.api.problems import COMMON, WRITES
from telbill.api.schemas.common import Money, Ref, Tmf, href, money, ref
from telbill.app.access import Permission, Principal
from telbill.app.access_store import page_of
from telbill.app.billing import BillRunRequest
from telbill.app.billruns import BillRunJob
from telbill.app.horizon import check_day, check_period

router = APIRouter(tags=["Bill runs"], responses=COMMON)
Runner = Annotated[Principal, Depends(allow(Permission.RUN_BILLING))]


class BillRunCreate(Tmf):
    period: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="The period billed, YYYY-MM")
    bill_date: date | None = Field(default=None, alias="billDate", description="Issue date (default: today)")
    batch_size: int = Field(default=500, ge=1, le=5000, alias="batchSize")


class BillRun(Tmf):
    id: str
    href: str
    period: str
    bill_date: date = Field(alias="billDate")
    state: str = Field(description="inProgress, completed or failed")
    accounts: int
    accounts_done: int = Field(alias="accountsDone")
    progress: float = Field(description="Accounts done / accounts, 0 to 1")
    invoices: int
    credit_notes: int = Field(alias="creditNotes")
    total_signed_gross: Money = Field(alias="totalSignedGross")
    start_date_time: datetime = Field(alias="startDateTime")
    completion_date_time: datetime | None = Field(default=None, alias="completionDateTime")
    error: str | None = None
    customer_bill: list[Ref] = Field(default_factory=list, alias="customerBill")
    type: str = Field(default="BillRun", alias="@type")


def run_out(job: BillRunJob) -> BillRun:
    progress = job.accounts_done / job.accounts if job.accounts else (1.0 if job.finished else 0.0)
    return BillRun(
        id=job.id,
        href=href(f"/billRun/{job.id}"),
        period=job.period,
        bill_date=job.issue_date,
        state=job.state.value,
        accounts=job.accounts,
        accounts_done=job.accounts_done,
        progress=round(progress, 4),
        invoices=job.invoices,
        credit_notes=job.credit_notes,
        total_signed_gross=money(job.total_signed_gross),
        start_date_time=job.started,
        completion_date_time=job.finished,
        error=job.error,
        customer_bill=[ref("CustomerBill", n, f"/customerBill/{n}") for n in job.documents],
    )


@router.post(
    "/billRun",
    response_model=BillRun,
    status_code=202,
    responses=WRITES,
    summary="Start a bill run (Idempotency-Key required); follow it at its href",
)
def create_bill_run(
    body: BillRunCreate, svc: ServicesDep, who: Runner, request: Request, key: IdempotencyKey
) -> Response:
    check_period(body.period, svc.today())
    check_day(body.bill_date, svc.today(), "billDate")

    def work() -> Response:
        job = svc.bill_runs.start(BillRunRequest(body.period, body.bill_date or svc.today(), body.batch_size))
        return json_response(run_out(job), 202, href(f"/billRun/{job.id}"))

    return once(svc, who, key, request, body, work)


@router.get("/billRun", response_model=list[BillRun], summary="The bill runs of this server, latest first")
def list_bill_runs(svc: ServicesDep, _: Staff, page: PageDep, request: Request, response: Response) -> list[BillRun]:
    found = page_of(svc.bill_runs.recent(), page)
    paginated(response, found, request)
    return [run_out(job) for job in found.items]


@router.get("/billRun/{id}", response_model=BillRun, summary="A bill run and its progress")
def get_bill_run(id: str, svc: ServicesDep, _: Staff) -> BillRun:
    return run_out(svc.bill_runs.get(id))
