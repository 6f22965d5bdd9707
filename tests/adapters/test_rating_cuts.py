"""The allowance cut of the SQL plan (found in two levels: the day a group's running total crosses, then the
record within that day) against the reference engine, on heavy users drawn at random: many records on few
days, equal start times (the record id decides), a billing period that ends in the middle of the draw."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import given, settings
from hypothesis import strategies as st

from telbill.adapters.engines import engine
from telbill.app.rating import RatingJob
from telbill.core.rating.records import Subscriber
from tests.adapters.rating_support import Row, read_output, write_input
from tests.core.rating_builders import telenet

SUBSCRIBERS = (Subscriber("+32470123456", "SUB-1", 1), Subscriber("+32470654321", "SUB-2", 1))
# six days around the end of March (the period of billing day 1 ends at 22:00 UTC on 31 March), in steps of
# four hours: few distinct start times, so many ties
START = datetime(2026, 3, 29, tzinfo=UTC)
SERVICES = {"voice": ("+32470999999", 30_000), "sms": ("+32470999999", 500), "data": (None, 5_000_000_000)}
QUANTITIES = st.sampled_from((0.0, 0.3, 1.0)) | st.floats(0, 1)  # of the most a record of its service takes
RECORDS = st.tuples(st.sampled_from(SUBSCRIBERS), st.sampled_from(sorted(SERVICES)), st.integers(0, 36), QUANTITIES)


@st.composite
def heavy_usage(draw: st.DrawFn) -> list[Row]:
    records = draw(st.lists(RECORDS, min_size=20, max_size=80))
    n = len(records)
    ids = draw(st.lists(st.text("abc", min_size=1, max_size=4), min_size=n, max_size=n, unique=True))
    rows: list[Row] = []
    for record_id, (subscriber, service, step, share) in zip(ids, records, strict=True):
        destination, most = SERVICES[service]
        start = START + timedelta(hours=4 * step)
        rows.append((record_id, subscriber.number, start.isoformat(), service, "BE", destination, int(most * share)))
    return rows


@settings(max_examples=40, deadline=None)
@given(heavy_usage())
def test_the_plan_cuts_each_allowance_where_the_reference_does(rows: list[Row]) -> None:
    with TemporaryDirectory() as folder:
        source = write_input(Path(folder) / "cdr.parquet", rows)
        outputs = {}
        for name in ("reference", "duckdb"):
            output = Path(folder) / f"rated-{name}.parquet"
            engine(name).rate_file(RatingJob(source, output, telenet(), SUBSCRIBERS))
            outputs[name] = read_output(output)
    assert outputs["duckdb"] == outputs["reference"]
