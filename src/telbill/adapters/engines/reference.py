"""The reference engine: the core's own functions, one record at a time — the oracle, not the fast path.

Contract: reads the whole input into memory (``CdrRow`` per row), rates it with ``core.rating.batch.rate_rows``
— the very code the bill run uses — and writes the output schema of ``lookup.py``. Readable first: no
vectorisation, no shortcuts; memory grows with the input.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from telbill.adapters.engines.lookup import INPUT_SCHEMA, OUTPUT_SCHEMA
from telbill.adapters.engines.summary import summary_of
from telbill.app.rating import Progress, RatingJob, RatingSummary
from telbill.core.errors import TelbillError
from telbill.core.rating.batch import rate_rows
from telbill.core.rating.records import EPOCH, CdrRow, RatedRecord, Rating

BATCH = 100_000


class ReferenceEngine:
    name = "reference"

    def rate_file(self, job: RatingJob, progress: Progress | None = None) -> RatingSummary:
        rows = list(read_rows(job.source))
        if progress is not None:
            progress(0.3)
        subscribers = {s.number: s for s in job.subscribers}
        results = rate_rows(job.tables, subscribers, rows)
        if progress is not None:
            progress(0.8)
        job.output.parent.mkdir(parents=True, exist_ok=True)
        with pq.ParquetWriter(job.output, OUTPUT_SCHEMA) as writer:
            for start in range(0, len(results), BATCH):
                writer.write_table(output_table(results[start : start + BATCH]))
        if progress is not None:
            progress(1.0)
        return summary_of(self.name, job.output, _counts(results))


def read_table(source: Path) -> pa.Table:
    """The rating input with the documented columns and types (docs/usage.md)."""
    if not source.exists():
        raise TelbillError("rating.input", f"{source}: no such file")
    if source.suffix.lower() == ".csv":
        options = pacsv.ConvertOptions(column_types=INPUT_SCHEMA, include_columns=INPUT_SCHEMA.names)
        return pacsv.read_csv(source, convert_options=options)
    table = pq.read_table(source, columns=INPUT_SCHEMA.names)
    start = table.schema.field("start").type
    if not (pa.types.is_timestamp(start) and start.tz is not None):
        raise TelbillError("rating.input", f"{source}: 'start' must be a timestamp with time zone, not {start}")
    return table.cast(INPUT_SCHEMA)


def read_rows(source: Path) -> Iterator[CdrRow]:
    table = read_table(source)
    starts = pc.cast(table.column("start"), pa.int64()).to_pylist()
    columns = [table.column(name).to_pylist() for name in ("record_id", "subscriber", "service", "country")]
    destinations, quantities = table.column("destination").to_pylist(), table.column("quantity").to_pylist()
    for i, start in enumerate(starts):
        when = None if start is None else EPOCH + timedelta(microseconds=start)
        record_id, subscriber, service, country = (column[i] for column in columns)
        yield CdrRow(record_id, subscriber, when, service, country, destinations[i], quantities[i])


def output_table(results: Sequence[Rating]) -> pa.Table:
    rows = [_row(r) for r in results]
    return pa.Table.from_pylist(rows, schema=OUTPUT_SCHEMA)


def _row(result: Rating) -> dict[str, object]:
    if not isinstance(result, RatedRecord):
        empty = dict.fromkeys(OUTPUT_SCHEMA.names)
        return {**empty, "record_id": result.record_id, "status": "rejected", "reason": result.reason.value}
    return {
        "record_id": result.record_id,
        "subscription_id": result.subscription_id,
        "period_start": result.period_start,
        "zone": result.zone,
        "tariff": result.tariff,
        "allowance": result.allowance,
        "rated_units": result.rated_units,
        "included_units": result.included_units,
        "charged_units": result.charged_units,
        "amount": result.amount.amount,
        "status": "rated",
        "reason": None,
    }


def _counts(results: Sequence[Rating]) -> list[tuple[str, str | None, int, Decimal]]:
    counts: dict[tuple[str, str | None], tuple[int, Decimal]] = {}
    for result in results:
        key = ("rated", None) if isinstance(result, RatedRecord) else ("rejected", result.reason.value)
        count, amount = counts.get(key, (0, Decimal(0)))
        counts[key] = (count + 1, amount + (result.amount.amount if isinstance(result, RatedRecord) else 0))
    return [(status, reason, count, amount) for (status, reason), (count, amount) in counts.items()]
