"""The composition root: settings → concrete adapters. The only module of ``telbill.app`` that imports adapters.

Nothing happens at import time: settings are read when ``Settings.from_environment`` is called, with the
environment and working directory passed in, so tests can give their own.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import telbill
from telbill.adapters.catalog_yaml import YamlCatalogSource
from telbill.app.ports import CatalogSource

CATALOG_DIR_VARIABLE = "TELBILL_CATALOG_DIR"


@dataclass(frozen=True, slots=True)
class Settings:
    catalog_dir: Path

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None, cwd: Path | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        # Path() is the working directory, kept relative so that findings show short file names
        return cls(catalog_dir=catalog_directory(environ, Path() if cwd is None else cwd))


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
