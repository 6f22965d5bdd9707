"""Reads the priced rows of a seed price sheet (the extracted text in ../shared/seeds/), independently of
the catalog code: each row's label, the amounts it prints and the kind of price words it uses.

A row is priced when one of its tab-separated cells holds a price: an amount with €, a percentage, or a
price word (Gratuit, Frais évalués, Sur devis, Inclus, Illimité…). When a row has no label of its own (the
sheet puts the label on the line above), the previous non-empty line is its label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

_TAG = re.compile(r"<[^>]+>")
_AMOUNT = re.compile(r"(?:€\s*(\d+(?:,\d{1,2})?))|(?:(\d+(?:,\d{1,2})?)\s*€)")
_PERCENT = re.compile(r"(\d+)\s*%")
_MONTHS = re.compile(r"(\d+)\s+mois de redevances")
_WORDS = (
    "Gratuit",
    "Frais évalués",
    "Sur devis",
    "niet beschikbaar",
    "Inclus",
    "Illimité",
    "Mbps",
    "Remboursement",
)


@dataclass(frozen=True)
class SeedRow:
    line: int
    label: str
    amounts: frozenset[Decimal]
    percents: frozenset[Decimal]
    words: frozenset[str]


def normalise(text: str) -> str:
    text = _TAG.sub("", text).replace("¹", "").replace("²", "")
    return re.sub(r"\s+", " ", text).strip()


def _is_price_cell(cell: str) -> bool:
    text = normalise(cell)
    if not text:
        return False
    if _AMOUNT.search(text) and len(_AMOUNT.sub("", text).replace("Max.", "").strip()) < 3:
        return True
    if _PERCENT.match(text) or _MONTHS.search(text) or text.endswith("Mbps"):
        return True
    return any(text.startswith(w) for w in _WORDS) or "Par jour de retard" in text


def read_rows(path: Path) -> list[SeedRow]:
    rows: list[SeedRow] = []
    previous = ""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        cells = raw.split("\t")
        prices = [c for c in cells if _is_price_cell(c)]
        label_cells = [normalise(c) for c in cells if normalise(c) and not _is_price_cell(c)]
        if prices:
            label = label_cells[0] if label_cells else previous
            rows.append(_row(number, label, prices))
        if label_cells:
            previous = " ".join(label_cells)
    return rows


def _row(number: int, label: str, cells: list[str]) -> SeedRow:
    text = " ".join(normalise(c) for c in cells)
    amounts = {Decimal((a or b).replace(",", ".")).quantize(Decimal("0.01")) for a, b in _AMOUNT.findall(text)}
    percents = {Decimal(p) for p in _PERCENT.findall(text)} | {Decimal(m) * 100 for m in _MONTHS.findall(text)}
    if "1 mois de redevances" in text:
        percents.add(Decimal(100))
    words = {w for w in _WORDS if w in text}
    return SeedRow(number, label, frozenset(amounts), frozenset(percents), frozenset(words))
