"""The catalog version in effect at a date: configuration is versioned by date, never edited in place."""

from __future__ import annotations

from datetime import date

from telbill.core.catalog.schema import Catalog, CatalogVersion
from telbill.core.errors import ErrorKind, TelbillError


def version_at(catalog: Catalog, day: date) -> CatalogVersion:
    """The latest version whose ``effective_from`` is on or before ``day``."""
    in_effect = [v for v in catalog.versions if v.effective_from <= day]
    if not in_effect:
        first = min(v.effective_from for v in catalog.versions)
        raise TelbillError(
            "catalog.no_version",
            f"catalog {catalog.id} has no version in effect on {day} (the first starts {first})",
            ErrorKind.NOT_FOUND,
        )
    return max(in_effect, key=lambda v: v.effective_from)
