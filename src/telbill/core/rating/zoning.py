"""Numbers and zones: people's ways of writing a number → one canonical form → a destination zone.

Contract:
- Canonical numbers are E.164 (``+32470123456``: '+', a non-zero digit, 7 to 15 digits in all) or, for the
  short numbers of the home country (emergency services, third-party SMS services), ``#`` and their 3 to 6
  digits (``#112``, ``#3636``).
- ``normalise_number`` reads what people and switches write — Belgian national formats (``0470 12 34 56``,
  ``02/555.12.34``), the international prefix ``00``, ``+32 …`` — with ``phonenumbers``, and raises
  ``usage.number`` for anything it cannot read as a possible number. No I/O: ``phonenumbers`` ships its
  metadata as Python modules.
- ``is_canonical`` is the test every rating engine applies to its input, written with the same three
  operations an SQL engine has (first character, length, only digits after it).
- ``zone_of`` is the longest matching prefix of a zone table (``+3247`` beats ``+32``), or None.
"""

from __future__ import annotations

from collections.abc import Mapping

import phonenumbers
from phonenumbers import shortnumberinfo

from telbill.core.errors import TelbillError

DIGITS = "0123456789"
E164_LENGTH = (8, 16)  # characters, '+' included
SHORT_LENGTH = (4, 7)  # characters, '#' included
_SEPARATORS = str.maketrans("", "", " .-/()\u00a0")


def _only_digits(text: str) -> bool:
    return all(c in DIGITS for c in text)


def is_canonical(number: str) -> bool:
    lead, rest = number[:1], number[1:]
    if lead == "+":
        return E164_LENGTH[0] <= len(number) <= E164_LENGTH[1] and rest[:1] != "0" and _only_digits(rest)
    if lead == "#":
        return SHORT_LENGTH[0] <= len(number) <= SHORT_LENGTH[1] and _only_digits(rest)
    return False


def _is_short(compact: str, region: str) -> bool:
    """A short number of the home country (112, 1307, 3636): 3 to 6 digits, no leading 0."""
    if not (_only_digits(compact) and not compact.startswith("0") and SHORT_LENGTH[0] - 1 <= len(compact) <= 6):
        return False
    return bool(shortnumberinfo.is_possible_short_number_for_region(phonenumbers.parse(compact, region), region))


def normalise_number(raw: str, region: str = "BE") -> str:
    """The canonical form of a number as written in ``region`` (the home country)."""
    text = raw.strip()
    compact = text.translate(_SEPARATORS)
    if is_canonical(compact):
        return compact
    if _is_short(compact, region):
        return "#" + compact
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise TelbillError("usage.number", f"{raw!r} is not a phone number", field="number") from None
    if not phonenumbers.is_possible_number(parsed):
        raise TelbillError("usage.number", f"{raw!r} has no possible length for a phone number", field="number")
    number = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if not is_canonical(number):
        raise TelbillError("usage.number", f"{raw!r} does not make an E.164 number", field="number")
    return number


def zone_of(number: str, prefixes: Mapping[str, str]) -> str | None:
    """The zone of the longest prefix of ``number`` found in ``prefixes`` (prefix → zone)."""
    for length in range(len(number), 0, -1):
        zone = prefixes.get(number[:length])
        if zone is not None:
            return zone
    return None
