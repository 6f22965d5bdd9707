"""The billing part of ``telbill demo``: the demo customers on a fresh SQLite database, six monthly bill
runs, and every document written as PDF (and Peppol UBL for professional customers) to a folder."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

import telbill
from telbill.adapters.scenario_yaml import load_scenarios
from telbill.app import bootstrap
from telbill.app.documents import render_files
from telbill.app.scenarios import replay
from telbill.core.billing.invoice import DocumentType

DEMO_DATABASE = Path("var/demo.sqlite")
DEMO_OUTPUT = Path("out/demo")
DEMO_URL = f"sqlite:///{DEMO_DATABASE}"


def demo_folder() -> Path:
    here = Path("demo")
    return here if here.is_dir() else Path(telbill.__file__).resolve().parents[2] / "demo"


def run(console: Console, settings: bootstrap.Settings) -> None:
    console.rule("Billing: demo customers, bill runs January–June 2026")
    DEMO_DATABASE.parent.mkdir(parents=True, exist_ok=True)
    for stale in (
        DEMO_DATABASE,
        DEMO_DATABASE.with_name(f"{DEMO_DATABASE.name}-wal"),
        DEMO_DATABASE.with_name(f"{DEMO_DATABASE.name}-shm"),
    ):  # a server killed may leave its WAL
        stale.unlink(missing_ok=True)
    demo_settings = bootstrap.Settings(settings.catalog_dir, DEMO_URL)
    deps = bootstrap.billing_deps(demo_settings)
    documents = replay(deps, load_scenarios(demo_folder()))
    with deps.unit_of_work() as uow:
        accounts = {a.id: a for a in uow.accounts.many(uow.accounts.ids())}
    DEMO_OUTPUT.mkdir(parents=True, exist_ok=True)
    renderer = bootstrap.document_renderer()
    table = Table(title=f"{len(documents)} documents in {DEMO_OUTPUT}/", title_justify="left")
    for column in ("number", "customer", "period", "kind", "TVAC", "files"):
        table.add_column(column)
    for stored in documents:
        files = render_files(renderer, stored, accounts[stored.account_id].wants_einvoice)
        for name, content in files.items():
            (DEMO_OUTPUT / name).write_bytes(content)
        kind = "invoice" if stored.document.type is DocumentType.INVOICE else "credit note"
        kind += " (outside VAT)" if stored.out_of_scope else ""
        table.add_row(stored.document.number, stored.document.buyer.name, stored.period, kind,
                      str(stored.document.totals.gross), ", ".join(sorted(files)))  # fmt: skip
    console.print(table)
    console.print(f"database: {DEMO_DATABASE} (TELBILL_DATABASE_URL=sqlite:///{DEMO_DATABASE} telbill explain NUMBER)")
    console.print(f"documents: {DEMO_OUTPUT.resolve()}")
