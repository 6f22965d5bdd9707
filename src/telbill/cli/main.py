"""The ``telbill`` command: parse the command line, call a use case, print the result.

Exit codes: 0 done; 1 a catalog has errors (``catalog check``, or a command that needs an invalid catalog);
2 the command cannot proceed (a ``TelbillError``: unknown item, impossible quantity, bad token…), printed
to stderr as ``error CODE: message [field]``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

from telbill.app import bootstrap
from telbill.app.catalog import (
    catalog_json_schema,
    check_catalogs,
    parse_order_tokens,
    quote,
)
from telbill.app.ports import CatalogSource
from telbill.cli import billing, care, demo_billing, output, receivables, serve, usage
from telbill.cli.errors import reporting_errors as _reporting_errors
from telbill.core.catalog.schema import Segment

app = typer.Typer(name="telbill", help="Billing for small telecom operators.", no_args_is_help=True)
catalog_app = typer.Typer(help="Catalog files: check them, print their JSON Schema.", no_args_is_help=True)
app.add_typer(catalog_app, name="catalog")
billing.register(app)
care.register(app)
receivables.register(app)
usage.register(app)
serve.register(app)


def _source(settings: bootstrap.Settings | None = None) -> CatalogSource:
    return bootstrap.catalog_source(settings or bootstrap.Settings.from_environment())


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


@catalog_app.command("check")
def catalog_check(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Catalog files or directories (default: every *.yaml of the catalog directory)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as a JSON list.")] = False,
) -> None:
    """Check catalog files; exit 1 if any has an error (or there is no file to check)."""
    settings = bootstrap.Settings.from_environment()
    report = check_catalogs(_source(settings), tuple(files or ()))
    if not report.files:
        where = " ".join(map(str, files or ())) or f"{settings.catalog_dir} (${bootstrap.CATALOG_DIR_VARIABLE})"
        typer.echo(f"error catalog.none: no catalog file in {where}", err=True)
        raise typer.Exit(1)
    if as_json:
        _echo_json([output.finding_json(finding) for finding in report.findings])
    else:
        output.print_check_report(Console(), report)
    raise typer.Exit(1 if report.has_errors else 0)


@catalog_app.command("schema")
def catalog_schema() -> None:
    """Print the JSON Schema of a catalog file (for editors)."""
    _echo_json(catalog_json_schema())


@app.command("quote")
def quote_command(
    tokens: Annotated[
        list[str],
        typer.Argument(
            metavar="TOKENS…",
            help="Items as CODE or CODE=QTY (upper case), each followed by its parameters as name=value.",
        ),
    ],
    catalog: Annotated[str, typer.Option("--catalog", help="The catalog id, e.g. belgacom-fees-indemnities.")],
    segment: Annotated[Segment, typer.Option(help="The customer segment.")] = Segment.RESIDENTIAL,
    day: Annotated[
        datetime | None, typer.Option("--date", formats=["%Y-%m-%d"], help="Price date (default: today).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the quote as JSON.")] = False,
) -> None:
    """Price a basket with a catalog: lines with their provenance, VAT per category, totals."""
    with _reporting_errors():
        orders = parse_order_tokens(tokens)
        result = quote(_source(), catalog, orders, segment, day.date() if day else date.today())
    if as_json:
        _echo_json(output.quote_json(result))
    else:
        output.print_quote(Console(), result)


@dataclass(frozen=True, slots=True)
class DemoBasket:
    catalog_id: str
    segment: Segment
    tokens: tuple[str, ...]


DEMO_BASKETS = (
    DemoBasket(
        "telenet-clic-bureau",
        Segment.PROFESSIONAL,
        ("CLIC-BUREAU", "SAFESPOT-PRO", "SPEEDBOOST-1GB", "INSTALL-BUSINESS"),
    ),
    DemoBasket(
        "belgacom-fees-indemnities",
        Segment.RESIDENTIAL,
        (
            "TRENCH=12",
            "LABOUR=50",
            "TEMP-LINES-ABROAD=3",
            "DETAILED-INVOICE-FULL=13",
            "MSG-PERSONAL-ACCESS",
            "MSG-EXT-ISDN30=25",
        ),
    ),
)


@app.command()
def demo(
    serve_after: Annotated[
        bool, typer.Option("--serve", help="Then serve the API and the portal on the demo database (Ctrl-C stops).")
    ] = False,
) -> None:
    """Check the catalogs, quote sample baskets, bill the demo customers and write their documents."""
    console, source = Console(), _source()
    _demo_check(console, source)
    _demo_quotes(console, source, date.today())
    settings = bootstrap.Settings.from_environment()
    with _reporting_errors():
        demo_billing.run(console, settings)
    if serve_after:
        with _reporting_errors():
            serve.serve_demo(console, bootstrap.Settings(settings.catalog_dir, demo_billing.DEMO_URL))


def _demo_check(console: Console, source: CatalogSource) -> None:
    console.rule("Catalog check")
    output.print_check_report(console, check_catalogs(source), details=False)
    console.print(Text("(telbill catalog check lists every finding)", style="dim"))


def _demo_quotes(console: Console, source: CatalogSource, day: date) -> None:
    for basket in DEMO_BASKETS:
        console.rule(f"Quote: telbill quote --catalog {basket.catalog_id} --segment {basket.segment.value}")
        with _reporting_errors():
            orders = parse_order_tokens(basket.tokens)
            output.print_quote(console, quote(source, basket.catalog_id, orders, basket.segment, day))
