"""The parties of a document as issued: seller and buyer with their Belgian identifiers.

Contract: a ``Party`` is a snapshot copied into each document (EN 16931 BG-4 seller, BG-7 buyer), checked
when built: ISO country code, Belgian enterprise number (KBO/BCE, 10 digits with mod-97 check digits, the
Peppol endpoint scheme 0208), VAT number with its country prefix, e-mail shape. A ``Seller`` adds the
account it is paid on (IBAN with its ISO 13616 check, BIC). Identifiers are accepted in their canonical
form only (``0123456749``, ``BE0123456749``, ``BE68539007547034``): normalising what people type
(dots, spaces) is the job of the input layer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from stdnum import iban as stdnum_iban
from stdnum.be import vat as stdnum_be_vat
from stdnum.exceptions import ValidationError as StdnumError

from telbill.core.errors import TelbillError


class Language(Enum):
    FR = "fr"
    NL = "nl"
    EN = "en"


_COUNTRY = re.compile(r"^[A-Z]{2}$")
_FOREIGN_VAT = re.compile(r"^[A-Z]{2}[0-9A-Z+*.]{2,13}$")
_BIC = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$")
_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")


def is_enterprise_number(text: str) -> bool:
    """Belgian enterprise number (KBO/BCE, Peppol scheme 0208) in its canonical 10 digits: leading 0 or 1, not
    all zeros, and the first eight digits plus the last two (the check digits) are a multiple of 97.

    It is python-stdnum's check (``stdnum.be.vat.validate``) of a canonical number, written out because every
    account read builds a party and stdnum first normalises what people type (6 µs a number, 1 µs here); a
    property test compares the two."""
    return (
        len(text) == 10
        and text.isascii()
        and text.isdigit()
        and text[0] in "01"
        and int(text) > 0
        and (int(text[:8]) + int(text[8:])) % 97 == 0
    )


def is_iban(text: str) -> bool:
    """ISO 13616 IBAN in its canonical form, checked by python-stdnum (country format and mod 97)."""
    # check_country=False: the national registries of bank codes change; the ISO check is what must hold
    return bool(_IBAN.match(text)) and stdnum_iban.is_valid(text, check_country=False)


def normalise_enterprise_number(text: str) -> str:
    """What people type (``BE 0403.170.701``, ``403170701``) → the canonical ``0403170701``; raises when invalid."""
    try:
        return str(stdnum_be_vat.validate(text))
    except StdnumError:
        raise TelbillError(
            "party.enterprise_number", f"{text!r} is not a Belgian enterprise number", field="enterprise_number"
        ) from None


def _require(ok: bool, code: str, message: str, field: str | None = None) -> None:
    if not ok:
        raise TelbillError(code, message, field=field)


@dataclass(frozen=True, slots=True)
class Party:
    """A seller or buyer as named on the document (EN 16931 BG-4 / BG-7).

    ``enterprise_number`` is the Belgian KBO/BCE number in its 10 digits (``0123456749``): it is the
    Peppol endpoint (scheme 0208) and the legal registration (BT-30 / BT-47). ``vat_number`` is written
    with its country prefix (``BE0123456749``); for a Belgian party it is BE + the enterprise number.
    """

    name: str
    street: str
    postcode: str
    city: str
    country: str  # ISO 3166-1 alpha-2
    language: Language
    vat_number: str | None = None
    enterprise_number: str | None = None
    email: str | None = None

    def __post_init__(self) -> None:
        # each message is written only when its check fails: every account read builds a party
        for field in ("name", "street", "postcode", "city"):
            if not getattr(self, field).strip():
                raise TelbillError("party.missing", f"{field} is empty", field=field)
        if not _COUNTRY.match(self.country):
            raise TelbillError("party.country", f"{self.country!r} is not ISO alpha-2")
        if self.enterprise_number is not None and not is_enterprise_number(self.enterprise_number):
            raise TelbillError(
                "party.enterprise_number",
                f"{self.enterprise_number!r} is not a Belgian enterprise number (10 digits, mod 97)",
            )
        if self.vat_number is not None:
            self._check_vat_number(self.vat_number)
        if self.email is not None and ("@" not in self.email or " " in self.email):
            raise TelbillError("party.email", f"{self.email!r} is no address")

    def _check_vat_number(self, vat: str) -> None:
        if self.country != "BE":
            if not _FOREIGN_VAT.match(vat):
                raise TelbillError("party.vat_number", f"{vat!r} is not a VAT number")
            return
        if vat.startswith("BE") and vat[2:] == self.enterprise_number:
            return  # BE + the enterprise number, which __post_init__ has just checked
        if not (vat.startswith("BE") and is_enterprise_number(vat[2:])):
            raise TelbillError("party.vat_number", f"{vat!r} is not a Belgian VAT number (BE + 10 digits, mod 97)")
        if self.enterprise_number not in (None, vat[2:]):
            raise TelbillError(
                "party.vat_number", f"VAT number {vat} is not BE + the enterprise number {self.enterprise_number}"
            )


@dataclass(frozen=True, slots=True)
class Seller:
    """The seller: a party and the account it is paid on (BT-84 IBAN, BT-86 BIC)."""

    party: Party
    iban: str
    bic: str

    def __post_init__(self) -> None:
        _require(is_iban(self.iban), "party.iban", f"{self.iban!r} is not an IBAN (no spaces, mod 97)")
        _require(bool(_BIC.match(self.bic)), "party.bic", f"{self.bic!r} is not a BIC")
