"""TMF676 payments: an account's payments and what they settle; bank statement import (CODA, camt.053); the
review queue of unmatched lines; dunning (a run, and the queue of what it would do today)."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, Request, Response
from pydantic import Field

from telbill.api.dependencies import IdempotencyKey, PageDep, Reader, ServicesDep, Staff, allow, paginated
from telbill.api.idempotent import json_response, once
from telbill.api.problems import COMMON, WRITES
from telbill.api.schemas.common import Money, Ref, Tmf, href, money, ref
from telbill.app.access import Permission, Principal
from telbill.app.access_store import page_of
from telbill.app.dunning import DunningRequest, run_dunning
from telbill.app.horizon import check_day
from telbill.app.payments import assign_review, dismiss_review, import_statements
from telbill.app.receivable_views import PaymentView, dunning_queue, payments_of, review_queue
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.receivables.dunning import Action
from telbill.core.receivables.matching import Match

router = APIRouter(tags=["TMF676 payment, dunning"], responses=COMMON)
Cashier = Annotated[Principal, Depends(allow(Permission.HANDLE_PAYMENTS))]


class PaymentItem(Tmf):
    item: Ref
    amount: Money


class Payment(Tmf):
    id: str
    href: str
    payment_date: date = Field(alias="paymentDate")
    amount: Money
    status: str = Field(description="done, or returned (a direct debit the bank returned)")
    account: Ref
    structured_communication: str | None = Field(default=None, alias="structuredCommunication")
    payment_item: list[PaymentItem] = Field(alias="paymentItem")
    unallocated_amount: Money = Field(alias="unallocatedAmount")
    type: str = Field(default="Payment", alias="@type")


def payment_out(view: PaymentView) -> Payment:
    return Payment(
        id=view.id,
        href=href(f"/payment?billingAccount.id={view.account_id}"),
        payment_date=view.day,
        amount=money(view.amount),
        status="returned" if view.returned else "done",
        account=ref("BillingAccount", view.account_id, f"/billingAccount/{view.account_id}"),
        structured_communication=view.communication,
        payment_item=[
            PaymentItem(item=ref("CustomerBill", n, f"/customerBill/{n}"), amount=money(a)) for n, a in view.settles
        ],
        unallocated_amount=money(view.unallocated),
    )


@router.get("/payment", response_model=list[Payment], summary="An account's payments, latest first")
def list_payments(
    svc: ServicesDep,
    who: Reader,
    page: PageDep,
    request: Request,
    response: Response,
    account: Annotated[str, Query(alias="billingAccount.id", max_length=64)],
) -> list[Payment]:
    who.require_account(account)
    found = page_of(payments_of(svc.reader, account), page)
    paginated(response, found, request)
    return [payment_out(v) for v in found.items]


class StatementImport(Tmf):
    source: str
    format: str
    statements: list[str]
    already_imported: list[str] = Field(alias="alreadyImported")
    lines: int
    outcome: dict[str, int]
    booked: Money
    warning: list[str]


_STATEMENT = Body(media_type="application/octet-stream", description="A CODA or camt.053 file, as the bank gave it")


@router.post(
    "/paymentStatement",
    response_model=StatementImport,
    status_code=201,
    responses=WRITES,
    summary="Import a bank statement file: payments matched and booked, the rest queued for review "
    "(Idempotency-Key required)",
)
def import_statement(
    svc: ServicesDep,
    who: Cashier,
    request: Request,
    key: IdempotencyKey,
    content: Annotated[bytes, _STATEMENT] = b"",
    name: Annotated[str, Query(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._-]+$")] = "statement",
) -> Response:
    reader = svc.statement_reader
    if reader is None:
        raise TelbillError("statement.reader", "this server reads no bank statement", ErrorKind.CONFLICT)

    def work() -> Response:
        with tempfile.TemporaryDirectory(prefix="telbill-statement-") as folder:
            path = Path(folder) / name
            path.write_bytes(content)
            report = import_statements(svc.receivables, reader.read(path))
        out = StatementImport(
            source=report.source,
            format=report.format,
            statements=report.statements,
            already_imported=report.already_imported,
            lines=report.lines,
            outcome={o.value: n for o, n in report.outcomes.items()},
            booked=money(report.booked),
            warning=report.warnings,
        )
        return json_response(out, 201)

    return once(svc, who, key, request, None, work)


class Suggestion(Tmf):
    billing_account: Ref = Field(alias="billingAccount")
    bill: Ref | None = None


class ReviewItem(Tmf):
    id: str
    booked: date
    amount: Money
    payer: str | None = None
    payer_account: str | None = Field(default=None, alias="payerAccount")
    communication: str
    reason: str
    suggestion: list[Suggestion]


def review_out(match: Match) -> ReviewItem:
    line = match.line
    suggestions = [
        Suggestion(
            billing_account=ref("BillingAccount", s.account_id, f"/billingAccount/{s.account_id}"),
            bill=ref("CustomerBill", s.document, f"/customerBill/{s.document}") if s.document else None,
        )
        for s in match.suggestions
    ]
    return ReviewItem(
        id=line.id,
        booked=line.booked,
        amount=money(line.amount),
        payer=line.counterparty_name,
        payer_account=line.counterparty_account,
        communication=line.communication or "",
        reason=match.reason,
        suggestion=suggestions,
    )


@router.get("/paymentReview", response_model=list[ReviewItem], summary="Statement lines waiting for a person")
def list_reviews(svc: ServicesDep, _: Staff, page: PageDep, request: Request, response: Response) -> list[ReviewItem]:
    found = page_of(review_queue(svc.reader), page)
    paginated(response, found, request)
    return [review_out(m) for m in found.items]


class ReviewAssign(Tmf):
    billing_account: Ref = Field(alias="billingAccount")


@router.post(
    "/paymentReview/{id:path}/assign",
    status_code=204,
    responses=WRITES,
    summary="Book a queued line as a payment of an account (Idempotency-Key required)",
)
def assign(
    id: str, body: ReviewAssign, svc: ServicesDep, who: Cashier, request: Request, key: IdempotencyKey
) -> Response:
    def work() -> Response:
        assign_review(svc.receivables, id, body.billing_account.id)
        return Response(status_code=204)

    return once(svc, who, key, request, body, work)


class ReviewDismiss(Tmf):
    reason: str = Field(min_length=1, max_length=500)


@router.post(
    "/paymentReview/{id:path}/dismiss",
    status_code=204,
    responses=WRITES,
    summary="Close a queued line that is no customer's payment",
)
def dismiss(id: str, body: ReviewDismiss, svc: ServicesDep, who: Cashier) -> Response:
    dismiss_review(svc.receivables, id, body.reason)
    return Response(status_code=204)


class DunningAction(Tmf):
    kind: str = Field(description="remind, suspend, hand_over or settle")
    billing_account: Ref = Field(alias="billingAccount")
    day: date = Field(alias="date")
    number: int
    overdue: Money
    overdue_bill: list[Ref] = Field(alias="overdueBill")
    fee: Money | None = None
    product: list[Ref] = Field(default_factory=list)


def action_out(action: Action) -> DunningAction:
    account = action.account_id
    fee = money(action.fee.net) if action.fee is not None else None
    return DunningAction(
        kind=action.kind.value,
        billing_account=ref("BillingAccount", account, f"/billingAccount/{account}"),
        day=action.day,
        number=action.number,
        overdue=money(action.overdue_total),
        overdue_bill=[ref("CustomerBill", i.entry.id, f"/customerBill/{i.entry.id}") for i in action.overdue],
        fee=fee,
        product=[ref("Product", s, f"/product/{s}") for s in action.subscriptions],
    )


class DunningRunCreate(Tmf):
    day: date | None = Field(default=None, alias="date", description="The day of the run (default: today)")
    dry_run: bool = Field(default=False, alias="dryRun")


class DunningRun(Tmf):
    day: date = Field(alias="date")
    dry_run: bool = Field(alias="dryRun")
    accounts: int
    action: list[DunningAction]


@router.post(
    "/dunningRun",
    response_model=DunningRun,
    status_code=201,
    responses=WRITES,
    summary="Chase late payers: reminders with their fees, suspensions, hand-overs (Idempotency-Key required)",
)
def create_dunning_run(
    body: DunningRunCreate, svc: ServicesDep, who: Cashier, request: Request, key: IdempotencyKey
) -> Response:
    check_day(body.day, svc.today(), "date")

    def work() -> Response:
        report = run_dunning(svc.receivables, DunningRequest(body.day or svc.today(), body.dry_run))
        out = DunningRun(
            day=report.day,
            dry_run=report.dry_run,
            accounts=report.accounts,
            action=[action_out(a) for a in report.actions],
        )
        return json_response(out, 201)

    return once(svc, who, key, request, body, work)


@router.get("/dunningQueue", response_model=list[DunningAction], summary="What a dunning run would do today")
def list_dunning_queue(
    svc: ServicesDep, _: Staff, page: PageDep, request: Request, response: Response
) -> list[DunningAction]:
    found = page_of(dunning_queue(svc.receivables, svc.today()), page)
    paginated(response, found, request)
    return [action_out(a) for a in found.items]
