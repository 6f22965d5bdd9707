"""Checks of the shape of pricing rules: tiers and bands, percentage bases, prices by segment.

Contract: every function is pure and returns findings as data, located by field path.

- Tiers (``count_tiers``) and bands (``tiered_bands``) are read in the order the catalog declares them.
  The first should start at 1 (else ``tiers.gap``); each next one should start right after the highest
  quantity already covered: earlier is ``tiers.overlap`` (the message says how the overlap is resolved:
  the rule's ``overlap`` field for tiers, "every band reached adds its price" for bands), later is
  ``tiers.gap``. One that comes after an open-ended one or ends before it starts is ``rule.unreachable``,
  and so is a tier wholly inside what earlier tiers cover (the first tier holding n prices n).
- ``percentage.no_base_items``: a percentage of another item's price that names no ``of_items``.
- ``item.unpriced``: a ``by_segment`` price that sells the item to no segment at all.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from telbill.core.catalog import rules as r
from telbill.core.catalog.field_paths import FieldPath, warning_at
from telbill.core.catalog.schema import Item
from telbill.core.errors import Finding


@dataclass(frozen=True, slots=True)
class _Span:
    """One tier or band: quantities ``start`` to ``end`` included (``end`` None: open-ended)."""

    start: int
    end: int | None

    def __str__(self) -> str:
        return f"{self.start}–{'∞' if self.end is None else self.end}"


def rules_of(item: Item, path: FieldPath) -> Iterator[tuple[FieldPath, r.Rule]]:
    """The item's pricing rules with their paths: ``price``, or one per ``by_segment`` entry."""
    if item.price is not None:
        yield (*path, "price"), item.price
    for segment, rule in (item.by_segment or {}).items():
        yield (*path, "by_segment", segment.value), rule


def check_item_rules(item: Item, path: FieldPath) -> list[Finding]:
    findings = _by_segment_sells_nothing(item, path)
    for rule_path, rule in rules_of(item, path):
        if isinstance(rule, r.TieredBands):
            spans = [_Span(band.from_, band.to) for band in rule.bands]
            findings += _check_spans(_Run((*rule_path, "bands"), "band", None), spans)
        elif isinstance(rule, r.CountTiers):
            spans = [_Span(tier.from_, tier.to) for tier in rule.tiers]
            findings += _check_spans(_Run((*rule_path, "tiers"), "tier", rule.overlap), spans)
        elif isinstance(rule, r.Percentage):
            findings += _percentage_without_base_items(rule, rule_path)
    return findings


@dataclass(frozen=True, slots=True)
class _Run:
    """A declared sequence of tiers or bands: where it is, what the sheet calls it, how overlaps read."""

    path: FieldPath
    word: str  # "band" or "tier"
    overlap: r.OverlapResolution | None

    @property
    def first_wins(self) -> bool:
        """Count tiers price the n-th occurrence by the first tier that holds n; bands all add up."""
        return self.word == "tier"

    def label(self, index: int, span: _Span) -> str:
        return f"{self.word} [{index}] ({span})"


def _check_spans(run: _Run, spans: Sequence[_Span]) -> list[Finding]:
    """Gaps, overlaps and unreachable spans, in declared order."""
    findings: list[Finding] = []
    if spans[0].start != 1:
        first = spans[0].start
        message = f"the first {run.word} starts at {first}: {_range(1, first - 1)} match no {run.word}"
        findings.append(warning_at("tiers.gap", message, (*run.path, 0, "from")))
    reach: int | None = 0  # the highest quantity covered so far; None once a span is open-ended
    reached_by = 0  # the index of the span that set ``reach``
    for index, span in enumerate(spans):
        if span.end is not None and span.end < span.start:
            message = f"{run.label(index, span)} ends before it starts and is never reached"
            findings.append(warning_at("rule.unreachable", message, (*run.path, index, "to")))
            continue
        if reach is None:
            message = f"{run.label(index, span)} comes after the open-ended {run.word} [{reached_by}]; " + (
                "it is never reached"
                if run.first_wins
                else f"pricing still adds it on top for quantities from {span.start}"
            )
            findings.append(warning_at("rule.unreachable", message, (*run.path, index, "from")))
            continue
        if index > 0:
            findings += _against_reach(run, index, span, reach, reached_by)
        if span.end is None or span.end > reach:
            reach, reached_by = span.end, index
    return findings


def _against_reach(run: _Run, index: int, span: _Span, reach: int, reached_by: int) -> list[Finding]:
    """How a span starts relative to the highest quantity that the spans before it cover."""
    here, label, word = (*run.path, index, "from"), run.label(index, span), run.word
    if span.start > reach + 1:
        message = f"{_range(reach + 1, span.start - 1)} fall between {word} [{reached_by}] and {label}"
        return [warning_at("tiers.gap", message, here)]
    if span.start > reach:
        return []
    if run.first_wins and span.end is not None and span.end <= reach:
        message = f"{label} lies within what {word}s up to [{reached_by}] cover and is never reached"
        return [warning_at("rule.unreachable", message, here)]
    last = reach if span.end is None else min(reach, span.end)
    message = f"{label} overlaps {word} [{reached_by}] on {_range(span.start, last)}; " + _resolution(run, reached_by)
    return [warning_at("tiers.overlap", message, here)]


def _range(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def _resolution(run: _Run, earlier: int) -> str:
    if run.overlap is r.OverlapResolution.FIRST_TIER_WINS:
        return f"the catalog resolves it with overlap: first_tier_wins, so the earlier {run.word} [{earlier}] wins"
    if run.first_wins:
        return "the catalog does not say which tier wins (overlap: first_tier_wins makes the earlier one win)"
    return "every band reached adds its price, so these quantities are charged twice"


def _percentage_without_base_items(rule: r.Percentage, path: FieldPath) -> list[Finding]:
    if rule.base is not r.PercentBase.ITEM_PRICE or rule.of_items:
        return []
    message = "a percentage of another item's price names no of_items: any item of the catalog could be its base"
    return [warning_at("percentage.no_base_items", message, (*path, "of_items"))]


def _by_segment_sells_nothing(item: Item, path: FieldPath) -> list[Finding]:
    if item.by_segment is None:
        return []
    if any(not isinstance(rule, r.NotAvailable) for rule in item.by_segment.values()):
        return []
    why = "it is empty" if not item.by_segment else "every segment is not_available"
    message = f"by_segment prices {item.code} for no segment ({why}): the item can never be quoted"
    return [warning_at("item.unpriced", message, (*path, "by_segment"))]
