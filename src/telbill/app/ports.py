"""Ports: what the use cases need from the outside world, as Protocols that adapters implement.

Contract: the use cases see only these types; ``bootstrap.py`` wires concrete adapters to them, and the tests
wire in-memory fakes. Nothing here does I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from telbill.core.billing.invoice import InvoiceDocument
from telbill.core.catalog.schema import Catalog
from telbill.core.errors import Finding

Locator = Callable[[Finding], Finding]


def as_located(finding: Finding) -> Finding:
    """The locator of a source that knows no positions: the finding keeps its field path only."""
    return finding


@dataclass(frozen=True, slots=True)
class LoadResult:
    """One catalog file as read: the catalog if it is valid, and every problem found while reading it.

    ``locate`` turns a finding located by field path only (as ``telbill.core.catalog.checks`` returns them)
    into one that names this file, the line and the column of that field.
    """

    catalog: Catalog | None
    findings: tuple[Finding, ...]
    source: str
    locate: Locator = as_located


class CatalogSource(Protocol):
    """Where catalogs come from: a library of catalog files, one catalog per file named ``<id>.yaml``."""

    def catalog_files(self, paths: Sequence[Path] = ()) -> tuple[Path, ...]:
        """The catalog files named by ``paths`` (a directory stands for the catalog files in it), in order;
        with no paths, those of the library. A path that does not exist is returned as is: ``load`` says so.
        """
        ...

    def load(self, path: Path) -> LoadResult:
        """Read one catalog file; never raises for a bad file: every problem is a finding."""
        ...


class DocumentRenderer(Protocol):
    """Turns an issued document into the files a customer receives."""

    def pdf(self, document: InvoiceDocument, ubl: bytes | None = None) -> bytes:
        """The printable invoice; with ``ubl``, the e-invoice is embedded in it."""
        ...

    def ubl(self, document: InvoiceDocument) -> bytes:
        """The Peppol BIS Billing 3.0 (UBL 2.1) invoice or credit note."""
        ...


class Clock(Protocol):
    def today(self) -> date: ...
