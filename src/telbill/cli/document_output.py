"""How the command line shows documents, explanations and bill-run reports (rich tables and JSON)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from telbill.app.billing import BillRunReport
from telbill.app.documents import LineExplanation
from telbill.app.store import StoredDocument
from telbill.core.billing.invoice import DocumentType
from telbill.core.money import CENT


def report_json(report: BillRunReport) -> dict[str, Any]:
    return {
        "period": report.period,
        "accounts": report.accounts,
        "billed": report.billed,
        "already_processed": report.already_processed,
        "invoices": report.invoices,
        "credit_notes": report.credit_notes,
        "documents": report.documents,
        "total_signed_gross": str(report.total_signed_gross),
    }


def print_report(console: Console, report: BillRunReport) -> None:
    console.print(
        f"bill run {report.period}: {report.accounts} accounts, {report.billed} billed now, "
        f"{report.already_processed} already billed; {report.invoices} invoices, {report.credit_notes} credit notes, "
        f"{report.total_signed_gross} EUR"
    )


def document_json(stored: StoredDocument) -> dict[str, Any]:
    document, totals = stored.document, stored.document.totals
    return {
        "number": document.number,
        "type": "invoice" if document.type is DocumentType.INVOICE else "credit_note",
        "account": stored.account_id,
        "period": stored.period,
        "out_of_scope": stored.out_of_scope,
        "issue_date": document.issue_date.isoformat(),
        "due_date": document.due_date.isoformat() if document.due_date else None,
        "structured_communication": str(document.structured_communication or "") or None,
        "preceding": document.preceding.number if document.preceding else None,
        "seller": document.seller.party.name,
        "buyer": document.buyer.name,
        "lines": [
            {
                "number": line.number,
                "item": line.item_code,
                "label": line.label,
                "quantity": str(line.quantity),
                "unit_price": str(line.unit_price),
                "net": str(line.net),
                "vat": line.treatment.code,
                "rule": line.provenance.rule,
                "explanation": line.provenance.explanation,
            }
            for line in document.lines
        ],
        "vat_breakdown": [
            {"vat": s.treatment.code, "taxable": str(s.taxable), "vat_amount": str(s.vat)} for s in totals.subtotals
        ],
        "net": str(totals.net),
        "vat": str(totals.vat),
        "gross": str(totals.gross),
    }


def _price(unit_price: Decimal) -> str:
    """Unit prices in cents print with two decimals; finer ones (per-second rates) as they are."""
    return f"{unit_price:.2f}" if unit_price == unit_price.quantize(CENT) else str(unit_price)


def print_document(console: Console, stored: StoredDocument) -> None:
    document, totals = stored.document, stored.document.totals
    kind = "Invoice" if document.type is DocumentType.INVOICE else "Credit note"
    scope = " (outside the scope of VAT)" if stored.out_of_scope else ""
    title = f"{kind} {document.number}{scope} — {document.buyer.name} — issued {document.issue_date}"
    table = Table(title=title, title_justify="left", show_lines=False)
    for column, justify in (("#", "right"), ("item", "left"), ("label", "left"), ("period", "left"), ("qty", "right"),
                            ("unit", "right"), ("HTVA", "right"), ("VAT", "left")):  # fmt: skip
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for line in document.lines:
        period = f"{line.period.start}..{line.period.end}" if line.period else ""
        table.add_row(str(line.number), line.item_code, line.label, period, str(line.quantity), _price(line.unit_price),
                      str(line.net), line.treatment.code)  # fmt: skip
    console.print(table)
    for subtotal in totals.subtotals:
        console.print(f"  {subtotal.treatment.code}: taxable {subtotal.taxable}, VAT {subtotal.vat}")
    console.print(Text(f"  total HTVA {totals.net}  VAT {totals.vat}  TVAC {totals.gross}", style="bold"))
    if document.structured_communication is not None:
        console.print(f"  pay by {document.due_date} with {document.structured_communication}")
    if document.preceding is not None:
        console.print(f"  corrects {document.preceding.number} of {document.preceding.issue_date}")


def print_explanation(console: Console, stored: StoredDocument, lines: list[LineExplanation]) -> None:
    console.rule(f"{stored.document.number}: why each amount is what it is")
    for line in lines:
        console.print(Text(f"{line.number}. {line.label} — {line.net} ({line.vat_code})", style="bold"))
        console.print(f"   item {line.item_code} of {line.catalog}, rule {line.rule}")
        if line.inputs:
            console.print("   inputs: " + ", ".join(f"{k}={v}" for k, v in line.inputs))
        console.print(f"   {line.explanation}")
