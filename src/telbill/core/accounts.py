"""Customers and their billing accounts.

An ``Account`` is what a bill run bills: a buyer (the ``Party`` copied into each document), a segment
(residential / professional: fee schedules differ), the catalog it buys from, a billing day (the cycle
anchor, 1–28) and how it pays: bank transfer with a structured communication, or SEPA direct debit under a
mandate. Professional accounts need a Belgian enterprise number: it is their Peppol endpoint (scheme 0208).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from telbill.core.billing.cycles import check_billing_day
from telbill.core.billing.parties import Party, is_iban
from telbill.core.catalog.schema import Segment
from telbill.core.errors import TelbillError


class PaymentMethod(Enum):
    TRANSFER = "transfer"
    DIRECT_DEBIT = "direct_debit"


class SequenceType(Enum):
    """SEPA direct debit sequence: the first collection under a mandate, then recurring ones."""

    FIRST = "FRST"
    RECURRING = "RCUR"


@dataclass(frozen=True, slots=True)
class Mandate:
    reference: str  # the unique mandate reference (UMR)
    signed: date
    iban: str
    bic: str | None = None
    sequence: SequenceType = SequenceType.FIRST

    def __post_init__(self) -> None:
        if not self.reference.strip() or len(self.reference) > 35:
            raise TelbillError("mandate.reference", "a mandate reference has 1 to 35 characters", field="mandate")
        if not is_iban(self.iban):
            raise TelbillError("mandate.iban", f"{self.iban!r} is not a valid IBAN", field="mandate.iban")


@dataclass(frozen=True, slots=True)
class Account:
    id: str
    party: Party
    segment: Segment
    catalog_id: str
    billing_day: int = 1
    payment_method: PaymentMethod = PaymentMethod.TRANSFER
    mandate: Mandate | None = None
    payment_terms_days: int = 30

    def __post_init__(self) -> None:
        if not self.id.strip():
            raise TelbillError("account.id", "an account needs an id", field="id")
        check_billing_day(self.billing_day)
        if self.segment is Segment.PROFESSIONAL and self.party.enterprise_number is None:
            raise TelbillError(
                "account.enterprise_number",
                f"professional account {self.id} needs its enterprise number (its Peppol endpoint)",
                field="enterprise_number",
            )
        if (self.payment_method is PaymentMethod.DIRECT_DEBIT) != (self.mandate is not None):
            raise TelbillError(
                "account.mandate",
                f"account {self.id}: direct debit needs a mandate, and a mandate is only for direct debit",
                field="mandate",
            )
        if not 0 <= self.payment_terms_days <= 90:
            raise TelbillError("account.payment_terms", "payment terms are 0 to 90 days", field="payment_terms_days")

    @property
    def wants_einvoice(self) -> bool:
        """Professional customers receive a Peppol UBL e-invoice (mandatory in Belgium since 2026-01-01)."""
        return self.segment is Segment.PROFESSIONAL
