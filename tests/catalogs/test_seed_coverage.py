"""Every priced row of both seed sheets has a catalog entry that carries its label and its printed figures.

The rows come from the seed texts themselves (seed_rows.py), not from the catalog; a row is covered when a
labelled node of the catalog (an item, band, period, tier, variant, feature or compensation clause) has the
row's label and, in that node, every amount and percentage the row prints; "Gratuit" needs a free rule and
"Sur devis"/"Frais évalués" an on-quote rule there.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from telbill.core.catalog.schema import Catalog
from tests.catalogs.seed_rows import SeedRow, normalise, read_rows
from tests.conftest import CATALOGS, SEEDS

_LABEL_KEYS = ("label", "note", "lump_sum_label", "daily_label", "minimum_label")

CASES = [
    ("000_4bac895ef3d3e840.txt", "telenet-clic-bureau.yaml", 11),
    ("004_9cf25017294e0de7.txt", "belgacom-fees-indemnities.yaml", 87),
]


@dataclass(frozen=True)
class Entry:
    text: str
    amounts: frozenset[Decimal]
    percents: frozenset[Decimal]
    rules: frozenset[str]
    has_free_tier: bool


def _load(name: str) -> dict[str, Any]:
    catalog = Catalog.model_validate(YAML(typ="safe").load((CATALOGS / name).read_text(encoding="utf-8")))
    return catalog.model_dump(mode="json", by_alias=True)


def _walk(node: Any) -> Iterator[Any]:
    yield node
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    for child in children:
        yield from _walk(child)


def _entry(node: dict[str, Any], text: str) -> Entry:
    amounts: set[Decimal] = set()
    percents: set[Decimal] = set()
    rules: set[str] = set()
    free_tier = False
    for sub in _walk(node):
        if not isinstance(sub, dict):
            continue
        amounts |= {Decimal(sub[k]) for k in ("htva", "tvac") if sub.get(k) is not None}
        if sub.get("percent") is not None:
            percents.add(Decimal(sub["percent"]))
        if isinstance(sub.get("rule"), str):
            rules.add(sub["rule"])
        if "from" in sub and "price" in sub and sub["price"] is None:
            free_tier = True
    return Entry(normalise(text), frozenset(amounts), frozenset(percents), frozenset(rules), free_tier)


def entries(dump: dict[str, Any]) -> list[Entry]:
    found = []
    for node in _walk(dump):
        if isinstance(node, dict):
            found += [_entry(node, node[k]) for k in _LABEL_KEYS if isinstance(node.get(k), str)]
    return found


def covers(entry: Entry, row: SeedRow) -> bool:
    if not (entry.text in row.label or row.label in entry.text):
        return False
    if not row.amounts <= entry.amounts or not row.percents <= entry.percents:
        return False
    if "Gratuit" in row.words and not ("free" in entry.rules or entry.has_free_tier):
        return False
    return not ({"Sur devis", "Frais évalués"} & row.words and "on_quote" not in entry.rules)


@pytest.mark.parametrize(("seed", "catalog", "expected_rows"), CASES)
def test_every_priced_row_of_the_seed_has_a_catalog_entry(seed: str, catalog: str, expected_rows: int) -> None:
    rows = read_rows(SEEDS / seed)
    # The row count guards the reader itself: if it stopped seeing rows, coverage would pass vacuously.
    assert len(rows) == expected_rows
    found = entries(_load(catalog))
    missing = [f"line {r.line}: {r.label!r} {sorted(r.amounts)}" for r in rows if not any(covers(e, r) for e in found)]
    assert missing == []


def test_a_row_whose_amount_differs_is_not_covered() -> None:
    row = SeedRow(1, "Facture intermédiaire", frozenset({Decimal("4.50"), Decimal("3.71")}), frozenset(), frozenset())
    found = entries(_load("belgacom-fees-indemnities.yaml"))
    assert not any(covers(e, row) for e in found)


def test_porting_compensation_of_seed_000_is_encoded() -> None:
    # Seed 000 states it in prose, not in a priced row: "plafonnée à 5 euros par numéro transféré et par jour".
    text = Path(SEEDS / "000_4bac895ef3d3e840.txt").read_text(encoding="utf-8")
    assert "5 euros par numéro transféré et par jour de retard" in text
    dump = _load("telenet-clic-bureau.yaml")
    clause = next(c for c in dump["versions"][0]["compensations"] if c["code"] == "PORTING-DELAY")
    assert clause["rule"] == {
        "rule": "per_unit_per_day",
        "unit": "number",
        "price": {"htva": "5.00", "tvac": None},
    }
