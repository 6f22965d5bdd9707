"""Interventions: a technician's report → the charges of the catalog's repair rows (seed 004 §5, seed 000).

The decision table (docs/compensation.md §5), applied in this order:

1. the fault is the **operator's** → free: nothing is charged but the catalog's free row, if it has one
   (Telenet: « le problème est imputable à Telenet ? La réparation est dans ce cas gratuite »);
2. the **infrastructure** (up to and including the primary access point) → « Gratuit »: travel, work, parts;
3. a **third party** is responsible → travel, work per started quarter hour, parts on quote;
4. a **terminal** on the customer's side: rented, or sold with a maintenance contract → travel only, work and
   parts free; sold without a maintenance contract → travel, work per quarter hour, parts free under
   warranty and on quote otherwise;
5. the **light-intervention package** (at most 30 minutes, its small material included) replaces the work
   and the parts where they are paid;
6. an internet terminal **replaced through the customer's fault** adds the flat indemnity (outside VAT);
7. **out of hours** adds the supplement, unless the line's SLA works 24/24 (« si non compris dans
   l'abonnement de la ligne ») or the fault is the operator's.

A catalog that prices every paid repair on quote (Telenet: « Sinon, elle est payante ») takes one line with
the quoted amount. The result is a list of catalog orders: the bill run prices them at the catalog version of
the intervention day, like every one-off charge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from telbill.core.catalog.inputs import Order
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.money import Money

LIGHT_MINUTES = 30  # « max. 30 min. de main d'oeuvre »


class Equipment(Enum):
    INFRASTRUCTURE = "infrastructure"
    TERMINAL_RENTED = "terminal_rented"
    TERMINAL_SOLD = "terminal_sold"


class Fault(Enum):
    OPERATOR = "operator"
    CUSTOMER = "customer"  # the customer's side: its equipment, its use
    THIRD_PARTY = "third_party"


@dataclass(frozen=True, slots=True)
class Part:
    description: str
    warranty: bool = False
    quote: Money | None = None  # its price, where parts are priced on quote


@dataclass(frozen=True, slots=True)
class InterventionReport:
    id: str
    day: date
    equipment: Equipment
    fault: Fault
    maintenance_contract: bool = False
    travel: bool = True
    minutes: int = 0
    parts: tuple[Part, ...] = ()
    out_of_hours: bool = False
    light: bool = False  # the light-intervention package
    terminal_replaced: bool = False  # an internet terminal replaced through the customer's fault
    quote: Money | None = None  # the whole repair's price, where the catalog prices paid repairs on quote

    def __post_init__(self) -> None:
        if self.minutes < 0:
            raise TelbillError("intervention.minutes", "minutes worked cannot be negative", field="minutes")
        if self.light and self.minutes > LIGHT_MINUTES:
            raise TelbillError(
                "intervention.light_too_long",
                f"a light intervention takes at most {LIGHT_MINUTES} minutes of work, not {self.minutes}",
                field="minutes",
            )
        if self.terminal_replaced and (self.fault is not Fault.CUSTOMER or self.equipment is Equipment.INFRASTRUCTURE):
            raise TelbillError(
                "intervention.replacement",
                "the replacement indemnity is for a terminal replaced through the customer's fault",
                field="terminal_replaced",
            )


@dataclass(frozen=True, slots=True)
class Rows:
    """The catalog rows of one responsibility case."""

    travel: str
    labour: str
    part: str  # a part out of warranty (on quote), or free under a maintenance contract
    part_warranty: str | None = None


@dataclass(frozen=True, slots=True)
class RepairTariff:
    """Which rows of a catalog price a repair; a row left None is one the sheet does not have."""

    free_repair: str | None = None  # shown at 0.00 when the fault is the operator's
    infrastructure: str | None = None
    maintained: Rows | None = None
    unmaintained: Rows | None = None
    third_party: Rows | None = None
    light: str | None = None
    out_of_hours: str | None = None
    terminal_replacement: str | None = None
    paid_on_quote: str | None = None  # every paid repair on quote


# The seed sheets' repair rows. The catalog schema has no field to say which row plays which role yet, so
# the mapping lives here, by catalog id (docs/adr/0002-intervention-tariffs-in-code.md).
TARIFFS: dict[str, RepairTariff] = {
    "belgacom-fees-indemnities": RepairTariff(
        infrastructure="REPAIR-INFRASTRUCTURE",
        maintained=Rows("REPAIR-MAINT-TRAVEL", "REPAIR-MAINT-LABOUR", "REPAIR-MAINT-PART"),
        unmaintained=Rows(
            "REPAIR-NOMAINT-TRAVEL", "REPAIR-NOMAINT-LABOUR", "REPAIR-NOMAINT-PART", "REPAIR-NOMAINT-PART-WARRANTY"
        ),
        third_party=Rows("REPAIR-THIRD-TRAVEL", "REPAIR-THIRD-LABOUR", "REPAIR-THIRD-PART"),
        light="LIGHT-INTERVENTION",
        out_of_hours="OUT-OF-HOURS",
        terminal_replacement="TERMINAL-REPLACEMENT",
    ),
    "telenet-clic-bureau": RepairTariff(free_repair="REPAIR-OPERATOR-FAULT", paid_on_quote="REPAIR-PAID"),
}


def tariff_for(catalog_id: str) -> RepairTariff:
    tariff = TARIFFS.get(catalog_id)
    if tariff is None:
        raise TelbillError("intervention.no_tariff", f"catalog {catalog_id} has no repair rows", ErrorKind.NOT_FOUND)
    return tariff


@dataclass(frozen=True, slots=True)
class ChargeOrder:
    order: Order
    reason: str


@dataclass(frozen=True, slots=True)
class InterventionCharges:
    orders: tuple[ChargeOrder, ...]
    notes: tuple[str, ...]  # what was not charged, and why


def intervention_charges(
    tariff: RepairTariff, report: InterventionReport, round_the_clock: bool
) -> InterventionCharges:
    """The orders an intervention report gives; ``round_the_clock``: the line's SLA works 24/24."""
    sheet = _Sheet(tariff, report)
    if report.fault is Fault.OPERATOR:
        sheet.operator_fault()
    elif tariff.paid_on_quote is not None:
        sheet.on_quote(tariff.paid_on_quote)
    else:
        sheet.work()
        if report.terminal_replaced:
            sheet.add(_row(tariff.terminal_replacement, "terminal replacement"), "terminal replaced: customer's fault")
        if report.out_of_hours:
            if round_the_clock:
                sheet.note("out of hours: included in the line's 24/24 subscription")
            else:
                sheet.add(_row(tariff.out_of_hours, "out-of-hours supplement"), "out of hours")
    return InterventionCharges(tuple(sheet.orders), tuple(sheet.notes))


def _row(code: str | None, what: str) -> str:
    if code is None:
        raise TelbillError("intervention.no_row", f"the catalog has no row for the {what}", ErrorKind.NOT_FOUND)
    return code


class _Sheet:
    """Mutable scratchpad of ``intervention_charges``; never leaves this module."""

    def __init__(self, tariff: RepairTariff, report: InterventionReport) -> None:
        self.tariff, self.report = tariff, report
        self.orders: list[ChargeOrder] = []
        self.notes: list[str] = []

    def add(self, code: str, reason: str, quantity: int | None = None, amount: Money | None = None) -> None:
        params = (("amount", str(amount)),) if amount is not None else ()
        order = Order(code, None if quantity is None else Decimal(quantity), params)
        self.orders.append(ChargeOrder(order, f"intervention {self.report.id}: {reason}"))

    def note(self, words: str) -> None:
        self.notes.append(words)

    def operator_fault(self) -> None:
        if self.report.terminal_replaced:
            raise TelbillError("intervention.replacement", "the operator's fault: no replacement indemnity")
        if self.tariff.free_repair is not None:
            self.add(self.tariff.free_repair, "the fault is the operator's: free")
        elif self.report.equipment is Equipment.INFRASTRUCTURE and self.tariff.infrastructure is not None:
            self.add(self.tariff.infrastructure, "infrastructure: free")
        self.note("free: the fault is the operator's")

    def on_quote(self, code: str) -> None:
        if self.report.quote is None:
            raise TelbillError(
                "intervention.quote_missing",
                f"{code} is priced on quote: give the repair's amount",
                ErrorKind.NEEDS_INPUT,
            )
        if self.report.terminal_replaced or self.report.light:
            raise TelbillError("intervention.no_row", "the catalog prices every paid repair on one quote")
        self.add(code, "repair on quote", amount=self.report.quote)
        self.note("travel, work, parts and hours are in the quoted amount")

    def work(self) -> None:
        report = self.report
        if report.equipment is Equipment.INFRASTRUCTURE and report.fault is not Fault.THIRD_PARTY:
            self.add(_row(self.tariff.infrastructure, "infrastructure"), "infrastructure: free")
            return
        rows, paid = self._rows()
        if report.travel:
            self.add(rows.travel, "travel")
        if report.light and paid:
            self.add(_row(self.tariff.light, "light intervention"), f"light intervention, {report.minutes} min")
            self._refuse_quoted_parts()
            return
        if report.light:
            self.note("light intervention: work and parts are free here, the package is not charged")
        if report.minutes > 0:
            self.add(rows.labour, f"{report.minutes} min of work", report.minutes)
        for part in report.parts:
            self._part(rows, part, paid)

    def _rows(self) -> tuple[Rows, bool]:
        """The rows of the case and whether its work is paid."""
        if self.report.fault is Fault.THIRD_PARTY:
            return _case(self.tariff.third_party, "third party"), True
        if self.report.equipment is Equipment.TERMINAL_RENTED or self.report.maintenance_contract:
            return _case(self.tariff.maintained, "maintenance contract"), False
        return _case(self.tariff.unmaintained, "terminal without maintenance contract"), True

    def _part(self, rows: Rows, part: Part, paid: bool) -> None:
        free = not paid or (part.warranty and rows.part_warranty is not None)
        if free:
            if part.quote is not None:
                raise TelbillError("intervention.part_quote", f"part {part.description!r} is free: no quote")
            code = rows.part_warranty if paid and rows.part_warranty is not None else rows.part
            self.add(code, f"part {part.description}")
            return
        if part.quote is None:
            raise TelbillError(
                "intervention.part_quote", f"part {part.description!r} is priced on quote", ErrorKind.NEEDS_INPUT
            )
        self.add(rows.part, f"part {part.description}", amount=part.quote)

    def _refuse_quoted_parts(self) -> None:
        if any(part.quote is not None for part in self.report.parts):
            raise TelbillError("intervention.light_parts", "a light intervention includes its material: no quote")
        if self.report.parts:
            self.note("parts included in the light-intervention package")


def _case(rows: Rows | None, what: str) -> Rows:
    if rows is None:
        raise TelbillError("intervention.no_row", f"the catalog has no repair rows for a {what}", ErrorKind.NOT_FOUND)
    return rows
