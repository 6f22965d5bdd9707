"""Formats of the numbers an invoice carries: the Belgian structured communication and document numbers.

Contract (formats only: which number comes next is decided by the allocator of the shell, never here):
- ``StructuredCommunication`` is the Belgian payment reference ``+++ddd/dddd/ddddd+++`` (OGM / VCS,
  EN 16931 BT-83): a 10-digit base followed by two check digits, ``base mod 97`` (``97`` when the remainder
  is ``0``, so ``00`` never occurs). Build one with ``from_base``; ``parse`` reads what a customer or a bank
  statement wrote (``+++…+++``, ``***…***`` or the 12 bare digits, slashes and spaces optional) and refuses
  a wrong check with a coded error; ``is_valid_structured_communication`` answers the same question as a
  boolean for checks that must not raise.
- ``Series`` formats and reads document numbers ``<prefix><year>-<sequence>``: ``F2026-000123`` for
  invoices, ``C2026-000007`` for credit notes. Belgian law wants one unbroken sequence per series; putting
  the year in the number lets the sequence restart every year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from telbill.core.errors import TelbillError

# delimiters +++ (the usual print) or *** (some banks), the same on both sides, or none at all
_COMMUNICATION = re.compile(r"^(?:(\+{3}|\*{3})([0-9/ ]+)\1|([0-9/ ]+))$")


def check_digits(base: str) -> str:
    """The two check digits of a 10-digit base: ``base mod 97``, written ``97`` when the remainder is 0."""
    if not (len(base) == 10 and base.isascii() and base.isdigit()):
        raise TelbillError("communication.base", f"{base!r} is not a 10-digit base number")
    remainder = int(base) % 97
    return f"{remainder or 97:02d}"


@dataclass(frozen=True, slots=True)
class StructuredCommunication:
    """The 12 digits of a structured communication (base + check); ``str()`` gives the printed form."""

    digits: str

    def __post_init__(self) -> None:
        if not (len(self.digits) == 12 and self.digits.isascii() and self.digits.isdigit()):
            raise TelbillError("communication.syntax", f"{self.digits!r} is not 12 digits (+++ddd/dddd/ddddd+++)")
        expected = check_digits(self.digits[:10])
        if self.digits[10:] != expected:
            raise TelbillError(
                "communication.check",
                f"{self.printed(self.digits)} has check digits {self.digits[10:]}, expected {expected}",
            )

    @classmethod
    def from_base(cls, base: int | str) -> StructuredCommunication:
        """The communication of a base number (an int is zero-padded to 10 digits)."""
        text = f"{base:010d}" if isinstance(base, int) and base >= 0 else str(base)
        return cls(text + check_digits(text))

    @classmethod
    def parse(cls, text: str) -> StructuredCommunication:
        """Read ``+++123/4567/89002+++``, ``***123/4567/89002***`` or ``123456789002``."""
        match = _COMMUNICATION.match(text.strip())
        body = (match.group(2) or match.group(3)) if match else ""
        digits = body.replace("/", "").replace(" ", "")
        if not digits:
            raise TelbillError("communication.syntax", f"{text!r} is not a structured communication")
        return cls(digits)

    @property
    def base(self) -> str:
        return self.digits[:10]

    @staticmethod
    def printed(digits: str) -> str:
        return f"+++{digits[:3]}/{digits[3:7]}/{digits[7:]}+++"

    def __str__(self) -> str:
        return self.printed(self.digits)


def is_valid_structured_communication(text: str) -> bool:
    """True when ``text`` parses as a structured communication with correct check digits."""
    try:
        StructuredCommunication.parse(text)
    except TelbillError:
        return False
    return True


_SERIES_PREFIX = re.compile(r"^[A-Z]{1,4}$")


@dataclass(frozen=True, slots=True)
class Series:
    """A numbering series: ``prefix`` + 4-digit year + ``-`` + sequence zero-padded to ``width`` digits."""

    prefix: str
    width: int = 6

    def __post_init__(self) -> None:
        if not _SERIES_PREFIX.match(self.prefix):
            raise TelbillError("numbering.prefix", f"series prefix {self.prefix!r} is not 1–4 capitals")
        if not 1 <= self.width <= 12:
            raise TelbillError("numbering.width", f"sequence width {self.width} is not between 1 and 12")

    def format(self, year: int, sequence: int) -> str:
        """``Series("F").format(2026, 123)`` → ``F2026-000123``; refuses a sequence too wide to print."""
        if not 1000 <= year <= 9999:
            raise TelbillError("numbering.year", f"year {year} is not a 4-digit year")
        if not 1 <= sequence < 10**self.width:
            raise TelbillError(
                "numbering.sequence",
                f"sequence {sequence} does not fit series {self.prefix} ({self.width} digits, from 1)",
            )
        return f"{self.prefix}{year}-{sequence:0{self.width}d}"

    def parse(self, number: str) -> tuple[int, int]:
        """``F2026-000123`` → ``(2026, 123)``; refuses a number of another series or shape."""
        pattern = rf"^{self.prefix}([0-9]{{4}})-([0-9]{{{self.width}}})$"
        match = re.match(pattern, number.strip())
        if not match or int(match.group(2)) == 0:
            shape = f"{self.prefix}YYYY-{'n' * self.width}"
            raise TelbillError("numbering.syntax", f"{number!r} is not a number of the form {shape}")
        return int(match.group(1)), int(match.group(2))


INVOICE_SERIES = Series("F")
CREDIT_NOTE_SERIES = Series("C")
