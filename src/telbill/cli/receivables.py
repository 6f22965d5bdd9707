"""Receivables commands: bank statements in, the review queue, the dunning run, SEPA direct debits out.

telbill payments import FILE            book the payments of a CODA or camt.053 statement (faulty: refused whole)
telbill payments review                 the lines waiting for a person, with suggestions
telbill payments assign LINE ACCOUNT    book a waiting line as a payment of ACCOUNT
telbill payments dismiss LINE --reason  close a waiting line that is no customer's payment
telbill dunning run --date D [--dry-run] [--letters DIR]
telbill sepa export [--date D] [--out DIR]
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Any

import typer

from telbill.app import bootstrap
from telbill.app.direct_debit import SepaRequest, export_direct_debits
from telbill.app.dunning import DunningReport, DunningRequest, run_dunning
from telbill.app.payments import ImportReport, assign_review, dismiss_review, import_statements
from telbill.app.receivables import ReceivablesDeps
from telbill.cli.errors import reporting_errors
from telbill.core.receivables.dunning import Action, ActionKind
from telbill.core.receivables.matching import Match

payments_app = typer.Typer(
    help="Payments from bank statements (CODA, camt.053) and their review.", no_args_is_help=True
)
dunning_app = typer.Typer(help="Chasing late payers: reminders, suspension, collection.", no_args_is_help=True)
sepa_app = typer.Typer(help="SEPA direct debits (pain.008).", no_args_is_help=True)

DateOption = Annotated[datetime | None, typer.Option("--date", formats=["%Y-%m-%d"], help="The day (default: today).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


def register(app: typer.Typer) -> None:
    app.add_typer(payments_app, name="payments")
    app.add_typer(dunning_app, name="dunning")
    app.add_typer(sepa_app, name="sepa")


def _deps() -> ReceivablesDeps:
    return bootstrap.receivables_deps(bootstrap.Settings.from_environment())


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@payments_app.command("import")
def payments_import(
    file: Annotated[Path, typer.Argument(help="A CODA (.cod, .txt) or camt.053 (.xml) bank statement.")],
    as_json: JsonOption = False,
) -> None:
    """Book the payments of a bank statement; a statement imported before adds nothing."""
    with reporting_errors():
        report = import_statements(_deps(), bootstrap.statement_reader().read(file))
    if as_json:
        _echo_json(_import_json(report))
        return
    for warning in report.warnings:
        typer.echo(f"warning {warning}", err=True)
    for statement in report.already_imported:
        typer.echo(f"{statement}: imported before, nothing added")
    counts = ", ".join(f"{n} {outcome.value}" for outcome, n in report.outcomes.items() if n)
    typer.echo(f"{report.source} ({report.format}): {len(report.statements)} statement(s), {report.lines} line(s)"
               + (f": {counts}" if counts else "") + f"; booked {report.booked}")  # fmt: skip


def _import_json(report: ImportReport) -> dict[str, Any]:
    return {
        "source": report.source,
        "format": report.format,
        "statements": report.statements,
        "already_imported": report.already_imported,
        "lines": report.lines,
        "outcomes": {outcome.value: n for outcome, n in report.outcomes.items()},
        "booked": str(report.booked),
        "warnings": report.warnings,
    }


@payments_app.command("review")
def payments_review(as_json: JsonOption = False) -> None:
    """The statement lines waiting for a person, with the suggestions matching made."""
    with reporting_errors(), _deps().unit_of_work() as uow:
        waiting = uow.reviews.pending()
    if as_json:
        _echo_json([_review_json(match) for match in waiting])
        return
    for match in waiting:
        line = match.line
        typer.echo(f"{line.id}  {line.booked}  {line.amount}  {line.counterparty_name or '?'}  "
                   f"{line.communication or line.structured or ''}  ({match.reason})")  # fmt: skip
        for suggestion in match.suggestions:
            typer.echo(f"    → {suggestion.account_id} {suggestion.document or ''} ({suggestion.reason})")


def _review_json(match: Match) -> dict[str, Any]:
    line = match.line
    suggestions = [{"account": s.account_id, "document": s.document, "reason": s.reason} for s in match.suggestions]
    return {
        "line": line.id, "booked": line.booked.isoformat(), "amount": str(line.amount), "payer": line.counterparty_name,
        "communication": line.communication, "structured": line.structured, "reason": match.reason,
        "suggestions": suggestions,
    }  # fmt: skip


@payments_app.command("assign")
def payments_assign(
    line: Annotated[str, typer.Argument(help="The id of a waiting line.")],
    account: Annotated[str, typer.Argument(help="The account that paid.")],
) -> None:
    """Book a waiting line as a payment of ACCOUNT."""
    with reporting_errors():
        ledger = assign_review(_deps(), line, account)
    typer.echo(f"{line}: booked on {account}; balance {ledger.balance()}")


@payments_app.command("dismiss")
def payments_dismiss(
    line: Annotated[str, typer.Argument(help="The id of a waiting line.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is no customer's payment.")],
) -> None:
    """Close a waiting line without booking it."""
    with reporting_errors():
        dismiss_review(_deps(), line, reason)
    typer.echo(f"{line}: dismissed")


@dunning_app.command("run")
def dunning_run(
    day: DateOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Decide and print, write nothing.")] = False,
    letters: Annotated[Path | None, typer.Option("--letters", help="Write the letters (PDF) to this folder.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Remind, suspend, hand over and reactivate, as each account's catalog says (safe to run again)."""
    with reporting_errors():
        report = run_dunning(_deps(), DunningRequest(day.date() if day else date.today(), dry_run))
        written = _write_letters(report, letters) if letters is not None else []
    if as_json:
        _echo_json({"day": report.day.isoformat(), "dry_run": report.dry_run, "accounts": report.accounts,
                    "actions": [_action_json(a) for a in report.actions], "letters": written})  # fmt: skip
        return
    prefix = "(dry run) " if report.dry_run else ""
    for action in report.actions:
        typer.echo(prefix + _action_text(action))
    typer.echo(
        f"{prefix}{report.accounts} account(s), {len(report.actions)} action(s), {len(report.letters)} letter(s)"
    )
    for path in written:
        typer.echo(path)


def _action_text(action: Action) -> str:
    words = {ActionKind.REMIND: f"reminder {action.number}", ActionKind.SUSPEND: "suspension",
             ActionKind.HAND_OVER: "handover to collection", ActionKind.SETTLE: "settled"}  # fmt: skip
    text = f"{action.day} {action.account_id}: {words[action.kind]}"
    if action.overdue:
        text += f", overdue {action.overdue_total}"
    if action.fee is not None:
        text += f", fee {action.fee.order.code} {action.fee.net}"
    if action.subscriptions:
        verb = "reactivates" if action.kind is ActionKind.SETTLE else "suspends"
        text += f", {verb} {', '.join(action.subscriptions)}"
    return text


def _action_json(action: Action) -> dict[str, Any]:
    return {
        "day": action.day.isoformat(), "account": action.account_id, "kind": action.kind.value,
        "step": action.step, "number": action.number, "overdue": str(action.overdue_total),
        "documents": [item.entry.id for item in action.overdue], "subscriptions": list(action.subscriptions),
        "fee": None if action.fee is None else {"item": action.fee.order.code, "net": str(action.fee.net)},
    }  # fmt: skip


def _write_letters(report: DunningReport, folder: Path) -> list[str]:
    renderer = bootstrap.letter_renderer()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for letter in report.letters:
        path = folder / f"{letter.day.isoformat()}-{letter.account_id}-{letter.kind.value}.pdf"
        path.write_bytes(renderer.pdf(letter))
        written.append(str(path))
    return written


@sepa_app.command("export")
def sepa_export(
    day: Annotated[
        datetime | None, typer.Option("--date", formats=["%Y-%m-%d"], help="The collection date (default: today).")
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="The folder to write the pain.008 files to.")] = Path("out/sepa"),
) -> None:
    """Collect what is due by direct debit: one pain.008 file per creditor, validated against its XSD."""
    collection_date = day.date() if day else date.today()
    with reporting_errors():
        request = SepaRequest(collection_date, datetime.combine(date.today(), time()))
        exports = export_direct_debits(_deps(), bootstrap.direct_debit_renderer(), request)
    if not exports:
        typer.echo(f"nothing to collect on {collection_date}")
        return
    out.mkdir(parents=True, exist_ok=True)
    for export in exports:
        path = out / f"{export.message.message_id}.xml"
        path.write_bytes(export.xml)
        message = export.message
        typer.echo(f"{path}: {len(message.collections)} collection(s), {message.total}, on {collection_date}")
