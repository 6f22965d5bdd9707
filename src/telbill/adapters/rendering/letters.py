"""Dunning letters (reminders, suspension notices) as PDF, in the buyer's language (French, Dutch, English).

Contract: ``render_letter(letter) → bytes``. As the invoice PDF (``pdf.py``): a Jinja template prints
ready-made strings (``LetterView``), amounts and dates formatted by babel in the Belgian locale of the
language, IBANs and enterprise numbers in their printed forms; WeasyPrint lays it out. The PDF's dates are
the letter's day, never the clock, so the same letter gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib.resources import files

from babel.dates import format_date
from babel.numbers import format_currency
from jinja2 import Environment, PackageLoader, StrictUndefined, Template
from weasyprint import CSS, HTML

from telbill.adapters.rendering.letter_texts import LETTER_TEXTS, LetterTexts
from telbill.adapters.rendering.pdf_texts import LOCALES
from telbill.adapters.rendering.pdf_view import printed_enterprise_number, printed_iban
from telbill.core.money import Money
from telbill.core.receivables.letters import Letter, LetterKind

Amounts = Callable[[Money], str]
Day = Callable[[date], str]


@dataclass(frozen=True, slots=True)
class ItemView:
    document: str
    due: str
    amount: str
    communication: str


@dataclass(frozen=True, slots=True)
class LetterView:
    lang: str
    title: str
    created: str  # ISO date, for the PDF's metadata
    seller: str
    seller_address: tuple[str, ...]
    seller_legal: str
    buyer: str
    buyer_address: tuple[str, ...]
    place_and_date: str
    customer: str
    paragraphs_before: tuple[str, ...]
    items: tuple[ItemView, ...]
    total: str
    paragraphs_after: tuple[str, ...]


def render_letter(letter: Letter) -> bytes:
    view = build_letter_view(letter)
    html = _template().render(view=view, t=LETTER_TEXTS[letter.buyer.language])
    result: bytes = HTML(string=html).write_pdf(stylesheets=[_stylesheet()])
    return result


def build_letter_view(letter: Letter) -> LetterView:
    texts, locale = LETTER_TEXTS[letter.buyer.language], LOCALES[letter.buyer.language]

    def money(amount: Money) -> str:
        return format_currency(amount.amount, "EUR", locale=locale)

    def day(value: date) -> str:
        return format_date(value, "long", locale=locale)

    seller, buyer = letter.seller, letter.buyer
    title = texts.reminder.format(number=letter.number) if letter.kind is LetterKind.REMINDER else texts.suspension
    items = tuple(ItemView(i.document, day(i.due), money(i.open_amount), i.communication or "") for i in letter.items)
    legal = f"{texts.enterprise_number} {printed_enterprise_number(seller.party.enterprise_number or '')}"
    return LetterView(
        letter.buyer.language.value,
        title,
        letter.day.isoformat(),
        seller.party.name,
        (seller.party.street, f"{seller.party.postcode} {seller.party.city}"),
        f"{legal} · IBAN {printed_iban(seller.iban)} · BIC {seller.bic}",
        buyer.name,
        (buyer.street, f"{buyer.postcode} {buyer.city}"),
        texts.place_and_date.format(city=seller.party.city, date=day(letter.day)),
        f"{texts.customer} {letter.account_id}",
        _before(letter, texts, day),
        items,
        money(letter.total),
        _after(letter, texts, money, day),
    )


def _before(letter: Letter, texts: LetterTexts, day: Day) -> tuple[str, ...]:
    if letter.kind is LetterKind.REMINDER:
        return (texts.greeting, texts.reminder_intro)
    suspended = ", ".join(letter.subscriptions) or "—"
    return (texts.greeting, texts.suspension_intro.format(subscriptions=suspended, date=day(letter.day)))


def _after(letter: Letter, texts: LetterTexts, money: Amounts, day: Day) -> tuple[str, ...]:
    iban, bic = printed_iban(letter.seller.iban), letter.seller.bic
    paragraphs = [
        texts.pay_by.format(date=day(letter.pay_by), iban=iban, bic=bic)
        if letter.pay_by is not None
        else texts.pay_now.format(iban=iban, bic=bic)
    ]
    if letter.fee is not None:
        paragraphs.append(texts.fee.format(amount=money(letter.fee.net)))
    if letter.kind is LetterKind.SUSPENSION and letter.reactivation_fee is not None:
        paragraphs.append(texts.reactivation.format(amount=money(letter.reactivation_fee)))
    if letter.next_step is not None:
        warning = texts.next_step[letter.next_step]
        if letter.next_fee is not None:
            warning += " " + texts.next_fee.format(amount=money(letter.next_fee))
        paragraphs.append(warning)
    paragraphs += [texts.already_paid, texts.closing]
    return tuple(paragraphs)


@lru_cache(maxsize=1)
def _template() -> Template:
    environment = Environment(
        loader=PackageLoader("telbill.adapters.rendering", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template("letter.html")


@lru_cache(maxsize=1)
def _stylesheet() -> CSS:
    css = files("telbill.adapters.rendering").joinpath("templates", "letter.css").read_text(encoding="utf-8")
    return CSS(string=css)
