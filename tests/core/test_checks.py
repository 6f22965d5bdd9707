"""check_catalog: one test per check, with the expected figures worked out by hand in the comments."""

from __future__ import annotations

from typing import Any

import pytest

from telbill.core.catalog.checks import check_catalog
from telbill.core.catalog.field_paths import format_path, parse_path
from telbill.core.catalog.schema import Catalog
from telbill.core.errors import Finding, Severity


def flat(tvac: str | None = None, htva: str | None = None) -> dict[str, Any]:
    price = {key: value for key, value in (("tvac", tvac), ("htva", htva)) if value is not None}
    return {"rule": "flat", "price": price}


def item(code: str, rule: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"code": code, "label": code.title(), "kind": "fee", "vat": "S21"}
    if "by_segment" not in fields:
        entry["price"] = rule if rule is not None else flat(tvac="4.50", htva="3.72")
    return {**entry, **fields}


def catalog(*items: dict[str, Any], basis: str = "tvac", **version: Any) -> Catalog:
    """A one-version catalog of ``items`` (plus ``version`` fields), or the given ``versions``."""
    versions = version.pop("versions", None)
    if versions is None:
        versions = [{"version": "2024-01", "effective_from": "2024-01-01", "items": list(items), **version}]
    return Catalog.model_validate(
        {
            "id": "test",
            "name": "Test",
            "operator": "Test operator",
            "language": "fr",
            "price_basis": basis,
            "versions": versions,
        }
    )


def codes(findings: list[Finding]) -> list[str]:
    return [finding.code for finding in findings]


def only(findings: list[Finding], code: str) -> Finding:
    matching = [finding for finding in findings if finding.code == code]
    assert len(matching) == 1, findings
    return matching[0]


def test_a_clean_catalog_has_no_finding() -> None:
    # 4.50 / 1.21 = 3.719… → 3.72 printed; 3.72 + round(0.7812) = 4.50, so the gross is reachable too
    clean = catalog(
        item("PLAN-A", kind="plan", options=["OPT-A"], installations=["INST-A"]),
        item("OPT-A", kind="option"),
        item("INST-A", kind="installation"),
    )
    assert check_catalog(clean) == []


def test_field_paths_round_trip() -> None:
    path = ("versions", 0, "items", 12, "price", "htva")
    assert format_path(path) == "versions[0].items[12].price.htva"
    assert parse_path("versions[0].items[12].price.htva") == path


# --- versions ------------------------------------------------------------------------------------------


def _version(name: str, day: str) -> dict[str, Any]:
    return {"version": name, "effective_from": day, "items": [item("FEE-A")]}


def test_versions_out_of_order_are_an_error() -> None:
    findings = check_catalog(catalog(versions=[_version("b", "2024-06-01"), _version("a", "2024-01-01")]))
    finding = only(findings, "versions.order")
    assert finding.severity is Severity.ERROR
    assert finding.location.field == "versions[1].effective_from"
    assert "2024-01-01" in finding.message and "2024-06-01" in finding.message


def test_versions_on_the_same_day_or_with_the_same_name_are_an_error() -> None:
    same_day = check_catalog(catalog(versions=[_version("a", "2024-01-01"), _version("b", "2024-01-01")]))
    assert only(same_day, "versions.duplicate").location.field == "versions[1].effective_from"
    same_name = check_catalog(catalog(versions=[_version("a", "2024-01-01"), _version("a", "2024-02-01")]))
    assert only(same_name, "versions.duplicate").location.field == "versions[1].version"


# --- codes and references ------------------------------------------------------------------------------


def test_a_duplicate_item_code_is_an_error() -> None:
    finding = only(check_catalog(catalog(item("FEE-A"), item("FEE-B"), item("FEE-A"))), "code.duplicate")
    assert finding.severity is Severity.ERROR
    assert finding.location.field == "versions[0].items[2].code"
    assert "versions[0].items[0]" in finding.message


CALENDAR = {"code": "WORK", "label": "Working hours", "weekdays": ["mon"], "opens": "08:00", "closes": "16:30"}
SLA = {
    "code": "BASE",
    "label": "Base line",
    "lines": ["classic"],
    "calendar": "WORK",
    "deadline": {"kind": "end_of_next_working_day"},
}
COMPENSATION = {
    "code": "LATE-REPAIR",
    "label": "Late repair",
    "trigger": "repair",
    "sla_classes": ["BASE"],
    "rule": {"rule": "fees_per_delay_day", "percent": "100", "of": "base"},
}


def test_duplicate_calendar_sla_and_compensation_codes_are_errors() -> None:
    findings = check_catalog(
        catalog(
            item("FEE-A"),
            calendars=[CALENDAR, CALENDAR],
            sla_classes=[SLA, SLA],
            compensations=[COMPENSATION, COMPENSATION],
        )
    )
    assert sorted(str(f.location.field) for f in findings if f.code == "code.duplicate") == [
        "versions[0].calendars[1].code",
        "versions[0].compensations[1].code",
        "versions[0].sla_classes[1].code",
    ]


def test_unknown_option_installation_and_percentage_base_are_errors() -> None:
    social = {"rule": "percentage", "percent": "50", "base": "item_price", "of_items": ["SOKET"]}
    findings = check_catalog(
        catalog(
            item("PLAN-A", kind="plan", options=["OPT-B"], installations=["INST-A", "INST-Z"]),
            item("OPT-A", kind="option"),
            item("INST-A", kind="installation"),
            item("SOCKET"),
            item("SOCIAL", social),
        )
    )
    unknown = [f for f in findings if f.code == "reference.unknown"]
    assert [f.location.field for f in unknown] == [
        "versions[0].items[0].options[0]",
        "versions[0].items[0].installations[1]",
        "versions[0].items[4].price.of_items[0]",
    ]
    assert all(f.severity is Severity.ERROR for f in unknown)
    assert "OPT-B" in unknown[0].message and "did you mean OPT-A?" in unknown[0].message
    assert "did you mean SOCKET?" in unknown[2].message


def test_unknown_sla_class_and_calendar_are_errors() -> None:
    findings = check_catalog(
        catalog(
            item("FEE-A"),
            calendars=[CALENDAR],
            sla_classes=[{**SLA, "calendar": "24-7"}],
            compensations=[{**COMPENSATION, "sla_classes": ["BASE", "OFFICE"]}],
        )
    )
    assert sorted(str(f.location.field) for f in findings if f.code == "reference.unknown") == [
        "versions[0].compensations[0].sla_classes[1]",
        "versions[0].sla_classes[0].calendar",
    ]


# --- calendars -----------------------------------------------------------------------------------------


def test_a_calendar_without_hours_or_closing_before_it_opens_is_an_error() -> None:
    no_hours = {"code": "NO-HOURS", "label": "x", "weekdays": ["mon"]}
    backwards = {**CALENDAR, "code": "BACKWARDS", "opens": "16:30", "closes": "08:00"}
    no_days = {**CALENDAR, "code": "NO-DAYS", "weekdays": []}
    always = {"code": "ALWAYS", "label": "24/24", "always_open": True}
    findings = check_catalog(catalog(item("FEE-A"), calendars=[no_hours, backwards, no_days, always]))
    assert [(f.code, f.location.field) for f in findings] == [
        ("calendar.hours", "versions[0].calendars[0].opens"),
        ("calendar.hours", "versions[0].calendars[0].closes"),
        ("calendar.hours", "versions[0].calendars[1].closes"),
        ("calendar.weekdays", "versions[0].calendars[2].weekdays"),
    ]
    assert all(f.severity is Severity.ERROR for f in findings)
    assert findings[2].message == "calendar BACKWARDS closes at 08:00, not after it opens at 16:30"


# --- prices --------------------------------------------------------------------------------------------


def test_a_pair_that_disagrees_with_the_gross_basis_is_a_warning() -> None:
    # basis tvac: 15.00 / 1.21 = 12.3966… → 12.40, but the sheet prints 12.39
    finding = only(check_catalog(catalog(item("TRENCH", flat(tvac="15", htva="12.39")))), "price.pair_mismatch")
    assert finding.severity is Severity.WARNING
    assert finding.location.field == "versions[0].items[0].price.price.htva"
    assert "15.00" in finding.message and "12.39" in finding.message and "12.40" in finding.message


def test_a_pair_that_disagrees_with_the_net_basis_is_a_warning() -> None:
    # basis htva: 12.39 × 1.21 = 14.9919 → 14.99, but the sheet prints 15.00
    findings = check_catalog(catalog(item("TRENCH", flat(tvac="15", htva="12.39")), basis="htva"))
    finding = only(findings, "price.pair_mismatch")
    assert finding.location.field == "versions[0].items[0].price.price.tvac"
    assert "14.99" in finding.message


def test_pairs_that_agree_give_no_warning() -> None:
    # 24.20 / 1.21 = 20.00 exactly, and 20.00 × 1.21 = 24.20
    for basis in ("tvac", "htva"):
        assert check_catalog(catalog(item("LINE", flat(tvac="24.20", htva="20")), basis=basis)) == []


def test_an_untaxed_item_printed_with_two_figures_is_a_warning() -> None:
    indemnity = item("GSM-NOT-RETURNED", flat(tvac="150", htva="123.97"), vat="O", kind="indemnity")
    finding = only(check_catalog(catalog(indemnity)), "price.vat_on_untaxed")
    assert finding.message.startswith("an indemnity outside the scope of VAT (O) is printed with TVAC")
    assert finding.location.field == "versions[0].items[0].price.price.htva"
    same_figures = item("GSM-NOT-RETURNED", flat(tvac="150", htva="150"), vat="O", kind="indemnity")
    assert check_catalog(catalog(same_figures)) == []


def test_a_gross_that_no_net_reaches_is_a_warning() -> None:
    # net 3.07: VAT 0.6447 → 0.64, gross 3.71; net 3.08: VAT 0.6468 → 0.65, gross 3.73. Nothing gives 3.72.
    finding = only(check_catalog(catalog(item("DETAILED", flat(tvac="3.72")))), "price.gross_unreachable")
    assert finding.location.field == "versions[0].items[0].price.price.tvac"
    assert "net 3.07 gives 3.71" in finding.message and "net 3.08 gives 3.73" in finding.message


def test_reachable_grosses_and_the_net_basis_give_no_unreachable_warning() -> None:
    # 4.50: net 3.72, VAT 0.7812 → 0.78, gross 4.50
    assert check_catalog(catalog(item("DUPLICATE", flat(tvac="4.50")))) == []
    # with basis htva the TVAC figure is not authoritative
    assert check_catalog(catalog(item("DETAILED", flat(tvac="3.72")), basis="htva")) == []


def test_an_item_without_vat_is_a_warning() -> None:
    finding = only(check_catalog(catalog(item("FEE-A", vat=None))), "item.no_vat")
    assert finding.severity is Severity.WARNING
    assert finding.location.field == "versions[0].items[0].vat"


# --- tiers and bands -----------------------------------------------------------------------------------


def count_tiers(*spans: tuple[int, int | None], overlap: str | None = None) -> dict[str, Any]:
    tiers = [{"from": start, "to": end, "price": {"tvac": "6.20"}} for start, end in spans]
    rule: dict[str, Any] = {"rule": "count_tiers", "counted": "change", "within": "calendar_year"}
    return {**rule, "tiers": tiers, **({"overlap": overlap} if overlap else {})}


def bands(*spans: tuple[int, int | None]) -> dict[str, Any]:
    listed = [{"from": start, "to": end, "charge": "per_unit", "price": {"tvac": "3.75"}} for start, end in spans]
    return {"rule": "tiered_bands", "unit": "day", "bands": listed}


def tier_findings(rule: dict[str, Any]) -> list[tuple[str, str | None, str]]:
    return [(f.code, f.location.field, f.message) for f in check_catalog(catalog(item("RULE", rule)))]


def test_overlapping_tiers_are_a_warning_that_names_the_resolution() -> None:
    # the sheet: "up to 4 changes free", "from the 4th change 6.20": the 4th is in both tiers
    [(code, field, message)] = tier_findings(count_tiers((1, 4), (4, None), overlap="first_tier_wins"))
    assert (code, field) == ("tiers.overlap", "versions[0].items[0].price.tiers[1].from")
    assert "on 4;" in message and "first_tier_wins" in message
    [(_, _, unresolved)] = tier_findings(count_tiers((1, 4), (4, None)))
    assert "does not say which tier wins" in unresolved


def test_a_gap_between_bands_and_a_first_band_after_one_are_warnings() -> None:
    assert tier_findings(bands((2, 3), (6, None))) == [
        ("tiers.gap", "versions[0].items[0].price.bands[0].from", "the first band starts at 2: 1 match no band"),
        ("tiers.gap", "versions[0].items[0].price.bands[1].from", "4–5 fall between band [0] and band [1] (6–∞)"),
    ]


def test_tiers_after_an_open_ended_one_inside_earlier_ones_or_backwards_are_unreachable() -> None:
    findings = tier_findings(count_tiers((1, 10), (3, 4), (11, None), (20, 30), (9, 2)))
    assert [(code, field) for code, field, _ in findings] == [
        ("rule.unreachable", "versions[0].items[0].price.tiers[1].from"),
        ("rule.unreachable", "versions[0].items[0].price.tiers[3].from"),
        ("rule.unreachable", "versions[0].items[0].price.tiers[4].to"),
    ]


def test_contiguous_bands_give_no_warning() -> None:
    assert tier_findings(bands((1, 3), (4, None))) == []


# --- rules ---------------------------------------------------------------------------------------------


def test_a_percentage_of_an_item_price_without_of_items_is_a_warning() -> None:
    social = {"rule": "percentage", "percent": "50", "base": "item_price"}
    finding = only(check_catalog(catalog(item("SOCIAL", social))), "percentage.no_base_items")
    assert finding.location.field == "versions[0].items[0].price.of_items"
    unpaid = {"rule": "percentage", "percent": "15", "base": "unpaid_total"}
    assert check_catalog(catalog(item("COLLECTION", unpaid))) == []


@pytest.mark.parametrize(
    ("by_segment", "expected"),
    [
        ({"residential": {"rule": "not_available"}}, ["item.unpriced"]),
        ({}, ["item.unpriced"]),
        ({"residential": {"rule": "not_available"}, "professional": flat(tvac="37")}, []),
    ],
)
def test_by_segment_that_sells_to_no_segment_is_a_warning(by_segment: dict[str, Any], expected: list[str]) -> None:
    # 37.00 / 1.21 = 30.578… → 30.58; 30.58 + round(6.4218) = 30.58 + 6.42 = 37.00: reachable
    assert codes(check_catalog(catalog(item("FRANCHISE", by_segment=by_segment)))) == expected
