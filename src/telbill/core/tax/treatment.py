"""VAT treatments as EN 16931 understands them (BT-151 category code, BT-152 rate, BT-121 exemption reason).

Categories used by Belgian operators:
- ``S`` standard rated: 21 %, with the reduced rates 6 % and 12 %;
- ``Z`` zero rated;
- ``E`` exempt (needs an exemption reason code, VATEX-…);
- ``O`` outside the scope of VAT: indemnities and damages (reminder fee, GSM non-return indemnity,
  early-termination fee, compensation paid to the customer). Not a supply, so no VAT and no rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from telbill.core.errors import TelbillError

BELGIAN_RATES = (Decimal("21"), Decimal("12"), Decimal("6"))


class VatCategory(Enum):
    STANDARD = "S"
    ZERO = "Z"
    EXEMPT = "E"
    OUTSIDE_SCOPE = "O"


@dataclass(frozen=True, slots=True)
class VatTreatment:
    category: VatCategory
    rate: Decimal  # percent: 21 means 21 %
    exemption_code: str | None = None  # BT-121, e.g. VATEX-EU-O

    def __post_init__(self) -> None:
        if self.category is VatCategory.STANDARD:
            if self.rate not in BELGIAN_RATES:
                raise TelbillError("vat.rate", f"standard rate {self.rate} % is not 21, 12 or 6 %")
        elif self.rate != 0:
            raise TelbillError("vat.rate", f"category {self.category.value} carries no rate, got {self.rate} %")
        if self.category is VatCategory.EXEMPT and not self.exemption_code:
            # EN 16931 BR-E-10: an exempt VAT breakdown carries its exemption reason
            raise TelbillError("vat.exemption", "category E needs an exemption reason, e.g. VATEX-EU-132")
        if self.category is VatCategory.OUTSIDE_SCOPE and self.exemption_code is None:
            object.__setattr__(self, "exemption_code", "VATEX-EU-O")

    def __hash__(self) -> int:
        # Treatments key the VAT groups of every invoice. The member's ``_value_`` is a plain attribute, where
        # ``.value`` and Enum.__hash__ are Python-level calls (equal treatments have equal categories and texts)
        return hash((self.category._value_, self.rate, self.exemption_code))

    @property
    def code(self) -> str:
        """Short form used in catalogs: S21, S6, S12, Z, E, O."""
        if self.category is VatCategory.STANDARD:
            rate: str = format(self.rate.normalize(), "f")
            return "S" + rate
        return str(self.category.value)

    @property
    def factor(self) -> Decimal:
        return self.rate / Decimal(100)

    @classmethod
    def parse(cls, text: str) -> VatTreatment:
        """Parse the short form (S21, S12, S6, Z, E, O); E may carry its reason: ``E:VATEX-EU-135-1A``."""
        head, _, reason = text.strip().partition(":")
        head = head.upper()
        if head.startswith("S") and head[1:].isdigit():
            return cls(VatCategory.STANDARD, Decimal(head[1:]))
        try:
            category = VatCategory(head)
        except ValueError:
            raise TelbillError("vat.category", f"{text!r} is not a VAT treatment (S21, S12, S6, Z, E, O)") from None
        if category is VatCategory.STANDARD:
            raise TelbillError("vat.rate", "category S needs its rate, e.g. S21")
        if category is VatCategory.EXEMPT and not reason:
            raise TelbillError("vat.exemption", "category E needs an exemption reason, e.g. E:VATEX-EU-132")
        return cls(category, Decimal(0), reason or None)


STANDARD_21 = VatTreatment(VatCategory.STANDARD, Decimal("21"))
OUTSIDE_SCOPE = VatTreatment(VatCategory.OUTSIDE_SCOPE, Decimal("0"))
