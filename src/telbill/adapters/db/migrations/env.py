"""Alembic environment: migrates the connection handed over by ``upgrade`` (or one to ``sqlalchemy.url``)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from telbill.adapters.db.engine import make_engine
from telbill.adapters.db.tables import every_table


def _migrate(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=every_table(), compare_type=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def _run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("no connection and no sqlalchemy.url to migrate")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=every_table(), literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(url)
    try:
        with engine.connect() as opened:
            _migrate(opened)
            opened.commit()
    finally:
        engine.dispose()


_run()
