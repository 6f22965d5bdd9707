"""The canonical-number test of the SQL plan, as DuckDB spells it, agrees with the core's ``is_canonical`` for
any string: ASCII digits only (not '٣' nor '３'), no final newline, the lengths at their bounds. (Spark's
spelling is covered by the parity test.) Cheaper spellings were measured and were slower: docs/algorithms/
rating.md §8."""

from __future__ import annotations

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from telbill.adapters.engines.plan import DUCKDB
from telbill.core.rating.zoning import is_canonical

# a lead and digits, now and then spoilt by one character where it may not be
ODD = "\n ٣３x\x00é+#"


@st.composite
def numbers(draw: st.DrawFn) -> str:
    lead = draw(st.sampled_from(["+", "#", "", "x", "\n+"]))
    digits = draw(st.integers(0, 17).flatmap(lambda n: st.text("0123456789", min_size=n, max_size=n)))
    spoilt = draw(st.none() | st.tuples(st.integers(0, len(digits)), st.sampled_from(ODD)))
    if spoilt is not None:
        digits = digits[: spoilt[0]] + spoilt[1] + digits[spoilt[0] :]
    return lead + digits


NUMBERS = numbers() | st.text(st.sampled_from("+#0123456789" + ODD), max_size=18)


@settings(max_examples=300, deadline=None)
@given(st.lists(NUMBERS, min_size=1, max_size=50))
def test_the_duckdb_pattern_is_the_cores_canonical_test(numbers: list[str]) -> None:
    test = DUCKDB.canonical.format(s="n")
    got = duckdb.execute(
        f"SELECT {test} FROM unnest($numbers) WITH ORDINALITY t(n, i) ORDER BY i", {"numbers": numbers}
    )
    assert [bool(row[0]) for row in got.fetchall()] == [is_canonical(n) for n in numbers]
