"""How the CLI shows results: rich text and tables for people, JSON (amounts as strings) for programs.

Text built from catalog data goes through ``rich.text.Text``, never through console markup: a message such as
``versions[0].items[3]`` would otherwise be read as markup.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from telbill.app.catalog import CatalogQuote, CheckReport
from telbill.core.catalog.pricing import PricedLine
from telbill.core.errors import Finding, Severity
from telbill.core.tax.compute import VatSubtotal

_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow"}


def where(finding: Finding) -> str:
    """``file:line:column`` (as much of it as is known)."""
    location = finding.location
    parts = [location.file or "<catalog>", location.line, location.column]
    return ":".join(str(part) for part in parts if part is not None)


def finding_text(finding: Finding) -> Text:
    """``file:line:column: severity code: message [field]``."""
    text = Text(f"{where(finding)}: ")
    text.append(f"{finding.severity.value} {finding.code}", style=_SEVERITY_STYLE[finding.severity])
    text.append(f": {finding.message}")
    if finding.location.field:
        text.append(f" [{finding.location.field}]", style="dim")
    return text


def finding_json(finding: Finding) -> dict[str, Any]:
    location = finding.location
    return {
        "file": location.file,
        "line": location.line,
        "column": location.column,
        "field": location.field,
        "severity": finding.severity.value,
        "code": finding.code,
        "message": finding.message,
    }


def _counts(findings: tuple[Finding, ...]) -> str:
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = len(findings) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def print_findings(console: Console, findings: tuple[Finding, ...]) -> None:
    for finding in findings:
        console.print(finding_text(finding), soft_wrap=True)


def print_check_report(console: Console, report: CheckReport, *, details: bool = True) -> None:
    """Per file: a heading with its counts and (with ``details``) its findings; then the summary line."""
    for file in report.files:
        style = "bold red" if file.errors else "bold" if file.findings else "bold green"
        console.print(Text(f"{file.source}: {_counts(file.findings) if file.findings else 'ok'}", style=style))
        if details:
            print_findings(console, file.findings)
    files = len(report.files)
    summary = f"checked {files} catalog file{'s' * (files != 1)}: {_counts(report.findings)}"
    console.print(Text(summary, style="bold red" if report.has_errors else "bold"), soft_wrap=True)


def _quantity(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _rate(subtotal_or_line: VatSubtotal | PricedLine) -> str:
    treatment = subtotal_or_line.treatment
    return f"{_quantity(treatment.rate)} %" if treatment.rate else treatment.code


def _provenance(line: PricedLine) -> str:
    p = line.provenance
    inputs = ", ".join(f"{name}={value}" for name, value in p.inputs) or "none"
    return (
        f"↳ item {p.item_code} · {p.catalog_id} version {p.catalog_version} · rule {p.rule} · "
        f"inputs: {inputs} · {p.explanation}"
    )


def print_quote(console: Console, result: CatalogQuote) -> None:
    """The lines with their provenance, the VAT breakdown per category, and the grand totals."""
    catalog, version = result.catalog, result.version
    title = (
        f"{catalog.name} ({catalog.id}), version {version.version} in effect since {version.effective_from}; "
        f"{result.segment.value} customer, {result.day}"
    )
    lines = Table(title=title, title_justify="left", show_lines=False)
    for header in ("Code", "Label", "Qty", "HTVA", "VAT*", "TVAC*"):
        lines.add_column(header, justify="left" if header in ("Code", "Label") else "right")
    for line in result.quote.lines:
        amounts = (line.net, line.indicative_vat, line.indicative_gross)
        lines.add_row(line.code, Text(line.label), _quantity(line.quantity), *(str(a) for a in amounts))
        lines.add_row("", Text(_provenance(line), style="dim"), "", "", "", "")
    console.print(lines)
    console.print(Text("* indicative: an invoice computes VAT once per VAT category, on the total", style="dim"))
    console.print(_vat_table(result))


def _vat_table(result: CatalogQuote) -> Table:
    totals = result.quote.totals
    table = Table(title="VAT per category", title_justify="left")
    for header in ("Category", "Rate", "Taxable", "VAT"):
        table.add_column(header, justify="left" if header == "Category" else "right")
    for subtotal in totals.subtotals:
        category = subtotal.treatment.category.value + (
            f" ({subtotal.treatment.exemption_code})" if subtotal.treatment.exemption_code else ""
        )
        table.add_row(category, _rate(subtotal), str(subtotal.taxable), str(subtotal.vat))
    table.add_section()
    table.add_row(Text("Total HTVA", style="bold"), "", Text(str(totals.net), style="bold"), "")
    table.add_row(Text("Total VAT", style="bold"), "", "", Text(str(totals.vat), style="bold"))
    table.add_row(Text("Total TVAC", style="bold"), "", Text(str(totals.gross), style="bold"), "")
    return table


def quote_json(result: CatalogQuote) -> dict[str, Any]:
    totals = result.quote.totals
    return {
        "catalog": result.catalog.id,
        "catalog_name": result.catalog.name,
        "version": result.version.version,
        "effective_from": result.version.effective_from.isoformat(),
        "segment": result.segment.value,
        "date": result.day.isoformat(),
        "lines": [_line_json(line) for line in result.quote.lines],
        "vat": [
            {
                "category": s.treatment.category.value,
                "rate": _quantity(s.treatment.rate),
                "exemption_code": s.treatment.exemption_code,
                "taxable": str(s.taxable),
                "vat": str(s.vat),
            }
            for s in totals.subtotals
        ],
        "totals": {"htva": str(totals.net), "vat": str(totals.vat), "tvac": str(totals.gross)},
    }


def _line_json(line: PricedLine) -> dict[str, Any]:
    p = line.provenance
    return {
        "code": line.code,
        "label": line.label,
        "quantity": _quantity(line.quantity),
        "htva": str(line.net),
        "vat_category": line.treatment.code,
        "indicative_vat": str(line.indicative_vat),
        "indicative_tvac": str(line.indicative_gross),
        "provenance": {
            "catalog": p.catalog_id,
            "version": p.catalog_version,
            "item": p.item_code,
            "rule": p.rule,
            "inputs": dict(p.inputs),
            "explanation": p.explanation,
        },
    }
