"""Intervention reports → charges of the catalog's repair rows, priced by hand from seed 004 §5 (Belgacom
TVAC, net = round_half_up(TVAC / 1.21)) and seed 000 (Telenet, free when the fault is Telenet's):
travel € 50 → 41.32; work € 20 per started quarter hour → 16.53; light intervention € 85 → 70.25;
out-of-hours supplement € 136 → 112.40; terminal replacement indemnity 81.82 (outside VAT)."""

from __future__ import annotations

from datetime import date

import pytest

from telbill.core.care.interventions import (
    Equipment,
    Fault,
    InterventionCharges,
    InterventionReport,
    Part,
    intervention_charges,
    tariff_for,
)
from telbill.core.catalog.pricing import price_order
from telbill.core.errors import TelbillError
from telbill.core.money import Money
from tests.catalogs.conftest import context
from tests.core.care.builders import BELGACOM, TELENET


def report(equipment: Equipment, fault: Fault, **fields: object) -> InterventionReport:
    return InterventionReport("INT-1", date(2026, 3, 10), equipment, fault, **fields)  # type: ignore[arg-type]


def priced(catalog_id: str, charges: InterventionCharges) -> list[tuple[str, str]]:
    return [(c.order.code, str(price_order(context(catalog_id), c.order).net)) for c in charges.orders]


def belgacom(r: InterventionReport, round_the_clock: bool = False) -> list[tuple[str, str]]:
    return priced(BELGACOM, intervention_charges(tariff_for(BELGACOM), r, round_the_clock))


def test_the_operators_fault_on_a_terminal_costs_nothing() -> None:
    r = report(Equipment.TERMINAL_SOLD, Fault.OPERATOR, minutes=50, out_of_hours=True)
    charges = intervention_charges(tariff_for(BELGACOM), r, False)
    assert charges.orders == () and charges.notes == ("free: the fault is the operator's",)


def test_infrastructure_is_free_whoever_reports_it() -> None:
    assert belgacom(report(Equipment.INFRASTRUCTURE, Fault.OPERATOR)) == [("REPAIR-INFRASTRUCTURE", "0.00")]
    assert belgacom(report(Equipment.INFRASTRUCTURE, Fault.CUSTOMER, minutes=40)) == [("REPAIR-INFRASTRUCTURE", "0.00")]


def test_rented_terminal_pays_the_travel_only() -> None:
    # « Appareillage terminal loué ou vendu avec contrat d'entretien »: travel 41.32, work and parts free
    r = report(Equipment.TERMINAL_RENTED, Fault.CUSTOMER, minutes=50, parts=(Part("power supply"),))
    assert belgacom(r) == [
        ("REPAIR-MAINT-TRAVEL", "41.32"),
        ("REPAIR-MAINT-LABOUR", "0.00"),
        ("REPAIR-MAINT-PART", "0.00"),
    ]


def test_sold_terminal_with_a_maintenance_contract_is_like_a_rented_one() -> None:
    r = report(Equipment.TERMINAL_SOLD, Fault.CUSTOMER, maintenance_contract=True, minutes=20)
    assert belgacom(r) == [("REPAIR-MAINT-TRAVEL", "41.32"), ("REPAIR-MAINT-LABOUR", "0.00")]


def test_sold_terminal_without_maintenance_contract() -> None:
    # travel 41.32 + 50 min = 4 started quarter hours × 16.53 = 66.12 + a part under warranty 0.00 + a part out
    # of warranty on quote 80.00 → 187.44 net
    parts = (Part("handset", warranty=True), Part("base station", quote=Money.of("80.00")))
    r = report(Equipment.TERMINAL_SOLD, Fault.CUSTOMER, minutes=50, parts=parts)
    assert belgacom(r) == [
        ("REPAIR-NOMAINT-TRAVEL", "41.32"),
        ("REPAIR-NOMAINT-LABOUR", "66.12"),
        ("REPAIR-NOMAINT-PART-WARRANTY", "0.00"),
        ("REPAIR-NOMAINT-PART", "80.00"),
    ]


def test_a_third_party_pays_travel_work_and_parts_on_quote() -> None:
    # travel 41.32 + 20 min = 2 quarters × 16.53 = 33.06 + cable on quote 30.00
    r = report(Equipment.TERMINAL_SOLD, Fault.THIRD_PARTY, minutes=20, parts=(Part("cable", quote=Money.of("30.00")),))
    assert belgacom(r) == [
        ("REPAIR-THIRD-TRAVEL", "41.32"),
        ("REPAIR-THIRD-LABOUR", "33.06"),
        ("REPAIR-THIRD-PART", "30.00"),
    ]


def test_the_light_intervention_package_replaces_paid_work_and_its_material() -> None:
    r = report(Equipment.TERMINAL_SOLD, Fault.CUSTOMER, minutes=25, light=True, parts=(Part("splitter"),))
    charges = intervention_charges(tariff_for(BELGACOM), r, False)
    assert priced(BELGACOM, charges) == [("REPAIR-NOMAINT-TRAVEL", "41.32"), ("LIGHT-INTERVENTION", "70.25")]
    assert "parts included in the light-intervention package" in charges.notes


def test_the_package_is_not_charged_where_the_work_is_free() -> None:
    r = report(Equipment.TERMINAL_RENTED, Fault.CUSTOMER, minutes=25, light=True)
    assert belgacom(r) == [("REPAIR-MAINT-TRAVEL", "41.32"), ("REPAIR-MAINT-LABOUR", "0.00")]


def test_out_of_hours_unless_the_line_works_round_the_clock() -> None:
    r = report(Equipment.TERMINAL_SOLD, Fault.CUSTOMER, travel=False, out_of_hours=True)
    assert belgacom(r) == [("OUT-OF-HOURS", "112.40")]
    charges = intervention_charges(tariff_for(BELGACOM), r, round_the_clock=True)
    assert charges.orders == () and charges.notes == ("out of hours: included in the line's 24/24 subscription",)


def test_a_terminal_replaced_through_the_customers_fault() -> None:
    r = report(Equipment.TERMINAL_SOLD, Fault.CUSTOMER, travel=False, terminal_replaced=True)
    assert belgacom(r) == [("TERMINAL-REPLACEMENT", "81.82")]


def test_telenet_free_when_the_fault_is_telenets_else_on_quote() -> None:
    tariff = tariff_for(TELENET)
    free = intervention_charges(tariff, report(Equipment.TERMINAL_SOLD, Fault.OPERATOR, minutes=50), False)
    assert priced(TELENET, free) == [("REPAIR-OPERATOR-FAULT", "0.00")]
    paid = report(Equipment.TERMINAL_SOLD, Fault.CUSTOMER, minutes=50, quote=Money.of("95.00"))
    assert priced(TELENET, intervention_charges(tariff, paid, False)) == [("REPAIR-PAID", "95.00")]


@pytest.mark.parametrize(
    ("catalog_id", "fields", "code"),
    [
        (BELGACOM, {"minutes": 45, "light": True}, "intervention.light_too_long"),
        (BELGACOM, {"minutes": -1}, "intervention.minutes"),
        (BELGACOM, {"parts": (Part("base station"),)}, "intervention.part_quote"),  # out of warranty: on quote
        (BELGACOM, {"parts": (Part("handset", warranty=True, quote=Money.of("5.00")),)}, "intervention.part_quote"),
        (BELGACOM, {"light": True, "parts": (Part("x", quote=Money.of("5.00")),)}, "intervention.light_parts"),
        (TELENET, {"minutes": 30}, "intervention.quote_missing"),
    ],
)
def test_bad_reports_are_coded_errors(catalog_id: str, fields: dict[str, object], code: str) -> None:
    with pytest.raises(TelbillError) as error:
        intervention_charges(tariff_for(catalog_id), report(Equipment.TERMINAL_SOLD, Fault.CUSTOMER, **fields), False)
    assert error.value.code == code


def test_a_replacement_indemnity_needs_the_customers_fault() -> None:
    with pytest.raises(TelbillError) as error:
        report(Equipment.TERMINAL_SOLD, Fault.OPERATOR, terminal_replaced=True)
    assert error.value.code == "intervention.replacement"


def test_a_catalog_without_repair_rows() -> None:
    with pytest.raises(TelbillError) as error:
        tariff_for("shop")
    assert error.value.code == "intervention.no_tariff"
