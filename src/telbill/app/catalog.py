"""Catalog use cases: check catalog files, load a catalog by id, quote a basket.

Contract:
- ``check_catalogs`` reads every file asked for (or the whole library) and returns ALL findings of all
  files, schema and checks alike, located at file:line:column and sorted by file, line and column.
- ``load_catalog`` returns a catalog only when it has no error finding; otherwise it raises
  ``CatalogInvalidError`` carrying the findings. An unknown id is a ``catalog.not_found`` error.
- ``quote`` prices orders with the catalog version in effect on ``day`` (time is an input).
- ``parse_order_tokens`` reads a basket written as ``CODE``, ``CODE=QTY`` and ``name=value`` tokens.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from telbill.app.ports import CatalogSource, LoadResult
from telbill.core.catalog import pricing
from telbill.core.catalog.checks import check_catalog
from telbill.core.catalog.inputs import Order
from telbill.core.catalog.schema import Catalog, CatalogVersion, Segment
from telbill.core.catalog.versions import version_at
from telbill.core.errors import ErrorKind, Finding, Severity, TelbillError
from telbill.core.money import to_decimal


@dataclass(frozen=True, slots=True)
class CheckedFile:
    source: str
    catalog: Catalog | None
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)


@dataclass(frozen=True, slots=True)
class CheckReport:
    files: tuple[CheckedFile, ...]

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding of every file, by file, line and column."""
        return tuple(sorted((f for file in self.files for f in file.findings), key=_finding_order))

    def count(self, severity: Severity) -> int:
        return sum(1 for finding in self.findings if finding.severity is severity)

    @property
    def has_errors(self) -> bool:
        return self.count(Severity.ERROR) > 0


class CatalogInvalidError(TelbillError):
    """A catalog that cannot be used: it has error findings (``telbill catalog check`` lists them)."""

    def __init__(self, source: str, findings: tuple[Finding, ...]):
        errors = [f for f in findings if f.severity is Severity.ERROR]
        super().__init__(
            "catalog.invalid", f"{source} has {len(errors)} error(s); `telbill catalog check {source}` lists them"
        )
        self.findings = findings


def _finding_order(finding: Finding) -> tuple[str, int, int]:
    where = finding.location
    return (where.file or "", where.line or 0, where.column or 0)


def check_file(result: LoadResult) -> CheckedFile:
    """The findings of loading one file and, if it loaded, of checking its catalog, all located."""
    findings = result.findings
    if result.catalog is not None:
        findings += tuple(result.locate(finding) for finding in check_catalog(result.catalog))
    return CheckedFile(result.source, result.catalog, tuple(sorted(findings, key=_finding_order)))


def check_catalogs(source: CatalogSource, paths: Sequence[Path] = ()) -> CheckReport:
    """Check the files named by ``paths`` (directories expanded), or every file of the library."""
    files = source.catalog_files(paths)
    return CheckReport(tuple(check_file(source.load(path)) for path in files))


def load_catalog(source: CatalogSource, catalog_id: str) -> Catalog:
    """The catalog ``catalog_id`` of the library (file ``<id>.yaml``), if it is free of errors."""
    files = source.catalog_files()
    path = next((p for p in files if p.stem == catalog_id), None)
    if path is None:
        known = ", ".join(sorted(p.stem for p in files)) or "none"
        message = f"no catalog {catalog_id!r} in the library (catalogs: {known})"
        raise TelbillError("catalog.not_found", message, ErrorKind.NOT_FOUND, "catalog")
    checked = check_file(source.load(path))
    if checked.catalog is None or checked.errors:
        raise CatalogInvalidError(checked.source, checked.findings)
    return checked.catalog


@dataclass(frozen=True, slots=True)
class CatalogQuote:
    """A priced basket and what it was priced against."""

    catalog: Catalog
    version: CatalogVersion
    segment: Segment
    day: date
    quote: pricing.Quote


def quote(source: CatalogSource, catalog_id: str, orders: Sequence[Order], segment: Segment, day: date) -> CatalogQuote:
    """Price ``orders`` for a ``segment`` customer with the version of the catalog in effect on ``day``."""
    if not orders:
        raise TelbillError("order.empty", "a quote needs at least one item code", ErrorKind.NEEDS_INPUT)
    catalog = load_catalog(source, catalog_id)
    version = version_at(catalog, day)
    priced = pricing.quote(pricing.PricingContext(catalog, version, segment), orders)
    return CatalogQuote(catalog, version, segment, day, priced)


_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]*$")
_PARAM = re.compile(r"^[a-z][a-z0-9_]*$")


def parse_order_tokens(tokens: Sequence[str]) -> tuple[Order, ...]:
    """``CODE`` or ``CODE=QTY`` starts an order; ``name=value`` is a parameter of the order before it.

    ``TRENCH=12 LABOUR=50 SOCIAL-RATE-MODIFICATION=2 of=MOVE-SOCKET`` → three orders, the last with a
    parameter. Quantities are exact decimals; whether one fits its item is the pricing's concern.
    """
    drafts: list[tuple[str, Decimal | None, list[tuple[str, str]]]] = []
    for token in tokens:
        name, has_value, value = token.partition("=")
        if _CODE.match(name):
            drafts.append((name, to_decimal(value, f"{name}.quantity") if has_value else None, []))
        elif _PARAM.match(name) and drafts:
            code, _, params = drafts[-1]
            if not value:
                message = f"the parameter {name} of {code} needs a value: {name}=…"
                raise TelbillError("order.param_value", message, ErrorKind.NEEDS_INPUT, f"{code}.{name}")
            params.append((name, value))
        elif _PARAM.match(name):
            message = f"the parameter {token} comes before any item: write it after the item it belongs to"
            raise TelbillError("order.param_before_item", message, field=name)
        else:
            message = f"{token!r} is neither an item (CODE or CODE=QTY, upper case) nor a parameter (name=value)"
            raise TelbillError("order.token", message, field=token)
    return tuple(Order(code, quantity, tuple(params)) for code, quantity, params in drafts)


def catalog_json_schema() -> dict[str, Any]:
    """The JSON Schema of a catalog file, for editors (field names as the files spell them)."""
    return Catalog.model_json_schema(by_alias=True)
