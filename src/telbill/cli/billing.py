"""Billing commands: bill runs, documents, explanations, scenarios, the database schema."""

from __future__ import annotations

import json
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import date, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from telbill.adapters.scenario_yaml import load_scenario
from telbill.app import bootstrap
from telbill.app.billing import BillingDeps, BillRunReport, BillRunRequest, run_bill_run
from telbill.app.documents import explain, find_document, render_files
from telbill.app.scenarios import run_scenario
from telbill.cli import document_output
from telbill.cli.errors import reporting_errors
from telbill.core.accounts import Account

DateOption = Annotated[
    datetime | None, typer.Option("--date", formats=["%Y-%m-%d"], help="Issue date (default: today).")
]

invoice_app = typer.Typer(help="Issued invoices and credit notes.", no_args_is_help=True)
db_app = typer.Typer(help="The database.", no_args_is_help=True)


def billing_deps(settings: bootstrap.Settings) -> BillingDeps:
    return bootstrap.billing_deps(settings)


def billrun(
    period: Annotated[str, typer.Option("--period", help="The billing period, YYYY-MM.")],
    issue_date: DateOption = None,
    batch_size: Annotated[int, typer.Option(help="Accounts per transaction.")] = 500,
    workers: Annotated[int, typer.Option(help="Processes sharing the work (PostgreSQL: one per core).")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Bill every account for PERIOD: one invoice per account, exactly once (safe to run again)."""
    day = issue_date.date() if issue_date else date.today()
    if workers > 1:
        with reporting_errors():
            report = parallel_bill_run(
                bootstrap.Settings.from_environment(), BillRunRequest(period, day, batch_size), workers
            )
        _print_report(report, as_json)
        return
    with reporting_errors():
        deps = billing_deps(bootstrap.Settings.from_environment())
        with Progress(
            TextColumn("bill run {task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            transient=as_json, disable=as_json,
        ) as bar:  # fmt: skip
            task = bar.add_task(period, total=None)
            report = run_bill_run(
                deps,
                BillRunRequest(period, day, batch_size),
                lambda done, total: bar.update(task, completed=done, total=total),
            )
    _print_report(report, as_json)


def _print_report(report: BillRunReport, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(document_output.report_json(report), indent=2))
    else:
        document_output.print_report(Console(), report)


def _bill_shard(settings: bootstrap.Settings, request: BillRunRequest) -> BillRunReport:
    return run_bill_run(billing_deps(settings), request)


def parallel_bill_run(settings: bootstrap.Settings, request: BillRunRequest, workers: int) -> BillRunReport:
    """The bill run in ``workers`` processes, each taking every n-th batch; they share the number series
    (gap-free, row-locked) and skip each other's accounts, so the result is the one of a single run."""
    bootstrap.unit_of_work_factory(settings.database_url)  # migrate once, before the workers start
    shards = [replace(request, shard=(k, workers)) for k in range(workers)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        reports = list(pool.map(_bill_shard, [settings] * workers, shards))
    merged = BillRunReport(request.period, accounts=reports[0].accounts)
    for part in reports:
        merged.billed += part.billed
        merged.invoices += part.invoices
        merged.credit_notes += part.credit_notes
        merged.documents += part.documents
        merged.total_signed_gross += part.total_signed_gross
    merged.already_processed = merged.accounts - merged.billed
    return merged


def explain_command(number: Annotated[str, typer.Argument(help="An invoice or credit note number.")]) -> None:
    """Why each amount of a document is what it is: catalog item, rule, inputs and arithmetic."""
    with reporting_errors():
        settings = bootstrap.Settings.from_environment()
        stored = find_document(bootstrap.unit_of_work_factory(settings.database_url)(), number)
        document_output.print_explanation(Console(), stored, explain(stored))


@invoice_app.command("show")
def invoice_show(
    number: Annotated[str, typer.Argument(help="An invoice or credit note number.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the document as JSON.")] = False,
) -> None:
    """Print an issued document."""
    with reporting_errors():
        settings = bootstrap.Settings.from_environment()
        stored = find_document(bootstrap.unit_of_work_factory(settings.database_url)(), number)
    if as_json:
        typer.echo(json.dumps(document_output.document_json(stored), indent=2, ensure_ascii=False))
    else:
        document_output.print_document(Console(), stored)


@invoice_app.command("files")
def invoice_files(
    number: Annotated[str, typer.Argument(help="An invoice or credit note number.")],
    out: Annotated[Path, typer.Option("--out", help="The folder to write to.")] = Path("out"),
) -> None:
    """Write the PDF (and, for professional customers, the Peppol UBL e-invoice) of a document."""
    with reporting_errors():
        settings = bootstrap.Settings.from_environment()
        uow = bootstrap.unit_of_work_factory(settings.database_url)
        stored = find_document(uow(), number)
        account = find_account(uow, stored.account_id)
        files = render_files(bootstrap.document_renderer(), stored, account.wants_einvoice)
    out.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (out / name).write_bytes(content)
        typer.echo(str(out / name))


def find_account(uow_factory: bootstrap.UnitOfWorkFactory, account_id: str) -> Account:
    with uow_factory() as uow:
        return uow.accounts.get(account_id)


def simulate(
    scenario_file: Annotated[Path, typer.Argument(help="A scenario file (docs/scenarios.md).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the documents as JSON.")] = False,
) -> None:
    """Replay one account's timeline on a throwaway database and print the documents it produces."""
    with reporting_errors():
        scenario = load_scenario(scenario_file)
        with tempfile.TemporaryDirectory(prefix="telbill-simulate-") as folder:
            settings = bootstrap.Settings.from_environment()
            throwaway = bootstrap.Settings(settings.catalog_dir, f"sqlite:///{folder}/scenario.sqlite")
            result = run_scenario(billing_deps(throwaway), scenario)
    if as_json:
        payload = {"scenario": scenario.name, "documents": [document_output.document_json(d) for d in result.documents],
                   "mismatches": list(result.mismatches)}  # fmt: skip
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        console = Console()
        console.rule(scenario.name)
        for stored in result.documents:
            document_output.print_document(console, stored)
        for problem in result.mismatches:
            console.print(f"[bold red]expected otherwise:[/] {problem}")
    if result.mismatches:
        raise typer.Exit(1)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the database schema up to date (TELBILL_DATABASE_URL, default var/telbill.sqlite)."""
    settings = bootstrap.Settings.from_environment()
    bootstrap.unit_of_work_factory(settings.database_url)
    typer.echo(f"schema up to date: {settings.database_url}")


def register(app: typer.Typer) -> None:
    app.command("billrun")(billrun)
    app.command("explain")(explain_command)
    app.command("simulate")(simulate)
    app.add_typer(invoice_app, name="invoice")
    app.add_typer(db_app, name="db")
