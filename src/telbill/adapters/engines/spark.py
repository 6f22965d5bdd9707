"""The same SQL plan (``plan.py``) on Apache Spark, for operators whose records outgrow one machine.

Contract: optional (``pip install 'telbill[spark]'``; Java 17 or later). The session is the active one when
there is one (a cluster's), else a local one (``local[2]`` unless ``$TELBILL_SPARK_MASTER`` says otherwise),
with the session time zone set to UTC (the plan reads epoch microseconds, never wall-clock times). The
lookup tables travel as small Parquet files; the intermediate tables of the plan (suspects, their narrowed
records and the cuts) are written to Parquet and read back, so every statement is a plain scan. The output is a folder
of Parquet part files, as Spark writes them (any Parquet reader reads the folder as one table).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from telbill.adapters.engines.lookup import period_table, static_tables, subscriber_table
from telbill.adapters.engines.plan import SPARK, Plan
from telbill.adapters.engines.summary import summary_of
from telbill.app.rating import Progress, RatingJob, RatingSummary
from telbill.core.errors import ErrorKind, TelbillError

MASTER_VARIABLE = "TELBILL_SPARK_MASTER"
# OpenJDK 17's C2 compiler can crash the JVM (SIGSEGV in BoolNode::Ideal) while compiling Parquet's record
# writer; the local session compiles with C1 only, which is slower on long runs but never crashed here. A
# cluster's own session is used as it is configured.
JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:ErrorFile=/tmp/telbill-spark-hs_err_%p.log")
_INPUT_DDL = (
    "record_id STRING, subscriber STRING, start TIMESTAMP, service STRING, country STRING, "
    "destination STRING, quantity BIGINT"
)


def session(master: str | None = None) -> Any:
    """The active Spark session, or a local one configured for rating."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise TelbillError(
            "rating.no_spark", "the spark engine needs pyspark: pip install 'telbill[spark]'", ErrorKind.NOT_FOUND
        ) from None
    active = SparkSession.getActiveSession()
    if active is not None:
        active.conf.set("spark.sql.session.timeZone", "UTC")
        return active
    built = (
        SparkSession.builder.master(master or os.environ.get(MASTER_VARIABLE) or "local[2]")
        .appName("telbill-rating")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.driver.memory", "2g")
        .config("spark.driver.extraJavaOptions", " ".join(JVM_OPTIONS))
        .getOrCreate()
    )
    built.sparkContext.setLogLevel("ERROR")
    return built


class SparkEngine:
    name = "spark"

    def __init__(self, master: str | None = None) -> None:
        self.master = master

    def rate_file(self, job: RatingJob, progress: Progress | None = None) -> RatingSummary:
        spark = session(self.master)
        with tempfile.TemporaryDirectory(prefix="telbill-spark-") as folder:
            return self._run(spark, job, Path(folder), progress or (lambda _: None))

    def _run(self, spark: Any, job: RatingJob, work: Path, progress: Progress) -> RatingSummary:
        lookups = {**static_tables(job.tables), "subscribers": subscriber_table(job.subscribers)}
        for name, table in lookups.items():
            pq.write_table(table, work / f"{name}.parquet")
            spark.read.parquet(str(work / f"{name}.parquet")).createOrReplaceTempView(name)
        _input(spark, job.source).createOrReplaceTempView("cdr")
        first, last = spark.sql("SELECT min(unix_micros(start)), max(unix_micros(start)) FROM cdr").collect()[0]
        days = {s.billing_day for s in job.subscribers} or {1}
        pq.write_table(period_table(job.tables, days, first or 0, last or 0), work / "periods.parquet")
        spark.read.parquet(str(work / "periods.parquet")).createOrReplaceTempView("periods")
        progress(0.05)
        plan = Plan(SPARK, job.tables.prefix_length)
        _materialise(spark, plan.suspects(), work / "suspects", "suspects")
        _materialise(spark, plan.suspect_subscribers(), work / "suspect_subscribers", "suspect_subscribers")
        progress(0.4)
        _materialise(spark, plan.suspect_units(), work / "suspect_units", "suspect_units")
        _materialise(spark, plan.cuts(), work / "cuts", "cuts")
        progress(0.5)
        if job.output.is_file():
            job.output.unlink()
        spark.sql(plan.rated()).write.mode("overwrite").parquet(str(job.output))
        progress(0.95)
        rows = spark.sql(
            f"SELECT status, reason, count(*), sum(amount) FROM parquet.`{job.output}` GROUP BY status, reason"
        ).collect()
        progress(1.0)
        return summary_of(self.name, job.output, [tuple(row) for row in rows])


def _materialise(spark: Any, query: str, where: Path, view: str) -> None:
    spark.sql(query).write.mode("overwrite").parquet(str(where))
    spark.read.parquet(str(where)).createOrReplaceTempView(view)


def _input(spark: Any, source: Path) -> Any:
    if not source.exists():
        raise TelbillError("rating.input", f"{source}: no such file")
    if source.suffix.lower() == ".csv":
        frame = spark.read.csv(str(source), header=True, schema=_INPUT_DDL, mode="FAILFAST")
    else:
        frame = spark.read.parquet(str(source))
        start = dict(frame.dtypes).get("start")
        if start != "timestamp":
            raise TelbillError("rating.input", f"{source}: 'start' must be a timestamp with time zone, not {start}")
    return frame.selectExpr(
        "CAST(record_id AS STRING) AS record_id",
        "CAST(subscriber AS STRING) AS subscriber",
        "start",
        "CAST(service AS STRING) AS service",
        "CAST(country AS STRING) AS country",
        "CAST(destination AS STRING) AS destination",
        "CAST(quantity AS BIGINT) AS quantity",
    )


def remove_output(path: Path) -> None:
    """Spark's output is a folder: remove it before a run that should start afresh."""
    if path.is_dir():
        shutil.rmtree(path)
