"""Alembic migrations of the telbill schema, run from code: ``upgrade(url_or_engine)``.

The app needs no ``alembic.ini``: the configuration is built here, pointing at this package's folder (it
ships inside the package). For authoring a revision, run Alembic with ``-c`` pointing at a throwaway ini
whose ``script_location`` is this folder, or call ``alembic.command.revision(config(url), ...)``.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from telbill.adapters.db.engine import make_engine

HERE = Path(__file__).resolve().parent


def config(url: str | None = None) -> Config:
    """An Alembic configuration for this package's migrations (and ``url`` when Alembic must connect)."""
    settings = Config()
    settings.set_main_option("script_location", str(HERE))
    if url is not None:
        settings.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return settings


def upgrade(target: str | Engine, revision: str = "heads") -> None:
    """Bring the database of ``target`` (a URL or an engine made by ``make_engine``) up to ``revision``.

    "heads": each domain (billing, usage, service assurance, receivables, access) keeps its tables in a
    branch of its own that starts from r0001, so domains evolve their schemas independently."""
    engine = make_engine(target) if isinstance(target, str) else target
    try:
        with engine.connect() as connection:
            settings = config()
            settings.attributes["connection"] = connection
            command.upgrade(settings, revision)
            connection.commit()
    finally:
        if isinstance(target, str):
            engine.dispose()
