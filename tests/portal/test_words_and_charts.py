"""The portal's words exist in its three languages for every text its templates use; the charts escape text."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from telbill.portal import charts
from telbill.portal.i18n import LANGUAGES, MESSAGES, Words

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "telbill" / "portal" / "templates"
PORTAL = TEMPLATES.parent


def test_every_message_is_written_in_french_dutch_and_english() -> None:
    for key, texts in MESSAGES.items():
        assert set(texts) == set(LANGUAGES), key
        fields = {tuple(sorted(re.findall(r"{(\w+)}", text))) for text in texts.values()}
        assert len(fields) == 1, (key, texts)  # the same placeholders in every language


def test_every_word_a_template_or_page_asks_for_exists() -> None:
    used: set[str] = set()
    for path in [*TEMPLATES.glob("*.html"), *PORTAL.glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bt\(\s*['"]([a-z_]*[a-z])['"]""", text))  # "state_" ~ …: below
        used |= set(re.findall(r"""words\(\s*['"]([a-z_]+)['"]""", text))
    assert used and used <= set(MESSAGES), sorted(used - set(MESSAGES))
    for prefix, values in (
        ("state_", ("sent", "partiallyPaid", "settled")),
        ("ticket_", ("repair", "installation", "porting")),
        ("award_", ("due", "awaiting_request", "provisional", "not_owed", "not_cumulative")),
    ):
        assert {prefix + v for v in values} <= set(MESSAGES)


def test_amounts_are_written_the_way_each_language_writes_euros() -> None:
    amount = Decimal("1069.64")
    assert [Words(lang).money(amount) for lang in ("fr", "nl", "en")] == [
        "1\u202f069,64\xa0€",
        "€\xa01.069,64",
        "€1,069.64",
    ]


def test_charts_scale_to_the_largest_value_and_escape_their_labels() -> None:
    drawn = charts.bars("title <x>", [("<script>", Decimal(10), "10"), ("credit", Decimal(-5), "-5")])
    assert "<script>" not in drawn and "&lt;script&gt;" in drawn
    assert 'class="bar negative"' in drawn and drawn.count("<rect") == 2
    assert charts.columns("empty", []) == ""
    many = charts.columns("days", [(str(d), Decimal(d), str(d)) for d in range(1, 32)])
    assert many.count("<rect") == 31
