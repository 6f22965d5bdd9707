"""The rating plan, written once as SQL over the lookup tables (``lookup.py``), compiled for DuckDB and Spark.

Why SQL and not Ibis: the plan needs exact integer arithmetic (rates in micro-euros, half-up rounding by
integer division), a window over a few groups only, and control over what is scanned twice; written as plain
SQL it is short, reviewable and the same text for both engines. A ``Dialect`` fills in the four spellings
that differ (integer division, epoch microseconds, the decimal amount, the input relation); everything else
is SQL that both engines read the same way. docs/adr/0002-rating-plan-in-sql.md.

Statements, run in order (the first two produce small tables that the engines keep):
1. ``overflow``: per (subscription, period, allowance), the charging units the records want from the
   allowance; only the groups that want more than it holds (usually a few heavy users) are kept.
2. ``cuts``: for each overflowing group, the record that crosses the boundary — the first, in time order
   (ties: record id), whose running total exceeds the allowance — and how many of its units are included.
   Only the records of overflowing subscribers go through this window.
3. ``rated``: every input row, classified again, its included units decided by comparing it with its
   group's cut (before: all, the cut itself: its share, after: none), its amount computed in integer cents.

Classification (``_classified``) tests the reject reasons in the order of ``RejectReason``; a rejected row
keeps its id, status and reason and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from telbill.core.rating.zoning import DIGITS, E164_LENGTH, SHORT_LENGTH

CENT_MICRO = 10_000  # micro-euros per cent


@dataclass(frozen=True, slots=True)
class Dialect:
    name: str
    idiv: str  # integer division of non-negative operands, with {a} and {b}
    epoch_us: str  # microseconds since the epoch of a timestamp with time zone, with {t}
    decimal: str  # DECIMAL(18,2) of integer cents, with {c}


DUCKDB = Dialect(
    "duckdb",
    "(({a}) // ({b}))",
    "epoch_us({t})",
    "CAST(CAST({c} AS DECIMAL(18,0)) * CAST(0.01 AS DECIMAL(3,2)) AS DECIMAL(18,2))",
)
SPARK = Dialect(
    "spark",
    "(({a}) div ({b}))",
    "unix_micros({t})",
    "CAST(CAST({c} AS DECIMAL(18,0)) * CAST(0.01 AS DECIMAL(3,2)) AS DECIMAL(18,2))",
)


def _digits_only(expr: str) -> str:
    return f"translate({expr}, '{DIGITS}', '') = ''"


def _canonical(expr: str) -> str:
    """``zoning.is_canonical`` in SQL: the same tests of first character, length and digits."""
    e164 = (
        f"(substr({expr}, 1, 1) = '+' AND length({expr}) BETWEEN {E164_LENGTH[0]} AND {E164_LENGTH[1]} "
        f"AND substr({expr}, 2, 1) <> '0' AND {_digits_only(f'substr({expr}, 2)')})"
    )
    short = (
        f"(substr({expr}, 1, 1) = '#' AND length({expr}) BETWEEN {SHORT_LENGTH[0]} AND {SHORT_LENGTH[1]} "
        f"AND {_digits_only(f'substr({expr}, 2)')})"
    )
    return f"({e164} OR {short})"


@dataclass(frozen=True, slots=True)
class Plan:
    dialect: Dialect
    prefix_length: int
    source: str = "cdr"  # the input relation

    def _classified(self, only_overflowing: bool = False) -> str:
        d = self.dialect
        start_us = d.epoch_us.format(t="src.start")
        restrict = "WHERE c.subscriber IN (SELECT subscriber FROM overflow_subscribers)" if only_overflowing else ""
        units0 = d.idiv.format(a="c.quantity + t.unit_size - 1", b="t.unit_size")
        stepped = d.idiv.format(a=f"greatest({units0}, t.minimum) + t.increment - 1", b="t.increment")
        return f"""
SELECT
  c.record_id, c.start_us, s.subscription_id,
  CASE WHEN p.boundary_us IS NOT NULL AND c.start_us >= p.boundary_us THEN p.after_start ELSE p.before_start END
    AS period_start,
  CASE
    WHEN c.record_id IS NULL OR c.record_id = '' OR c.subscriber IS NULL OR c.start IS NULL OR c.service IS NULL
      OR c.country IS NULL OR c.quantity IS NULL THEN 'missing_field'
    WHEN c.service NOT IN ('voice', 'sms', 'data') THEN 'unknown_service'
    WHEN c.quantity < 0 THEN 'negative_quantity'
    WHEN s.subscription_id IS NULL THEN 'unknown_subscriber'
    WHEN k.region IS NULL THEN 'unknown_country'
    WHEN c.service <> 'data' AND z.zone IS NULL THEN 'bad_destination'
  END AS reason,
  CASE WHEN c.service = 'data' THEN NULL ELSE z.zone END AS zone,
  r.tariff, r.allowance, t.units_per, t.rate_micro, t.per_record_micro,
  CASE WHEN {units0} = 0 THEN 0 ELSE {stepped} * t.increment END AS units
FROM (
  SELECT src.*, {start_us} AS start_us,
    CASE WHEN {_canonical("src.destination")} THEN substr(src.destination, 1, {self.prefix_length}) END AS dest_key
  FROM {self.source} src
) c
LEFT JOIN subscribers s ON s.subscriber = c.subscriber
LEFT JOIN periods p ON p.billing_day = s.billing_day AND p.utc_day = {d.idiv.format(a="c.start_us", b="86400000000")}
LEFT JOIN countries k ON k.country = c.country
LEFT JOIN prefixes z ON z.key = c.dest_key
LEFT JOIN rules r ON r.service = c.service AND r.region = k.region
  AND r.zone = CASE WHEN c.service = 'data' THEN '' ELSE z.zone END
LEFT JOIN tariffs t ON t.code = r.tariff
{restrict}"""

    def overflow(self) -> str:
        return f"""
SELECT g.subscription_id, g.period_start, g.allowance, a.quantity
FROM (
  SELECT subscription_id, period_start, allowance, sum(units) AS wanted
  FROM ({self._classified()}) x
  WHERE reason IS NULL AND allowance IS NOT NULL
  GROUP BY subscription_id, period_start, allowance
) g
JOIN allowances a ON a.code = g.allowance
WHERE g.wanted > a.quantity"""

    @staticmethod
    def overflow_subscribers() -> str:
        return """
SELECT DISTINCT s.subscriber FROM overflow o JOIN subscribers s ON s.subscription_id = o.subscription_id"""

    def cuts(self) -> str:
        return f"""
SELECT subscription_id, period_start, allowance, start_us AS cut_start, record_id AS cut_id,
  quantity - (running - units) AS cut_included
FROM (
  SELECT x.subscription_id, x.period_start, x.allowance, x.start_us, x.record_id, x.units, o.quantity,
    sum(x.units) OVER (
      PARTITION BY x.subscription_id, x.period_start, x.allowance
      ORDER BY x.start_us, x.record_id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS running
  FROM ({self._classified(only_overflowing=True)}) x
  JOIN overflow o ON o.subscription_id = x.subscription_id AND o.period_start = x.period_start
    AND o.allowance = x.allowance
  WHERE x.reason IS NULL
) w
WHERE running > quantity AND running - units <= quantity"""

    def rated(self) -> str:
        d = self.dialect
        numerator = "2 * (per_record_micro * units_per + rate_micro * charged) + units_per * " + str(CENT_MICRO)
        cents = d.idiv.format(a=numerator, b=f"2 * units_per * {CENT_MICRO}")
        return f"""
SELECT record_id,
  CASE WHEN reason IS NULL THEN subscription_id END AS subscription_id,
  CASE WHEN reason IS NULL THEN period_start END AS period_start,
  CASE WHEN reason IS NULL THEN zone END AS zone,
  CASE WHEN reason IS NULL THEN tariff END AS tariff,
  CASE WHEN reason IS NULL THEN allowance END AS allowance,
  CASE WHEN reason IS NULL THEN units END AS rated_units,
  CASE WHEN reason IS NULL THEN included END AS included_units,
  CASE WHEN reason IS NULL THEN charged END AS charged_units,
  CASE WHEN reason IS NULL THEN {d.decimal.format(c=f"CASE WHEN charged = 0 THEN 0 ELSE {cents} END")} END AS amount,
  CASE WHEN reason IS NULL THEN 'rated' ELSE 'rejected' END AS status,
  reason
FROM (
  SELECT i.*, i.units - i.included AS charged
  FROM (
    SELECT x.*,
      CASE
        WHEN x.allowance IS NULL THEN 0
        WHEN k.cut_id IS NULL THEN x.units
        WHEN x.start_us < k.cut_start OR (x.start_us = k.cut_start AND x.record_id < k.cut_id) THEN x.units
        WHEN x.start_us = k.cut_start AND x.record_id = k.cut_id THEN k.cut_included
        ELSE 0
      END AS included
    FROM ({self._classified()}) x
    LEFT JOIN cuts k ON k.subscription_id = x.subscription_id AND k.period_start = x.period_start
      AND k.allowance = x.allowance
  ) i
) r"""
