"""Rating engines: one semantics (``telbill.core.rating``), three executions (docs/algorithms/rating.md).

``reference`` rates record by record in Python with the core itself; ``duckdb`` and ``spark`` run the one SQL
plan of ``plan.py`` over the lookup tables of ``lookup.py``. ``engine(name)`` builds one by name.
"""

from __future__ import annotations

from telbill.app.rating import RatingEngine
from telbill.core.errors import ErrorKind, TelbillError

ENGINES = ("duckdb", "spark", "reference")


def engine(name: str) -> RatingEngine:
    if name == "duckdb":
        from telbill.adapters.engines.duckdb import DuckDbEngine

        return DuckDbEngine()
    if name == "spark":
        from telbill.adapters.engines.spark import SparkEngine

        return SparkEngine()
    if name == "reference":
        from telbill.adapters.engines.reference import ReferenceEngine

        return ReferenceEngine()
    raise TelbillError("rating.engine", f"no engine {name!r}: {', '.join(ENGINES)}", ErrorKind.NOT_FOUND)
