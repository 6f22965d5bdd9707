"""The SQL adapter of the storage ports (``telbill.app.store``), on SQLite and PostgreSQL.

``make_engine(url)`` → ``upgrade(engine)`` (Alembic, run from code) → ``SqlUnitOfWork(engine)`` per
transaction. Schema: ``tables.py``; value ↔ row mapping: ``rows.py``; repositories: ``repositories.py``.
"""

from telbill.adapters.db.engine import DATABASE_URL_VARIABLE, DEFAULT_DATABASE_URL, make_engine
from telbill.adapters.db.migrations import upgrade
from telbill.adapters.db.uow import SqlUnitOfWork

__all__ = ["DATABASE_URL_VARIABLE", "DEFAULT_DATABASE_URL", "SqlUnitOfWork", "make_engine", "upgrade"]
