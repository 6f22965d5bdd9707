"""Usage files for ``telbill usage import``: CSV and Parquet → ``RawUsage`` rows, one per record, none lost.

Contract (columns in docs/usage.md):
- The file must have the documented columns (extra columns are ignored); a file without them, or that is not
  CSV (UTF-8, comma-separated, a header row) or Parquet, is refused as a whole (``usage.file``).
- Every data row becomes one ``RawUsage`` holding the text of its fields, whatever is wrong with it: the
  import use case decides what is broken and quarantines it with its reason. A CSV row with too few or too
  many fields keeps what it has (a missing field is empty; a row with surplus fields carries a ``problem``,
  so it is quarantined as malformed rather than imported half-read).
- Parquet values are written as text the way a CSV would hold them: timestamps in ISO 8601 with their
  offset (UTC for a zoned column; none for a naive one, which the import then refuses), integers in digits.
- Rows are streamed: memory does not grow with the file.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.rating.intake import FIELDS, RawUsage
from telbill.core.rating.records import Subscriber

BATCH_ROWS = 50_000
_EPOCH_NAIVE = datetime(1970, 1, 1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def read_usage(path: Path) -> Iterator[RawUsage]:
    if not path.is_file():
        raise TelbillError("usage.file", f"{path}: no such file", ErrorKind.NOT_FOUND)
    if path.suffix.lower() == ".parquet":
        return _parquet(path)
    if path.suffix.lower() == ".csv":
        return _csv(path)
    raise TelbillError("usage.file", f"{path}: a usage file is .csv or .parquet")


def _missing_columns(path: Path, columns: list[str]) -> None:
    missing = [name for name in FIELDS if name not in columns]
    if missing:
        raise TelbillError("usage.file", f"{path}: no column {', '.join(missing)} (docs/usage.md)")


def _csv(path: Path) -> Iterator[RawUsage]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = [name.strip() for name in next(reader, [])]
        _missing_columns(path, header)
        positions = [header.index(name) for name in FIELDS]
        for number, values in enumerate(reader, start=1):
            if not values:
                continue  # a blank line is no row
            fields = [values[p] if p < len(values) else None for p in positions]
            problem = f"{len(values)} fields for {len(header)} columns" if len(values) > len(header) else None
            record_id, subscriber, start, service, country, destination, quantity = fields
            yield RawUsage(number, record_id, subscriber, start, service, country, destination, quantity, problem)


def _parquet(path: Path) -> Iterator[RawUsage]:
    try:
        source = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as error:
        raise TelbillError("usage.file", f"{path}: not a Parquet file ({error})") from None
    _missing_columns(path, source.schema_arrow.names)
    number = 0
    for batch in source.iter_batches(batch_size=BATCH_ROWS, columns=list(FIELDS)):
        columns = [_texts(batch.column(name)) for name in FIELDS]
        for values in zip(*columns, strict=True):
            number += 1
            yield RawUsage(number, *values)


def _texts(column: pa.Array) -> list[str | None]:
    kind = column.type
    if pa.types.is_timestamp(kind):
        epoch = _EPOCH if kind.tz is not None else _EPOCH_NAIVE
        micros = pc.cast(pc.cast(column, pa.timestamp("us", tz=kind.tz)), pa.int64()).to_pylist()
        return [None if m is None else (epoch + timedelta(microseconds=m)).isoformat() for m in micros]
    return [None if value is None else _text(value) for value in column.to_pylist()]


def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def read_subscribers(path: Path) -> tuple[Subscriber, ...]:
    """Subscribers for ``telbill rate --subscribers``: CSV or Parquet with subscriber (canonical number),
    subscription_id and billing_day."""
    if not path.is_file():
        raise TelbillError("usage.file", f"{path}: no such file", ErrorKind.NOT_FOUND)
    if path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = [dict(row) for row in csv.DictReader(handle)]
    else:
        rows = pq.read_table(path).to_pylist()
    try:
        return tuple(Subscriber(str(r["subscriber"]), str(r["subscription_id"]), int(r["billing_day"])) for r in rows)
    except (KeyError, TypeError, ValueError) as error:
        raise TelbillError(
            "usage.file", f"{path}: subscriber, subscription_id and billing_day per row ({error})"
        ) from None
