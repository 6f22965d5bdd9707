"""The composition root: settings → concrete adapters. The only module of ``telbill.app`` that imports adapters.

Nothing happens at import time: settings are read when ``Settings.from_environment`` is called, with the
environment and working directory passed in, so tests can give their own.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

import telbill
from telbill.adapters.catalog_yaml import YamlCatalogSource
from telbill.app.access_store import AccessUnitOfWork, PasswordHasher
from telbill.app.billing import BillingDeps
from telbill.app.billruns import BillRunJobs
from telbill.app.care import CareDeps
from telbill.app.catalog import load_catalog
from telbill.app.compensation import CompensationSource
from telbill.app.customers import CustomerDeps
from telbill.app.direct_debit import DirectDebitRenderer
from telbill.app.dunning import LetterRenderer
from telbill.app.identities import AccessDeps, CredentialCache, WallClock
from telbill.app.payments import StatementReader
from telbill.app.ports import CatalogSource, DocumentRenderer
from telbill.app.rating import RatingEngine
from telbill.app.receivables import ReceivablesDeps
from telbill.app.services import Services
from telbill.app.store import CareUnitOfWork, ReceivablesUnitOfWork, UnitOfWork
from telbill.app.usage import UsageCharges, UsageDeps
from telbill.core.billing.invoice import InvoiceDocument
from telbill.core.catalog.schema import Catalog
from telbill.core.receivables.collections import DirectDebitMessage
from telbill.core.receivables.letters import Letter

CATALOG_DIR_VARIABLE = "TELBILL_CATALOG_DIR"
DATABASE_URL_VARIABLE = "TELBILL_DATABASE_URL"
DEFAULT_DATABASE_URL = "sqlite:///var/telbill.sqlite"


@dataclass(frozen=True, slots=True)
class Settings:
    catalog_dir: Path
    database_url: str = DEFAULT_DATABASE_URL

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None, cwd: Path | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        # Path() is the working directory, kept relative so that findings show short file names
        catalog_dir = catalog_directory(environ, Path() if cwd is None else cwd)
        return cls(catalog_dir, environ.get(DATABASE_URL_VARIABLE) or DEFAULT_DATABASE_URL)


def catalog_directory(environ: Mapping[str, str], cwd: Path) -> Path:
    """``$TELBILL_CATALOG_DIR``; else ``catalogs/`` of the working directory; else the project's own.

    The project's own is ``catalogs/`` next to ``src/`` of this package (an editable install or a checkout);
    when neither exists, the working directory's is returned, and loading it reports that it is missing.
    """
    if environ.get(CATALOG_DIR_VARIABLE):
        return Path(environ[CATALOG_DIR_VARIABLE])
    here = cwd / "catalogs"
    project = Path(telbill.__file__).resolve().parents[2] / "catalogs"
    return next((candidate for candidate in (here, project) if candidate.is_dir()), here)


def catalog_source(settings: Settings) -> CatalogSource:
    return YamlCatalogSource(settings.catalog_dir)


def unit_of_work_factory(database_url: str, migrate: bool = True) -> Callable[[], UnitOfWork]:
    """A factory of SQL units of work on ``database_url``; the schema is brought up to date first."""
    from telbill.adapters.db.engine import make_engine
    from telbill.adapters.db.migrations import upgrade
    from telbill.adapters.db.uow import SqlUnitOfWork

    if database_url.startswith("sqlite:///") and not database_url.startswith("sqlite:////"):
        Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(database_url)
    if migrate:
        upgrade(engine)
    return lambda: SqlUnitOfWork(engine)


def catalog_lookup(source: CatalogSource) -> Callable[[str], Catalog]:
    """Catalogs by id, each loaded and checked once."""
    cache: dict[str, Catalog] = {}

    def lookup(catalog_id: str) -> Catalog:
        if catalog_id not in cache:
            cache[catalog_id] = load_catalog(source, catalog_id)
        return cache[catalog_id]

    return lookup


class _Renderer:
    def pdf(self, document: InvoiceDocument, ubl: bytes | None = None) -> bytes:
        from telbill.adapters.rendering.pdf import render_pdf

        return render_pdf(document, ubl_xml=ubl)

    def ubl(self, document: InvoiceDocument) -> bytes:
        from telbill.adapters.rendering.ubl import render_ubl

        return render_ubl(document)


def document_renderer() -> DocumentRenderer:
    return _Renderer()


UnitOfWorkFactory = Callable[[], UnitOfWork]


def billing_deps(settings: Settings) -> BillingDeps:
    """Everything a billing use case needs, wired to the SQL store and the catalog library."""
    uow, catalogs = unit_of_work_factory(settings.database_url), catalog_lookup(catalog_source(settings))
    return BillingDeps(uow, catalogs, None, sources=(CompensationSource(), UsageCharges(catalogs)))


def usage_deps(settings: Settings) -> UsageDeps:
    """Everything the usage use cases need: the SQL store (its units of work carry the usage store) and the
    catalog library."""
    return UsageDeps(unit_of_work_factory(settings.database_url), catalog_lookup(catalog_source(settings)))


def rating_engine(name: str) -> RatingEngine:
    """A rating engine by name: duckdb (the default), spark (the ``[spark]`` extra) or reference."""
    from telbill.adapters.engines import engine

    return engine(name)


def care_deps(settings: Settings) -> CareDeps:
    """Everything a service-assurance use case needs: the SQL store, whose units of work carry the care
    repositories (``adapters/db/uow.py``), and the catalog library."""
    uow = cast(Callable[[], CareUnitOfWork], unit_of_work_factory(settings.database_url))
    return CareDeps(uow, catalog_lookup(catalog_source(settings)))


def receivables_deps(settings: Settings) -> ReceivablesDeps:
    """Everything a receivables use case needs: the SQL store, whose units of work carry the receivables
    repositories (``adapters/db/uow.py``), and the catalog library."""
    uow = cast(Callable[[], ReceivablesUnitOfWork], unit_of_work_factory(settings.database_url))
    return ReceivablesDeps(uow, catalog_lookup(catalog_source(settings)))


def statement_reader() -> StatementReader:
    from telbill.adapters.banking.statement_files import StatementFiles

    return StatementFiles()


class _DirectDebits:
    def pain008(self, message: DirectDebitMessage) -> bytes:
        from telbill.adapters.banking.sepa import render_pain008

        return render_pain008(message)


def direct_debit_renderer() -> DirectDebitRenderer:
    return _DirectDebits()


class _Letters:
    def pdf(self, letter: Letter) -> bytes:
        from telbill.adapters.rendering.letters import render_letter

        return render_letter(letter)


def letter_renderer() -> LetterRenderer:
    return _Letters()


class _SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def web_services(
    settings: Settings, passwords: PasswordHasher | None = None, clock: WallClock | None = None
) -> Services:
    """What the API and the portal serve with (``app/services.py``): one engine that writes, migrated first,
    and a read-only one; the argon2id password hasher and the system clock unless others are given."""
    from telbill.adapters.db.engine import make_engine
    from telbill.adapters.db.migrations import upgrade
    from telbill.adapters.db.readonly import make_reader
    from telbill.adapters.db.uow import SqlUnitOfWork
    from telbill.adapters.security.passwords import Argon2Passwords

    url = settings.database_url
    writer_engine = make_engine(url)
    upgrade(writer_engine)
    reader_engine = make_reader(url)
    writer = cast(Callable[[], AccessUnitOfWork], lambda: SqlUnitOfWork(writer_engine))
    reader = cast(Callable[[], AccessUnitOfWork], lambda: SqlUnitOfWork(reader_engine))
    catalogs = catalog_lookup(catalog_source(settings))
    billing = BillingDeps(writer, catalogs, None, sources=(CompensationSource(), UsageCharges(catalogs)))
    wall = clock or _SystemClock()
    access = AccessDeps(writer, passwords or Argon2Passwords(), wall, reader, CredentialCache())

    def close() -> None:
        writer_engine.dispose()
        reader_engine.dispose()

    return Services(
        catalog_source(settings), catalogs, CustomerDeps(writer, catalogs), reader, billing,
        CareDeps(cast(Callable[[], CareUnitOfWork], writer), catalogs),
        ReceivablesDeps(cast(Callable[[], ReceivablesUnitOfWork], writer), catalogs), UsageDeps(writer, catalogs),
        access, document_renderer(), wall, BillRunJobs(billing, writer, wall), statement_reader(), close=close,
    )  # fmt: skip
