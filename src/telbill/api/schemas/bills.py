"""TMF678 customer bill management: CustomerBill (an invoice or a credit note), its lines as
AppliedCustomerBillingRate with their provenance, and its documents (PDF, UBL)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import Field

from telbill.api.schemas.common import (
    Money,
    Ref,
    TimePeriod,
    Tmf,
    days,
    days_json,
    href,
    midnight,
    money,
    money_json,
    ref,
    ref_json,
)
from telbill.app.access_store import DocumentSummary
from telbill.app.bills import Bill, BillStanding
from telbill.app.documents import LineExplanation
from telbill.core.billing.invoice import DocumentType, InvoiceDocument

DOCUMENT_TYPE = {DocumentType.INVOICE: "invoice", DocumentType.CREDIT_NOTE: "creditNote"}
# a bill's documents: the file's extension, its media type, the route that serves it
_PDF = ("pdf", "application/pdf", "pdf")
_UBL = ("xml", "application/xml", "ubl")


class TaxItem(Tmf):
    tax_category: str = Field(alias="taxCategory")
    tax_rate: float = Field(alias="taxRate")
    taxable_amount: Money = Field(alias="taxableAmount")
    tax_amount: Money = Field(alias="taxAmount")


class BillDocument(Tmf):
    id: str
    name: str
    mime_type: str = Field(alias="mimeType")
    url: str
    type: str = Field(default="Attachment", alias="@type")


class CustomerBill(Tmf):
    id: str
    href: str
    bill_no: str = Field(alias="billNo")
    document_type: str = Field(alias="documentType", description="invoice or creditNote (UNTDID 1001: 380, 381)")
    category: str = "normal"
    state: str = Field(description="sent, partiallyPaid or settled")
    bill_date: datetime = Field(alias="billDate")
    payment_due_date: datetime | None = Field(default=None, alias="paymentDueDate")
    billing_period: TimePeriod | None = Field(default=None, alias="billingPeriod")
    period: str = Field(description="The bill run's period, YYYY-MM")
    out_of_scope: bool = Field(alias="outOfScope", description="Amounts outside the scope of VAT only")
    amount_due: Money = Field(alias="amountDue")
    remaining_amount: Money = Field(alias="remainingAmount")
    tax_excluded_amount: Money = Field(alias="taxExcludedAmount")
    tax_included_amount: Money = Field(alias="taxIncludedAmount")
    tax_item: list[TaxItem] = Field(default_factory=list, alias="taxItem")
    structured_communication: str | None = Field(default=None, alias="structuredCommunication")
    billing_account: Ref = Field(alias="billingAccount")
    preceding_bill: Ref | None = Field(default=None, alias="precedingBill")
    bill_document: list[BillDocument] = Field(default_factory=list, alias="billDocument")
    type: str = Field(default="CustomerBill", alias="@type")


def _documents_json(number: str, wants_einvoice: bool) -> list[dict[str, Any]]:
    """A bill's documents as ``BillDocument`` writes them: the PDF, and the UBL where the buyer takes it."""
    kinds = (_PDF, _UBL) if wants_einvoice else (_PDF,)
    return [
        {
            "id": f"{number}.{extension}",
            "name": f"{number}.{extension}",
            "mimeType": mime_type,
            "url": href(f"/customerBill/{number}/{route}"),
            "@type": "Attachment",
        }
        for extension, mime_type, route in kinds
    ]


def _documents(number: str, wants_einvoice: bool) -> list[BillDocument]:
    return [BillDocument.model_construct(**found) for found in _documents_json(number, wants_einvoice)]


def _due(day: date | None) -> datetime | None:
    return midnight(day) if day is not None else None


def summary_bill_out(summary: DocumentSummary, standing: BillStanding) -> CustomerBill:
    """The bill of a list as a model: ``summary_bill_json`` read by ``CustomerBill``."""
    return CustomerBill.model_validate(summary_bill_json(summary, standing))


def summary_bill_json(summary: DocumentSummary, standing: BillStanding) -> dict[str, Any]:
    """A bill of a list (its summary and standing) as ``CustomerBill`` writes it, in its field order: the one
    definition, written by ``pydantic_core.to_json`` (the list routes and their fast path, ``api/hot.py``);
    ``tests/api/test_hot_lists.py`` holds it to the model's bytes."""
    number, account = summary.number, summary.account_id
    preceding, communication = summary.preceding_number, summary.communication
    return {
        "id": number,
        "href": href(f"/customerBill/{number}"),
        "billNo": number,
        "documentType": DOCUMENT_TYPE[summary.type],
        "category": "normal",
        "state": standing.state.value,
        "billDate": midnight(summary.issue_date),
        "paymentDueDate": _due(summary.due_date),
        "billingPeriod": days_json(summary.billing_start, summary.billing_end),
        "period": summary.period,
        "outOfScope": summary.out_of_scope,
        "amountDue": money_json(summary.gross),
        "remainingAmount": money_json(standing.remaining),
        "taxExcludedAmount": money_json(summary.net),
        "taxIncludedAmount": money_json(summary.gross),
        "taxItem": [],
        "structuredCommunication": _printed(communication) if communication else None,
        "billingAccount": ref_json("BillingAccount", account, f"/billingAccount/{account}", summary.buyer_name),
        "precedingBill": ref_json("CustomerBill", preceding, f"/customerBill/{preceding}") if preceding else None,
        "billDocument": _documents_json(number, False),
        "@type": "CustomerBill",
    }


def _printed(digits: str) -> str:
    return f"+++{digits[:3]}/{digits[3:7]}/{digits[7:]}+++"


def bill_out(bill: Bill) -> CustomerBill:
    stored, document = bill.stored, bill.stored.document
    return _document_out(
        document, stored.account_id, stored.period, stored.out_of_scope, bill.standing, bill.wants_einvoice
    )


def _document_out(
    document: InvoiceDocument,
    account_id: str,
    period: str,
    out_of_scope: bool,
    standing: BillStanding,
    wants_einvoice: bool,
) -> CustomerBill:
    totals, number = document.totals, document.number
    bp = document.billing_period
    return CustomerBill(
        id=number,
        href=href(f"/customerBill/{number}"),
        bill_no=number,
        document_type=DOCUMENT_TYPE[document.type],
        state=standing.state.value,
        bill_date=midnight(document.issue_date),
        payment_due_date=_due(document.due_date),
        billing_period=days(bp.start, bp.end) if bp else None,
        period=period,
        out_of_scope=out_of_scope,
        amount_due=money(totals.gross),
        remaining_amount=money(standing.remaining),
        tax_excluded_amount=money(totals.net),
        tax_included_amount=money(totals.gross),
        tax_item=[
            TaxItem(
                tax_category=s.treatment.code,
                tax_rate=float(s.treatment.rate),
                taxable_amount=money(s.taxable),
                tax_amount=money(s.vat),
            )
            for s in totals.subtotals
        ],
        structured_communication=str(document.structured_communication) if document.structured_communication else None,
        billing_account=ref("BillingAccount", account_id, f"/billingAccount/{account_id}", document.buyer.name),
        preceding_bill=ref("CustomerBill", document.preceding.number, f"/customerBill/{document.preceding.number}")
        if document.preceding
        else None,
        bill_document=_documents(number, wants_einvoice),
    )


class Explanation(Tmf):
    catalog: str = Field(description="The catalog and its version that priced the line")
    rule: str
    inputs: dict[str, str]
    explanation: str = Field(description="The arithmetic, in words")


class BillLine(Tmf):
    id: str
    href: str | None = None
    line_number: int = Field(alias="lineNumber")
    name: str
    type: str = Field(description="recurring, one_time, usage or compensation")
    product_offering: str = Field(alias="productOffering", description="The item code")
    product: Ref | None = None
    period_coverage: TimePeriod | None = Field(default=None, alias="periodCoverage")
    quantity: float
    unit_code: str = Field(alias="unitCode")
    unit_price: float = Field(alias="unitPrice")
    tax_excluded_amount: Money = Field(alias="taxExcludedAmount")
    tax_category: str = Field(alias="taxCategory")
    bill: Ref
    explanation: Explanation
    at_type: str = Field(default="AppliedCustomerBillingRate", alias="@type")


def lines_out(bill: Bill, explanations: list[LineExplanation]) -> list[BillLine]:
    stored, number = bill.stored, bill.number
    out = []
    for line, meta, why in zip(stored.document.lines, stored.meta, explanations, strict=True):
        period = days(line.period.start, line.period.end) if line.period else None
        out.append(
            BillLine(
                id=f"{number}-{line.number}",
                href=href(f"/customerBill/{number}/appliedCustomerBillingRate/{line.number}"),
                line_number=line.number,
                name=line.label,
                type=meta.kind.value,
                product_offering=line.item_code,
                product=ref("Product", meta.subscription_id, f"/product/{meta.subscription_id}")
                if meta.subscription_id
                else None,
                period_coverage=period,
                quantity=float(line.quantity),
                unit_code=line.unit_code.value,
                unit_price=float(line.unit_price),
                tax_excluded_amount=money(line.net),
                tax_category=why.vat_code,
                bill=ref("CustomerBill", number, f"/customerBill/{number}"),
                explanation=Explanation(
                    catalog=why.catalog, rule=why.rule, inputs=dict(why.inputs), explanation=why.explanation
                ),
            )
        )
    return out


class CreditNoteCreate(Tmf):
    line_number: list[int] | None = Field(
        default=None, alias="lineNumber", min_length=1, max_length=500, description="The lines to credit (default: all)"
    )
    note: str | None = Field(default=None, max_length=500)
    issue_date: date | None = Field(default=None, alias="date", description="Issue date (default: today)")
