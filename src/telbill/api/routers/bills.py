"""TMF678 customer bills: invoices and credit notes, their lines with the provenance of every amount, their PDF
and UBL, the usage they billed; credit notes (a correction is a new document, never an edit)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic_core import to_json

from telbill.api.dependencies import IdempotencyKey, PageDep, Reader, ServicesDep, allow, page_response, paginated
from telbill.api.idempotent import json_response, once
from telbill.api.params import AccountFilter, DocumentTypeFilter, PeriodFilter
from telbill.api.problems import COMMON, WRITES
from telbill.api.schemas.bills import (
    BillLine,
    CreditNoteCreate,
    CustomerBill,
    bill_out,
    lines_out,
    summary_bill_json,
)
from telbill.api.schemas.common import href
from telbill.api.schemas.usage import Usage, usage_json
from telbill.app.access import Permission, Principal
from telbill.app.access_store import DocumentFilter, Page, PageRequest, page_of
from telbill.app.bills import (
    Bill,
    BillSummary,
    CreditRequest,
    bill_pdf,
    bill_ubl,
    billed_usage_of,
    credit,
    explain_bill,
    find_bill,
    list_bills,
)
from telbill.app.horizon import check_day
from telbill.app.services import Services
from telbill.core.billing.invoice import DocumentType
from telbill.core.errors import ErrorKind, TelbillError

router = APIRouter(tags=["TMF678 customer bill"], responses=COMMON)
Charger = Annotated[Principal, Depends(allow(Permission.CHARGE))]
_TYPES = {"invoice": DocumentType.INVOICE, "creditNote": DocumentType.CREDIT_NOTE}


def _bill(svc: Services, who: Principal, number: str) -> Bill:
    bill = find_bill(svc.reader, number)
    who.require_account(bill.stored.account_id, "document", number)
    return bill


@router.get("/customerBill", response_model=list[CustomerBill], summary="Invoices and credit notes, latest first")
def list_customer_bills(
    svc: ServicesDep,
    who: Reader,
    page: PageDep,
    request: Request,
    response: Response,
    account: AccountFilter = None,
    document_type: DocumentTypeFilter = None,
    period: PeriodFilter = None,
) -> Response:
    return page_response(*bills_page(svc, who, page, account, document_type, period), request)


def bills_page(
    svc: Services, who: Principal, page: PageRequest, account: str | None, document_type: str | None, period: str | None
) -> tuple[bytes, Page[BillSummary]]:
    """The work of ``list_customer_bills``, shared with its fast path (``api/hot.py``): the page serialized."""
    scope = who.account_scope()
    if account is not None:
        who.require_account(account)
    where = DocumentFilter(scope or account, _TYPES[document_type] if document_type else None, period)
    found = list_bills(svc.reader, page, where, svc.ledgers)
    return to_json([summary_bill_json(item.summary, item.standing) for item in found.items]), found


@router.get("/customerBill/{id}", response_model=CustomerBill, summary="One bill, with its state and documents")
def get_customer_bill(id: str, svc: ServicesDep, who: Reader) -> CustomerBill:
    return bill_out(_bill(svc, who, id))


@router.get(
    "/customerBill/{id}/appliedCustomerBillingRate",
    response_model=list[BillLine],
    summary="The bill's lines, each with why its amount is what it is",
)
def list_bill_lines(
    id: str, svc: ServicesDep, who: Reader, page: PageDep, request: Request, response: Response
) -> list[BillLine]:
    bill = _bill(svc, who, id)
    lines = page_of(lines_out(bill, explain_bill(bill)), page)
    paginated(response, lines, request)
    return list(lines.items)


@router.get(
    "/customerBill/{id}/appliedCustomerBillingRate/{line}", response_model=BillLine, summary="One line, explained"
)
def get_bill_line(id: str, line: int, svc: ServicesDep, who: Reader) -> BillLine:
    bill = _bill(svc, who, id)
    found = [out for out in lines_out(bill, explain_bill(bill)) if out.line_number == line]
    if not found:
        raise TelbillError("line.not_found", f"{id} has no line {line}", ErrorKind.NOT_FOUND, "line")
    return found[0]


_PDF: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        "description": "The PDF (with the UBL embedded for a professional customer)",
    }
}
_XML: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"application/xml": {"schema": {"type": "string"}}},
        "description": "The Peppol BIS Billing 3.0 UBL",
    }
}


@router.get("/customerBill/{id}/pdf", response_class=Response, responses=_PDF, summary="The bill as PDF")
def get_bill_pdf(id: str, svc: ServicesDep, who: Reader) -> Response:
    bill = _bill(svc, who, id)
    headers = {"Content-Disposition": f'attachment; filename="{bill.number}.pdf"'}
    return Response(bill_pdf(svc.renderer, bill), media_type="application/pdf", headers=headers)


@router.get("/customerBill/{id}/ubl", response_class=Response, responses=_XML, summary="The bill as UBL e-invoice")
def get_bill_ubl(id: str, svc: ServicesDep, who: Reader) -> Response:
    bill = _bill(svc, who, id)
    headers = {"Content-Disposition": f'attachment; filename="{bill.number}.xml"'}
    return Response(bill_ubl(svc.renderer, bill), media_type="application/xml", headers=headers)


@router.get("/customerBill/{id}/usage", response_model=list[Usage], summary="The usage records the bill billed")
def list_bill_usage(id: str, svc: ServicesDep, who: Reader, page: PageDep, request: Request) -> Response:
    _bill(svc, who, id)
    billed = page_of(billed_usage_of(svc.reader, id), page)
    return page_response(to_json([usage_json(summary) for summary in billed.items]), billed, request)


@router.post(
    "/customerBill/{id}/creditNote",
    response_model=CustomerBill,
    status_code=201,
    responses=WRITES,
    summary="Credit an invoice, whole or some lines (Idempotency-Key required)",
)
def create_credit_note(
    id: str, body: CreditNoteCreate, svc: ServicesDep, who: Charger, request: Request, key: IdempotencyKey
) -> Response:
    check_day(body.issue_date, svc.today(), "date")

    def work() -> Response:
        lines = tuple(body.line_number) if body.line_number is not None else None
        stored = credit(svc.billing, CreditRequest(id, body.issue_date or svc.today(), lines, body.note))
        number = stored.document.number
        return json_response(
            bill_out(find_bill(svc.customers.unit_of_work, number)), 201, href(f"/customerBill/{number}")
        )

    return once(svc, who, key, request, body, work)
