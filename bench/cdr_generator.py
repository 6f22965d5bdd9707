"""A seeded generator of realistic CDRs for the rating bench and the parity test.

``generate(folder, rows, seed)`` writes ``cdr.parquet`` (the rating input of docs/usage.md) and
``subscribers.parquet`` (number, subscription, billing day), and returns their paths. The same seed and
row count give the same files with the same DuckDB version (the randomness is DuckDB's ``hash`` of the row
number and the seed); generation itself runs in DuckDB, so 100 million rows take a couple of minutes.

What the data looks like (per row, before the rare broken rows):
- subscribers: rows ÷ 150 of them, about 150 records each over the month; 1 % are heavy users with about 20
  times as many (business lines), so that they exceed the included minutes and data and records are split;
  90 % are mobiles (+3247…), 10 % Brussels fixed lines (+322…); 70 % bill on the 1st, the rest on days 2–28;
- time: uniform over 27 February–1 April 2026 (UTC), second precision: three billing periods for most;
- service: 45 % voice (12 % unanswered, else log-normal around 90 s, at most 4 h), 25 % SMS (1–3 parts),
  30 % data (log-normal around 5 MB, at most 5 GB);
- where: 93 % Belgium, 5 % EU/EEA (FR, NL, DE, ES, IT, NO), 2 % elsewhere (US, CH, GB, MA, TR);
- destination: Belgian mobiles and fixed lines, 070/078, 0900, 0800, short numbers, EU and world numbers;
- broken rows (about 0.2 %): unknown subscribers, negative durations, national-format destinations,
  unknown countries and services, missing fields — rated as rejections.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

SERVICES = [(0.45, "'voice'"), (0.25, "'sms'"), (0.2998, "'data'"), (0.0001, "NULL"), (0.0001, "'fax'")]
START_UTC_SECONDS = 1_772_150_400  # 2026-02-27T00:00:00Z
SPAN_SECONDS = 34 * 86_400  # to 2026-04-02T00:00:00Z


def _u(i: str, seed: int, k: int) -> str:
    """A uniform number in [0, 1) from the row number, the seed and a stream number."""
    return f"((hash({i}, {seed}, {k}) % 1000000007) / 1000000007.0)"


def _normal(i: str, seed: int, k: int) -> str:
    """A standard normal number (Box–Muller)."""
    return f"(sqrt(-2 * ln(1 - {_u(i, seed, k)})) * cos(2 * pi() * {_u(i, seed, k + 1)}))"


def _pick(u: str, choices: list[tuple[float, str]]) -> str:
    """A CASE choosing among SQL expressions by cumulative probability."""
    total, whens = 0.0, []
    for share, expression in choices[:-1]:
        total += share
        whens.append(f"WHEN {u} < {total:.6f} THEN {expression}")
    return f"CASE {' '.join(whens)} ELSE {choices[-1][1]} END"


def _digits(i: str, seed: int, k: int, count: int) -> str:
    return f"lpad(CAST(hash({i}, {seed}, {k}) % {10**count} AS VARCHAR), {count}, '0')"


def _subscriber_number(index: str) -> str:
    return f"CASE WHEN {index} % 10 = 9 THEN '+322' || lpad(CAST({index} AS VARCHAR), 7, '0') ELSE '+3247' || lpad(CAST({index} AS VARCHAR), 7, '0') END"  # noqa: E501


def _destination(seed: int) -> str:
    u = _u("i", seed, 20)
    return _pick(
        u,
        [
            (0.4825, f"'+3247' || {_digits('i', seed, 21, 7)}"),
            (0.10, f"'+322' || {_digits('i', seed, 22, 7)}"),
            (0.12, f"'+329' || {_digits('i', seed, 23, 7)}"),
            (0.02, f"'+3270' || {_digits('i', seed, 24, 6)}"),
            (0.007, f"'+32900' || {_digits('i', seed, 25, 5)}"),
            (0.01, f"'+32800' || {_digits('i', seed, 26, 5)}"),
            (0.005, f"'#' || CAST(1000 + hash(i, {seed}, 27) % 8999 AS VARCHAR)"),
            (0.001, "'#112'"),
            (0.06, f"'+33' || {_digits('i', seed, 28, 9)}"),
            (0.04, f"'+31' || {_digits('i', seed, 29, 9)}"),
            (0.05, f"'+49' || {_digits('i', seed, 30, 10)}"),
            (0.05, f"'+1' || {_digits('i', seed, 31, 10)}"),
            (0.03, f"'+44' || {_digits('i', seed, 32, 10)}"),
            (0.024, f"'+212' || {_digits('i', seed, 33, 9)}"),
            (0.0005, f"'0470' || {_digits('i', seed, 34, 6)}"),  # national format: not canonical, rejected
        ],
    )


def _country(seed: int) -> str:
    u = _u("i", seed, 40)
    eu = ["FR", "NL", "DE", "ES", "IT", "NO"]
    world = ["US", "CH", "GB", "MA", "TR"]
    choices = [(0.93, "'BE'")] + [(0.05 / len(eu), f"'{c}'") for c in eu]
    choices += [(0.0198 / len(world), f"'{c}'") for c in world] + [(0.0001, "'fr'"), (0.0001, "'XX'")]
    return _pick(u, choices)


def _quantity(seed: int) -> str:
    voice = (
        f"CASE WHEN {_u('i', seed, 50)} < 0.12 THEN 0 "
        f"ELSE CAST(least(14400, round(exp(ln(90) + {_normal('i', seed, 51)}))) AS BIGINT) END"
    )
    sms = f"CAST(1 + (CASE WHEN {_u('i', seed, 53)} < 0.95 THEN 0 ELSE hash(i, {seed}, 54) % 3 END) AS BIGINT)"
    data = f"CAST(least(5000000000, round(exp(ln(5000000) + 1.5 * {_normal('i', seed, 55)}))) AS BIGINT)"
    return f"CASE service WHEN 'voice' THEN {voice} WHEN 'sms' THEN {sms} ELSE {data} END"


def generate(folder: Path, rows: int, seed: int = 42, threads: int | None = None) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    subscribers_file, cdr_file = folder / "subscribers.parquet", folder / "cdr.parquet"
    count = max(100, rows // 150)
    # 80 % of the rows go to any subscriber, 20 % to the heavy users, the first 1 %: about 20 times the average
    heavy = f"(CASE WHEN {_u('i', seed, 6)} < 0.80 THEN {count} ELSE {max(1, count // 100)} END)"
    con = duckdb.connect(config={"threads": threads} if threads else {})
    try:
        con.execute(f"""COPY (
  SELECT {_subscriber_number("s")} AS subscriber, 'SUB-' || CAST(s AS VARCHAR) AS subscription_id,
    CAST(CASE WHEN hash(s, {seed}, 1) % 10 < 7 THEN 1 ELSE 2 + hash(s, {seed}, 2) % 27 END AS INTEGER) AS billing_day
  FROM range({count}) t(s)
) TO '{subscribers_file}' (FORMAT parquet)""")
        con.execute(f"""COPY (
  SELECT record_id, subscriber, start, service, country, destination,
    CASE WHEN {_u("i", seed, 60)} < 0.0002 THEN -quantity - 1 ELSE quantity END AS quantity
  FROM (
    SELECT i, 'CDR-{seed}-' || lpad(CAST(i AS VARCHAR), 10, '0') AS record_id,
      CASE WHEN {_u("i", seed, 2)} < 0.0005 THEN '+32499' || {_digits("i", seed, 3, 6)}
           ELSE {_subscriber_number(f"CAST(floor({_u('i', seed, 1)} * {heavy}) AS BIGINT)")} END AS subscriber,
      make_timestamptz(CAST(({START_UTC_SECONDS} + hash(i, {seed}, 4) % {SPAN_SECONDS}) * 1000000 AS BIGINT))
        AS start,
      {_pick(_u("i", seed, 5), SERVICES)} AS service,
      {_country(seed)} AS country
    FROM range({rows}) t(i)
  ) base, LATERAL (
    SELECT CASE WHEN service = 'data' THEN NULL ELSE {_destination(seed)} END AS destination,
      {_quantity(seed)} AS quantity
  ) more
) TO '{cdr_file}' (FORMAT parquet)""")
    finally:
        con.close()
    return cdr_file, subscribers_file
