"""The rating plan, written once as SQL over the lookup tables (``lookup.py``), compiled for DuckDB and Spark.

Why SQL and not Ibis: the plan needs exact integer arithmetic (rates in micro-euros, half-up rounding by
integer division), a window over a few groups only, and control over what is scanned twice; written as plain
SQL it is short, reviewable and the same text for both engines. A ``Dialect`` fills in the few spellings
that differ (integer division, epoch microseconds, the decimal amount, the pattern test, typed labels);
everything else is SQL that both engines read the same way. docs/adr/0004-rating-plan-in-sql.md.

Statements, run in order (all but the last produce tables that the engines keep):
1. ``suspects``: the subscribers whose records might want more than an allowance holds, from an upper bound
   of each record's units that needs no classification (``lookup._allowance_bounds``), summed over the whole
   input at once: a cheap scan of three columns. Usually a few heavy users; every group (subscription,
   period, allowance) of every other subscriber is wholly included.
2. ``suspect_units``: the suspects' records only, classified exactly, narrowed to the records that take from an
   allowance (id, start, group, units). Kept because the cuts read it twice; classifying it twice
   would scan the whole input twice.
3. ``cuts``: for each group that does overflow, the record that crosses the boundary — the first, in time
   order (ties: record id), whose running total exceeds the allowance — and how many of its units are
   included. Found in two levels: the group's running total by UTC day (a hash aggregate, then a window over
   one row per group and day) gives the crossing day and the units before it; the exact window runs over that
   day's records only (about 2 % of the suspects' records at 10M rows, where one window over all of them
   was two thirds of this stage).
4. ``rated``: every input row classified, its included units decided by comparing it with its group's cut
   (before: all, the cut itself: its share, after: none; no cut: all), its amount in integer cents.

Classification (``_classified``) tests the reject reasons in the order of ``RejectReason``; a rejected row
keeps its id, status and reason and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from telbill.adapters.engines.lookup import SERVICE_IDS
from telbill.core.catalog.usage import Service

CENT_MICRO = 10_000  # micro-euros per cent
DAY_US = 86_400_000_000
# ``zoning.is_canonical`` as a pattern: '+', a non-zero digit and 6 to 14 more; or '#' and 3 to 6 digits
CANONICAL = "[+][1-9][0-9]{6,14}|#[0-9]{3,6}"
_PATTERN = CANONICAL.replace("{", "{{").replace("}", "}}")  # as it stands in a format template


@dataclass(frozen=True, slots=True)
class Dialect:
    name: str
    idiv: str  # integer division of non-negative operands, with {a} and {b}
    epoch_us: str  # microseconds since the epoch of a timestamp with time zone, with {t}
    decimal: str  # DECIMAL(18,2) of integer cents, with {c}
    canonical: str  # true when {s} is a canonical number (the whole string matches CANONICAL)
    label: str  # a constant label of the output, with {e} and {kind} (DuckDB: an ENUM value, written as a dictionary)


DUCKDB = Dialect(
    "duckdb",
    "(({a}) // ({b}))",
    "epoch_us({t})",
    "CAST(CAST({c} AS DECIMAL(18,0)) * CAST(0.01 AS DECIMAL(3,2)) AS DECIMAL(18,2))",
    f"regexp_full_match({{s}}, '{_PATTERN}')",
    "CAST({e} AS telbill_{kind})",
)
SPARK = Dialect(
    "spark",
    "(({a}) div ({b}))",
    "unix_micros({t})",
    "CAST(CAST({c} AS DECIMAL(18,0)) * CAST(0.01 AS DECIMAL(3,2)) AS DECIMAL(18,2))",
    f"({{s}} RLIKE '^({_PATTERN})\\\\z')",  # Java regex; \z: the very end (a '$' would allow a final newline)
    "{e}",
)
STATUSES = ("rated", "rejected")


def _service_id(expr: str) -> str:
    whens = " ".join(f"WHEN '{service.value}' THEN {number}" for service, number in SERVICE_IDS.items())
    return f"CASE {expr} {whens} END"


@dataclass(frozen=True, slots=True)
class Plan:
    dialect: Dialect
    prefix_length: int
    source: str = "cdr"  # the input relation

    def _period(self, start_us: str) -> str:
        return (
            f"CASE WHEN p.boundary_us IS NOT NULL AND {start_us} >= p.boundary_us "
            "THEN p.after_start ELSE p.before_start END"
        )

    def _periods_join(self, start_us: str) -> str:
        return f"p.billing_day = s.billing_day AND p.utc_day = {self.dialect.idiv.format(a=start_us, b=DAY_US)}"

    def suspects(self) -> str:
        """Subscribers whose records, over the whole input, might want more than an allowance holds."""
        d = self.dialect
        units = f"greatest({d.idiv.format(a='c.quantity + a.unit_size - 1', b='a.unit_size')}, a.minimum) + a.slack"
        return f"""
SELECT c.subscriber
FROM {self.source} c
JOIN allowances a ON a.service_id = {_service_id("c.service")}
WHERE c.quantity > 0
GROUP BY c.subscriber, a.allowance_id
HAVING sum({units}) > max(a.quantity)"""

    @staticmethod
    def suspect_subscribers() -> str:
        return "SELECT DISTINCT subscriber FROM suspects"

    def _classified(self, only_suspects: bool = False) -> str:
        d = self.dialect
        restrict = "WHERE src.subscriber IN (SELECT subscriber FROM suspect_subscribers)" if only_suspects else ""
        units0 = d.idiv.format(a="c.quantity + r.unit_size - 1", b="r.unit_size")
        stepped = d.idiv.format(a=f"greatest({units0}, r.minimum) + r.increment - 1", b="r.increment")
        data = SERVICE_IDS[Service.DATA]

        def reason(code: str) -> str:
            return d.label.format(e=f"'{code}'", kind="reason")

        return f"""
SELECT
  c.record_id, c.start_us, s.subscription_id, {self._period("c.start_us")} AS period_start,
  CASE
    WHEN c.record_id IS NULL OR c.record_id = '' OR c.subscriber IS NULL OR c.start IS NULL OR c.service IS NULL
      OR c.country IS NULL OR c.quantity IS NULL THEN {reason("missing_field")}
    WHEN c.service_id IS NULL THEN {reason("unknown_service")}
    WHEN c.quantity < 0 THEN {reason("negative_quantity")}
    WHEN s.subscription_id IS NULL THEN {reason("unknown_subscriber")}
    WHEN k.region_id IS NULL THEN {reason("unknown_country")}
    WHEN c.service_id <> {data} AND z.zone_id IS NULL THEN {reason("bad_destination")}
  END AS reason,
  CASE WHEN c.service_id = {data} THEN NULL ELSE z.zone END AS zone,
  r.tariff, r.allowance, r.allowance_id, r.units_per, r.rate_micro, r.per_record_micro,
  CASE WHEN {units0} = 0 THEN 0 ELSE {stepped} * r.increment END AS units
FROM (
  SELECT src.*, {d.epoch_us.format(t="src.start")} AS start_us, {_service_id("src.service")} AS service_id,
    CASE WHEN {d.canonical.format(s="src.destination")} THEN substr(src.destination, 1, {self.prefix_length}) END
      AS dest_key
  FROM {self.source} src
  {restrict}
) c
LEFT JOIN subscribers s ON s.subscriber = c.subscriber
LEFT JOIN periods p ON {self._periods_join("c.start_us")}
LEFT JOIN countries k ON k.country = c.country
LEFT JOIN prefixes z ON z.key = c.dest_key
LEFT JOIN rates r ON r.rate_key = c.service_id * 10000 + k.region_id * 1000
  + CASE WHEN c.service_id = {data} THEN 0 ELSE z.zone_id END"""

    def suspect_units(self) -> str:
        """The suspects' records that take from an allowance, narrowed to what the cuts need: read twice below,
        so kept rather than classified twice (a fifth of the records at most, as narrow as the window's input)."""
        return f"""
SELECT x.record_id, x.start_us, x.subscription_id, x.period_start, x.allowance_id, x.units
FROM ({self._classified(only_suspects=True)}) x
WHERE x.reason IS NULL AND x.allowance_id IS NOT NULL"""

    def _bucket(self, start_us: str) -> str:
        # the UTC day: non-decreasing in the start time, which is all the two-level search needs
        return self.dialect.idiv.format(a=start_us, b=DAY_US)

    def cuts(self) -> str:
        """Per group that overflows, the crossing record, found in two levels: the running total of the
        group's days (a window over one row per group and day) gives the day it crosses and the units before
        that day; the exact window (time, then record id) runs over that day's records only."""
        return f"""
SELECT subscription_id, period_start, allowance_id, start_us AS cut_start, record_id AS cut_id,
  CAST(quantity - (running - units) AS BIGINT) AS cut_included
FROM (
  SELECT x.subscription_id, x.period_start, x.allowance_id, x.start_us, x.record_id, x.units, d.quantity,
    d.before + sum(x.units) OVER (
      PARTITION BY x.subscription_id, x.period_start, x.allowance_id
      ORDER BY x.start_us, x.record_id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS running
  FROM suspect_units x
  JOIN ({self._crossing_days()}) d ON d.subscription_id = x.subscription_id AND d.period_start = x.period_start
    AND d.allowance_id = x.allowance_id AND d.bucket = {self._bucket("x.start_us")}
) w
WHERE running > quantity AND running - units <= quantity"""

    def _crossing_days(self) -> str:
        """Per group that overflows, the day its running total first exceeds the allowance (exactly one: the
        running totals only grow) and the units of the group's earlier days."""
        return f"""
SELECT subscription_id, period_start, allowance_id, bucket, quantity, running - units AS before
FROM (
  SELECT b.subscription_id, b.period_start, b.allowance_id, b.bucket, b.units, a.quantity,
    sum(b.units) OVER (
      PARTITION BY b.subscription_id, b.period_start, b.allowance_id
      ORDER BY b.bucket ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS running
  FROM (
    SELECT subscription_id, period_start, allowance_id, {self._bucket("start_us")} AS bucket, sum(units) AS units
    FROM suspect_units
    GROUP BY subscription_id, period_start, allowance_id, {self._bucket("start_us")}
  ) b
  JOIN allowances a ON a.allowance_id = b.allowance_id
) t
WHERE running > quantity AND running - units <= quantity"""

    def rated(self) -> str:
        d = self.dialect
        numerator = f"2 * (per_record_micro * units_per + rate_micro * charged) + units_per * {CENT_MICRO}"
        cents = d.idiv.format(a=numerator, b=f"2 * units_per * {CENT_MICRO}")
        amount = d.decimal.format(c=f"CASE WHEN charged = 0 THEN 0 ELSE {cents} END")
        rated, rejected = (d.label.format(e=f"'{status}'", kind="status") for status in STATUSES)
        status = f"CASE WHEN reason IS NULL THEN {rated} ELSE {rejected} END"
        return f"""
SELECT record_id,
  CASE WHEN reason IS NULL THEN subscription_id END AS subscription_id,
  CASE WHEN reason IS NULL THEN period_start END AS period_start,
  CASE WHEN reason IS NULL THEN zone END AS zone,
  CASE WHEN reason IS NULL THEN tariff END AS tariff,
  CASE WHEN reason IS NULL THEN allowance END AS allowance,
  CAST(CASE WHEN reason IS NULL THEN units END AS BIGINT) AS rated_units,
  CAST(CASE WHEN reason IS NULL THEN included END AS BIGINT) AS included_units,
  CAST(CASE WHEN reason IS NULL THEN charged END AS BIGINT) AS charged_units,
  CASE WHEN reason IS NULL THEN {amount} END AS amount,
  {status} AS status,
  reason
FROM (
  SELECT i.*, i.units - i.included AS charged
  FROM (
    SELECT x.*,
      CASE
        WHEN x.allowance_id IS NULL THEN 0
        WHEN k.cut_id IS NULL THEN x.units
        WHEN x.start_us < k.cut_start OR (x.start_us = k.cut_start AND x.record_id < k.cut_id) THEN x.units
        WHEN x.start_us = k.cut_start AND x.record_id = k.cut_id THEN k.cut_included
        ELSE 0
      END AS included
    FROM ({self._classified()}) x
    LEFT JOIN cuts k ON k.subscription_id = x.subscription_id AND k.period_start = x.period_start
      AND k.allowance_id = x.allowance_id
  ) i
) r"""
