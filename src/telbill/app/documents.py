"""Issued documents: find them, explain them line by line, and render them (PDF, UBL)."""

from __future__ import annotations

from dataclasses import dataclass

from telbill.app.ports import DocumentRenderer
from telbill.app.store import StoredDocument, UnitOfWork
from telbill.core.billing.invoice import InvoiceLine
from telbill.core.tax.compute import vat_of


def find_document(uow: UnitOfWork, number: str) -> StoredDocument:
    with uow:
        return uow.documents.get(number)


@dataclass(frozen=True, slots=True)
class LineExplanation:
    number: int
    item_code: str
    label: str
    net: str
    vat_code: str
    catalog: str
    rule: str
    inputs: tuple[tuple[str, str], ...]
    explanation: str


def explain(stored: StoredDocument) -> list[LineExplanation]:
    """Why each amount of a document is what it is: the catalog item, version and rule, the inputs, the arithmetic."""
    return [_explain_line(line) for line in stored.document.lines]


def _explain_line(line: InvoiceLine) -> LineExplanation:
    p = line.provenance
    return LineExplanation(
        line.number,
        line.item_code,
        line.label,
        str(line.net),
        line.treatment.code,
        f"{p.catalog_id} version {p.catalog_version}",
        p.rule,
        p.inputs,
        p.explanation,
    )


def indicative_line_vat(line: InvoiceLine) -> str:
    return str(vat_of(line.net, line.treatment))


def render_files(renderer: DocumentRenderer, stored: StoredDocument, with_ubl: bool) -> dict[str, bytes]:
    """The files of a document: ``<number>.pdf`` and, for e-invoiced customers, ``<number>.xml`` (embedded too)."""
    number = stored.document.number
    ubl = renderer.ubl(stored.document) if with_ubl else None
    files = {f"{number}.pdf": renderer.pdf(stored.document, ubl)}
    if ubl is not None:
        files[f"{number}.xml"] = ubl
    return files
