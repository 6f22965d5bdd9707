"""Usage commands: ``telbill rate`` (a file of records → a file of rated records, with an engine) and
``telbill usage import | quarantine | detail`` (records into the store, what was refused, what was billed).

Errors print ``error CODE: message`` and exit 2, as every command.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from telbill.adapters.usage_files import read_subscribers, read_usage
from telbill.app import bootstrap
from telbill.app.rating import RatingSummary, choose_catalog, rating_job
from telbill.app.usage import ImportReport, billed_usage, import_usage, usage_store
from telbill.cli.errors import reporting_errors
from telbill.core.rating.lines import quantity_text

usage_app = typer.Typer(
    help="Usage records: import them, see the quarantine and the detail of a bill.", no_args_is_help=True
)

Engine = Annotated[str, typer.Option("--engine", help="duckdb (default), spark (extra telbill[spark]) or reference.")]


def rate(
    source: Annotated[Path, typer.Argument(metavar="INPUT", help="Usage records, Parquet or CSV (docs/usage.md).")],
    out: Annotated[Path, typer.Option("--out", help="The rated records (Parquet; a folder with spark).")],
    engine: Engine = "duckdb",
    catalog: Annotated[str | None, typer.Option("--catalog", help="The catalog (default: the accounts' one).")] = None,
    day: Annotated[
        datetime | None,
        typer.Option("--date", formats=["%Y-%m-%d"], help="Tariffs and subscribers of (default: today)."),
    ] = None,
    subscribers: Annotated[
        Path | None, typer.Option("--subscribers", help="subscriber,subscription_id,billing_day (default: the store).")
    ] = None,
) -> None:
    """Rate a file of usage records: every row rated or rejected with its reason, amounts exact to the cent."""
    on = day.date() if day else date.today()
    with reporting_errors():
        settings = bootstrap.Settings.from_environment()
        deps = bootstrap.usage_deps(settings)
        chosen = deps.catalog(catalog) if catalog else choose_catalog(deps.unit_of_work(), deps.catalog, on)
        given = read_subscribers(subscribers) if subscribers else ()
        job = rating_job(deps.unit_of_work(), chosen, on, source, out, given)
        rater = bootstrap.rating_engine(engine)
        columns = (TextColumn("rating with {task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn())
        with Progress(*columns) as bar:
            task = bar.add_task(rater.name, total=1.0)
            summary = rater.rate_file(job, lambda share: bar.update(task, completed=share))
    print_summary(Console(), summary)


def print_summary(console: Console, summary: RatingSummary) -> None:
    console.print(f"{summary.rows} rows read, {summary.rated} rated, {summary.rejected_total} rejected "
                  f"({summary.engine}) → {summary.output}")  # fmt: skip
    for reason, count in sorted(summary.rejected.items(), key=lambda item: item[0].value):
        console.print(f"  rejected {reason.value}: {count}")
    console.print(f"amount of the rated records: {summary.amount} EUR (VAT excluded)")


@usage_app.command("import")
def import_command(file: Annotated[Path, typer.Argument(help="A usage file, CSV or Parquet (docs/usage.md).")]) -> None:
    """Import usage records: idempotent by record id; broken rows go to the quarantine with their reason."""
    with reporting_errors():
        deps = bootstrap.usage_deps(bootstrap.Settings.from_environment())
        rows = read_usage(file)
        columns = (TextColumn("importing {task.description}"), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns) as bar:
            task = bar.add_task(file.name, total=None)
            report = import_usage(deps, rows, str(file), progress=lambda done: bar.update(task, completed=done))
    print_import(Console(), report)


def print_import(console: Console, report: ImportReport) -> None:
    imported = f"{report.imported} imported ({report.new} new, {report.known} already imported)"
    console.print(f"{report.source}: {report.read} read = {imported} + {report.quarantined_total} quarantined")
    for reason, count in sorted(report.quarantined.items(), key=lambda item: item[0].value):
        console.print(f"  quarantined {reason.value}: {count}")
    if report.quarantined_total:
        console.print(f"(telbill usage quarantine --source {report.source} lists them)")


@usage_app.command("quarantine")
def quarantine_command(
    source: Annotated[str | None, typer.Option("--source", help="Only the rows of this file.")] = None,
) -> None:
    """The rows that were not imported, with their reason."""
    with reporting_errors():
        deps = bootstrap.usage_deps(bootstrap.Settings.from_environment())
        with deps.unit_of_work() as uow:
            rows = usage_store(uow).quarantined(source)
    table = Table("source", "row", "record", "reason", "message")
    for row in rows:
        table.add_row(row.source, str(row.row), row.record_id or "", row.reason.value, row.message)
    Console().print(table)


@usage_app.command("detail")
def detail_command(number: Annotated[str, typer.Argument(help="An invoice number.")]) -> None:
    """The usage records an invoice billed, each with its rating: the detail behind its usage lines."""
    with reporting_errors():
        deps = bootstrap.usage_deps(bootstrap.Settings.from_environment())
        detail = billed_usage(deps.unit_of_work(), number)
    table = Table("record", "start (UTC)", "service", "from", "to", "zone", "tariff", "rated", "included", "amount")
    for stored, rated in detail:
        record = stored.record
        table.add_row(record.record_id, record.start.strftime("%Y-%m-%d %H:%M:%S"), record.service.value,
                      record.country, record.destination or "", rated.zone or "", rated.tariff,
                      quantity_text(record.service, rated.rated_units),
                      quantity_text(record.service, rated.included_units), str(rated.amount))  # fmt: skip
    Console().print(table)


def register(app: typer.Typer) -> None:
    app.command("rate")(rate)
    app.add_typer(usage_app, name="usage")
