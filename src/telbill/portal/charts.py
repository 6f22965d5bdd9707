"""Small inline SVG charts for the portal: no script, no external resource (the pages work offline).

Contract: ``bars`` draws horizontal bars (a label and a value per row), ``columns`` vertical columns (a label
per column); both scale to the largest magnitude, draw negative values (credits) in their own class, and
escape every text. They return ``Markup``, ready for a template, with a ``<title>`` for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from markupsafe import Markup, escape

ROW = 26
WIDTH = 640


def _scale(values: Sequence[Decimal]) -> Decimal:
    largest = max((abs(v) for v in values), default=Decimal(0))
    return largest if largest > 0 else Decimal(1)


def bars(title: str, rows: Sequence[tuple[str, Decimal, str]]) -> Markup:
    """``rows``: (label, value, the value as shown). One bar per row, the label on the left."""
    height = ROW * len(rows) + 10
    label_width, bar_width = 300, WIDTH - 300 - 110
    scale = _scale([value for _, value, _ in rows])
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for index, (label, value, shown) in enumerate(rows):
        y = 5 + index * ROW
        length = int(bar_width * abs(value) / scale)
        css = "bar negative" if value < 0 else "bar"
        parts.append(f'<text x="0" y="{y + 17}" class="label">{escape(label[:48])}</text>')
        parts.append(f'<rect x="{label_width}" y="{y + 4}" width="{max(length, 1)}" height="{ROW - 8}" class="{css}"/>')
        parts.append(f'<text x="{label_width + length + 6}" y="{y + 17}" class="value">{escape(shown)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def columns(title: str, cols: Sequence[tuple[str, Decimal, str]], height: int = 180) -> Markup:
    """``cols``: (label under the column, value, the value as shown above it)."""
    if not cols:
        return Markup("")
    slot = max(12, min(70, (WIDTH - 20) // len(cols)))
    plot = height - 40
    scale = _scale([value for _, value, _ in cols])
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    show_labels = slot >= 40
    for index, (label, value, shown) in enumerate(cols):
        x = 10 + index * slot
        length = int(plot * abs(value) / scale)
        css = "bar negative" if value < 0 else "bar"
        top = 20 + plot - length
        parts.append(
            f'<rect x="{x + 3}" y="{top}" width="{slot - 6}" height="{max(length, 1)}" class="{css}">'
            f"<title>{escape(label)}: {escape(shown)}</title></rect>"
        )
        if show_labels:
            parts.append(
                f'<text x="{x + slot // 2}" y="{top - 4}" class="value" text-anchor="middle">{escape(shown)}</text>'
            )
        if show_labels or index % max(1, len(cols) // 8) == 0:
            parts.append(
                f'<text x="{x + slot // 2}" y="{height - 6}" class="label" text-anchor="middle">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
