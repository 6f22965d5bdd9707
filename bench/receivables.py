"""Speed of receivables: a 100,000-line bank statement imported, 100,000 accounts evaluated for dunning.

Usage: ``.venv/bin/python bench/receivables.py [--lines 100000] [--accounts 100000] [--run 20000]
[--postgres URL]`` (SQLite files in a temporary folder, or a scratch database created on the PostgreSQL
server of URL, emptied for each measurement and dropped at the end: the database URL names is not touched).
Targets (issue 6): importing at least 20,000 lines/s end to end, reading included; evaluating 100,000
accounts for dunning under 30 s. Figures: docs/algorithms/dunning.md §6.

1. **reading**: the CODA reader alone, on a generated file of ``--lines`` credit movements (a 21, 22 and 23
   record each, 5,000 movements per statement as movement numbers have four digits), lines per second;
2. **import**: the whole use case on a SQLite file (read, match by structured communication, book and
   allocate, write, commit). The store holds one invoice per line (``--lines`` / 5 accounts of 5 invoices),
   already in the ledgers, behind a year of invoices paid in full (``--history`` months: the steady state;
   the ledger's catch-up with newly issued documents is measured apart, as **catch-up**). Every line pays
   its invoice in full (``--review-every K``: every K-th quotes no structured communication and goes to the
   review queue with suggestions by the payer's name, "CUSTOMER <n>", a word every holder shares);
3. **evaluation**: ``core.receivables.dunning.evaluate`` on ``--accounts`` snapshots (three open invoices of
   various ages and a history of 0 to 2 steps each), no store: the decision the issue's target is about;
4. **run**: the whole dunning run on SQLite for ``--run`` accounts (gather, evaluate, apply, commit), for scale.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from sqlalchemy import Engine  # noqa: E402
from sqlalchemy import text as sql  # noqa: E402

from telbill.adapters.banking.coda import read_coda  # noqa: E402
from telbill.adapters.db import make_engine, upgrade  # noqa: E402
from telbill.adapters.db import tables as t  # noqa: E402
from telbill.adapters.db import tables_receivables as r  # noqa: E402
from telbill.adapters.db.bulk import BulkInsert  # noqa: E402
from telbill.adapters.db.uow import SqlUnitOfWork  # noqa: E402
from telbill.app import bootstrap  # noqa: E402
from telbill.app.dunning import DunningRequest, run_dunning  # noqa: E402
from telbill.app.payments import import_statements  # noqa: E402
from telbill.app.receivables import ReceivablesDeps, ledgers_with_issued  # noqa: E402
from telbill.core.accounts import Account  # noqa: E402
from telbill.core.billing.numbering import StructuredCommunication  # noqa: E402
from telbill.core.billing.parties import Language, Party  # noqa: E402
from telbill.core.billing.run import pricing_for  # noqa: E402
from telbill.core.catalog.schema import Segment  # noqa: E402
from telbill.core.money import Money  # noqa: E402
from telbill.core.receivables.dunning import AccountSnapshot, ActionKind, Taken, evaluate  # noqa: E402
from telbill.core.receivables.ledger import Entry, EntryKind, OpenItem  # noqa: E402
from telbill.core.receivables.matching import Outcome  # noqa: E402
from telbill.core.subscriptions import State  # noqa: E402

OPERATOR_IBAN = "BE68539007547034"
PAYER_IBAN = "BE71096123456769"
ISSUED, DUE, PAID = date(2026, 1, 1), date(2026, 1, 31), date(2026, 2, 10)
GROSS = Decimal("34.49")
PER_STATEMENT = 5_000
HISTORY = 12  # months of paid invoices each account has behind it (--history)


def communication(n: int) -> str:
    return StructuredCommunication.from_base(2026_000_000 + n).digits


def record(*fields: tuple[int, str]) -> str:
    """A 128-character CODA record with each text at its 1-based position."""
    line = [" "] * 128
    for start, text in fields:
        line[start - 1 : start - 1 + len(text)] = text
    return "".join(line)


def coda_file(lines: int, review_every: int = 0) -> bytes:
    """``lines`` credit movements, each paying its invoice by structured communication; with ``review_every``
    K, every K-th quotes none (a free text instead: it goes to the review queue, suggested by the payer's name)."""
    day = PAID.strftime("%d%m%y")
    records: list[str] = []
    for s, first in enumerate(range(0, lines, PER_STATEMENT), start=1):
        count = min(PER_STATEMENT, lines - first)
        total = f"{int(GROSS * 1000) * count:015d}"
        records += [
            record((1, "00000"), (6, day), (12, "00005"), (25, "BENCH"), (35, "TELBILL BENCH"), (128, "2")),
            record((1, f"12{s:03d}{OPERATOR_IBAN}"), (40, "EUR0"), (44, "0" * 15), (59, day), (126, f"{s:03d}")),
        ]
        for k in range(count):
            n, sequence = first + k + 1, f"{k + 1:04d}"
            quoted = (66, communication(n)) if not review_every or n % review_every else (63, "PAIEMENT FACTURE")
            flag = "001500001101" if quoted[0] == 66 else "001500000"
            records += [
                record((1, f"21{sequence}0000"), (11, f"B{n:020d}"), (32, f"0{int(GROSS * 1000):015d}"), (48, day),
                       (54, flag), quoted, (116, day), (122, f"{s:03d}"), (125, "01 0")),
                record((1, f"22{sequence}0000"), (126, "1 0")),
                record((1, f"23{sequence}0000{PAYER_IBAN}"), (45, "EUR"), (48, f"CUSTOMER {n}"), (128, "0")),
            ]  # fmt: skip
        records += [
            record((1, f"8{s:03d}{OPERATOR_IBAN}"), (39, "EUR0"), (43, total), (58, day)),
            record((1, "9"), (17, f"{1 + 3 * count + 1:06d}"), (23, "0" * 15), (38, total), (128, "2")),
        ]
    return ("\r\n".join(records) + "\r\n").encode("cp1252")


def populate(engine: Engine, invoices: int, posted: bool) -> None:
    """Accounts of 5 invoices each, and (``posted``) their ledger entries, written straight to the tables."""
    party = {"name": "x", "street": "Meir 1", "postcode": "2000", "city": "Antwerpen", "country": "BE",
             "language": "nl", "vat_number": None, "enterprise_number": None, "email": None}  # fmt: skip
    accounts = [{"id": f"A{a:07d}", "segment": "residential", "catalog_id": "belgacom-fees-indemnities",
                 "billing_day": 1, "payment_method": "transfer", "payment_terms_days": 30, "name": f"CUSTOMER {a}",
                 "street": "Meir 1", "postcode": "2000", "city": "Antwerpen", "country": "BE", "language": "nl",
                 "vat_number": None, "enterprise_number": None, "email": None, "mandate_reference": None,
                 "mandate_signed": None, "mandate_iban": None, "mandate_bic": None, "mandate_sequence": None}
                for a in range(invoices // 5)]  # fmt: skip
    documents = [{"number": f"F2026-{n:06d}", "type": "380", "account_id": f"A{(n - 1) // 5:07d}", "period": "2026-01",
                  "out_of_scope": False, "issue_date": ISSUED, "due_date": DUE, "billing_start": None,
                  "billing_end": None, "structured_communication": communication(n), "preceding_number": None,
                  "preceding_issue_date": None, "buyer_reference": "x", "note": None, "currency": "EUR",
                  "seller": party, "buyer": party, "total_net": Decimal("28.50"), "total_vat": Decimal("5.99"),
                  "total_gross": GROSS} for n in range(1, invoices + 1)]  # fmt: skip
    entries = [{"id": d["number"], "account_id": d["account_id"], "kind": "invoice", "day": ISSUED, "amount": GROSS,
                "due_date": DUE, "communication": d["structured_communication"], "reference": None}
               for d in documents]  # fmt: skip
    with engine.begin() as connection:
        for table, rows in ((t.accounts, accounts), (t.documents, documents), (r.ledger_entries, entries)):
            if rows and (posted or table is not r.ledger_entries):
                BulkInsert(table, connection.dialect).run(connection, rows)
        if posted:  # the invoices are open, as the store would have kept them (``adapters/db/open_items.py``)
            open_items = [{"entry_id": e["id"], "account_id": e["account_id"], "remaining": GROSS} for e in entries]
            BulkInsert(r.ledger_open_items, connection.dialect).run(connection, open_items)
        if posted and HISTORY:
            past, settled = history([a["id"] for a in accounts])
            BulkInsert(r.ledger_entries, connection.dialect).run(connection, past)
            BulkInsert(r.ledger_allocations, connection.dialect).run(connection, settled)


def history(account_ids: list[str]) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """``HISTORY`` months of 2025 per account, each an invoice paid in full: settled, so not carried forward."""
    entries: list[dict[str, object]] = []
    allocations: list[dict[str, object]] = []
    for account_id in account_ids:
        for month in range(1, HISTORY + 1):
            issued = date(2025, month, 1)
            invoice, payment = f"H-{account_id}-{month:02d}", f"P-{account_id}-{month:02d}"
            entries += [
                {"id": invoice, "account_id": account_id, "kind": "invoice", "day": issued, "amount": GROSS,
                 "due_date": issued + timedelta(days=30), "communication": None, "reference": None},
                {"id": payment, "account_id": account_id, "kind": "payment", "day": issued + timedelta(days=20),
                 "amount": -GROSS, "due_date": None, "communication": None, "reference": None},
            ]  # fmt: skip
            allocations.append({"posting": payment, "n": 1, "account_id": account_id, "credit_id": payment,
                                "debit_id": invoice, "amount": GROSS, "day": issued + timedelta(days=20)})  # fmt: skip
    return entries, allocations


def deps(engine: Engine) -> ReceivablesDeps:
    return ReceivablesDeps(lambda: SqlUnitOfWork(engine), bootstrap.catalog_lookup(bootstrap.catalog_source(
        bootstrap.Settings(PROJECT / "catalogs"))))  # fmt: skip


POSTGRES: str | None = None  # --postgres: a scratch database, emptied for each measurement


def fresh_engine(folder: str, name: str, invoices: int, posted: bool) -> Engine:
    if POSTGRES is None:
        engine = make_engine(f"sqlite:///{folder}/{name}.sqlite")
    else:
        engine = make_engine(POSTGRES)
        with engine.begin() as connection:
            connection.execute(sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade(engine)
    populate(engine, invoices, posted)
    if POSTGRES is not None:  # a database in use has its planner statistics; one just bulk-loaded has none yet
        with engine.begin() as connection:
            connection.execute(sql("ANALYZE"))
    return engine


class Stopwatch:
    """Wall time, and this process's CPU time (what the code costs when other work shares the cores)."""

    def __enter__(self) -> Stopwatch:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *_: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu

    def rate(self, count: int, unit: str) -> str:
        return (f"{self.wall:6.2f} s wall {count / self.wall:>9,.0f} {unit}/s │ {self.cpu:6.2f} s CPU "
                f"{count / self.cpu:>9,.0f} {unit}/s")  # fmt: skip


def bench_import(lines: int, folder: str, review_every: int = 0) -> None:
    data = coda_file(lines, review_every)
    with Stopwatch() as reading:
        read = read_coda(data, "bench.cod")
    assert not read.findings and read.line_count == lines, read.findings[:3]
    print(f"reading   {lines:>7} lines     {reading.rate(lines, 'lines')}  ({len(read.statements)} statements)")
    engine = fresh_engine(folder, "import", lines, posted=True)
    with Stopwatch() as importing:
        report = import_statements(deps(engine), read_coda(data, "bench.cod"))
    assert report.outcomes and sum(report.outcomes.values()) == lines, report.outcomes
    ratio = lines / importing.wall / 20_000
    print(f"import    {lines:>7} lines     {importing.rate(lines, 'lines')}  ({ratio:.1f}× the target of 20,000 "
          f"lines/s; booked {report.booked}; {report.outcomes[Outcome.REVIEW]} to review)")  # fmt: skip
    catch_up = fresh_engine(folder, "catchup", lines, posted=False)
    with Stopwatch() as catching_up, SqlUnitOfWork(catch_up) as uow:
        ledgers_with_issued(uow, [f"A{a:07d}" for a in range(lines // 5)])
        uow.commit()
    print(f"catch-up  {lines:>7} documents {catching_up.rate(lines, 'docs')}  (issued documents first posted)")


def snapshots(count: int) -> list[AccountSnapshot]:
    catalog = bootstrap.catalog_lookup(bootstrap.catalog_source(bootstrap.Settings(PROJECT / "catalogs")))
    party = Party("An Peeters", "Meir 1", "2000", "Antwerpen", "BE", Language.NL)
    account = Account("A", party, Segment.RESIDENTIAL, "belgacom-fees-indemnities")
    pricing = pricing_for(catalog("belgacom-fees-indemnities"), account)(date(2026, 4, 1))
    result = []
    for i in range(count):
        due = date(2026, 1, 31) + timedelta(days=i % 60)
        invoices = (
            Entry(f"F{i}-{k}", EntryKind.INVOICE, due - timedelta(days=30), Money(GROSS), due + timedelta(days=30 * k))
            for k in range(3)
        )
        items = tuple(OpenItem(invoice, Money(GROSS)) for invoice in invoices)
        history = (Taken(ActionKind.REMIND, date(2026, 2, 14), 0),)[: i % 2] + (
            (Taken(ActionKind.REMIND, date(2026, 2, 28), 1),) if i % 3 == 0 and i % 2 else ()
        )
        result.append(AccountSnapshot(f"A{i:07d}", pricing, items, (("S", State.ACTIVE),), history))
    return result


def bench_evaluation(count: int) -> None:
    prepared = snapshots(count)
    day = date(2026, 3, 20)
    with Stopwatch() as evaluating:
        actions = [action for snapshot in prepared for action in evaluate(snapshot, day)]
    kinds = {kind.value: sum(1 for a in actions if a.kind is kind) for kind in ActionKind}
    print(f"evaluate  {count:>7} accounts  {evaluating.rate(count, 'accts')}  ({evaluating.wall / 30:.1%} of the "
          f"30 s budget; {kinds})")  # fmt: skip


def bench_run(count: int, folder: str) -> None:
    engine = fresh_engine(folder, "dunning", count * 5, posted=True)
    with Stopwatch() as running:
        report = run_dunning(deps(engine), DunningRequest(date(2026, 2, 14)))
    print(f"run       {report.accounts:>7} accounts  {running.rate(report.accounts, 'accts')}  "
          f"({report.count(ActionKind.REMIND)} reminders: history, fees, committed)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--run", type=int, default=20_000)
    parser.add_argument("--history", type=int, default=12, help="months of paid invoices behind each account")
    parser.add_argument("--postgres", metavar="URL", help="measure on this PostgreSQL database (its schema is DROPPED)")
    parser.add_argument("--review-every", type=int, default=0, metavar="K",
                        help="every K-th line quotes no structured communication and goes to review")  # fmt: skip
    options = parser.parse_args()
    global HISTORY, POSTGRES
    HISTORY = options.history
    scratch = f"telbill_bench_receivables_{uuid.uuid4().hex[:8]}"
    if options.postgres:  # a database of its own: others may be using the one the URL names
        _on_server(options.postgres, f'CREATE DATABASE "{scratch}"')
        POSTGRES = options.postgres.rsplit("/", 1)[0] + f"/{scratch}"
    try:
        with tempfile.TemporaryDirectory() as folder:
            bench_import(options.lines, folder, options.review_every)
            bench_evaluation(options.accounts)
            bench_run(options.run, folder)
    finally:
        if options.postgres:
            _on_server(options.postgres, f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def _on_server(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(statement)  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
