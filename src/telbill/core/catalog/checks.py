"""Checks of a whole catalog: ``check_catalog(catalog) → list[Finding]``, every finding of a run as data.

Contract: pure (no I/O), never raises on a bad catalog, and each finding is located by a field path such as
``versions[0].items[12].price.htva`` (see ``field_paths``) that a loader resolves to file:line:column.

Errors make a catalog unusable; warnings point at rows the operator should look at again.
- ``versions.order`` / ``versions.duplicate`` (error): versions go in strictly ascending ``effective_from``
  and carry distinct names.
- ``code.duplicate`` (error): an item, calendar, SLA class or compensation code used twice in a version.
- ``reference.unknown`` (error): a plan's ``options`` / ``installations``, a percentage's ``of_items``, a
  compensation's ``sla_classes``, an SLA class's ``calendar``, or the dunning policy's step ``fee`` /
  ``returned_debit_fee`` names a code the version does not define (a dunning fee must be one of its items).
- ``calendar.hours`` / ``calendar.weekdays`` (error): a calendar that is not ``always_open`` without
  working days, opening or closing time, or that closes before it opens.
- ``item.no_vat`` (warning): an item without VAT category cannot be priced.
- The rule-shape checks of ``check_rules`` and the price checks of ``check_prices``.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Protocol

from telbill.core.catalog import rules as r
from telbill.core.catalog.assurance import Calendar
from telbill.core.catalog.check_prices import check_compensation_prices, check_item_prices
from telbill.core.catalog.check_rules import check_item_rules, rules_of
from telbill.core.catalog.dunning_policy import DunningPolicy
from telbill.core.catalog.field_paths import FieldPath, error_at, format_path, warning_at
from telbill.core.catalog.schema import Catalog, CatalogVersion, Item
from telbill.core.errors import Finding
from telbill.core.tax.compute import PriceBasis


class _Coded(Protocol):
    @property
    def code(self) -> str: ...


def check_catalog(catalog: Catalog) -> list[Finding]:
    """Every finding of the catalog, version by version, in the order of the file."""
    findings = _check_versions(catalog.versions)
    for index, version in enumerate(catalog.versions):
        findings += check_version(version, ("versions", index), catalog.price_basis)
    return findings


def check_version(version: CatalogVersion, path: FieldPath, basis: PriceBasis) -> list[Finding]:
    findings = [
        *_duplicate_codes(version.items, (*path, "items"), "item"),
        *_duplicate_codes(version.calendars, (*path, "calendars"), "calendar"),
        *_duplicate_codes(version.sla_classes, (*path, "sla_classes"), "SLA class"),
        *_duplicate_codes(version.compensations, (*path, "compensations"), "compensation"),
        *_unknown_references(version, path),
    ]
    for index, calendar in enumerate(version.calendars):
        findings += _check_calendar(calendar, (*path, "calendars", index))
    for index, item in enumerate(version.items):
        item_path = (*path, "items", index)
        findings += _item_without_vat(item, item_path)
        findings += check_item_rules(item, item_path)
        findings += check_item_prices(item, item_path, basis)
    for index, compensation in enumerate(version.compensations):
        findings += check_compensation_prices(compensation, (*path, "compensations", index), basis)
    return findings


def _check_versions(versions: Sequence[CatalogVersion]) -> list[Finding]:
    findings: list[Finding] = []
    first_index: dict[str, int] = {}
    for index, version in enumerate(versions):
        path: FieldPath = ("versions", index)
        earlier = first_index.setdefault(version.version, index)
        if earlier != index:
            message = f"version {version.version!r} is also the name of versions[{earlier}]"
            findings.append(error_at("versions.duplicate", message, (*path, "version")))
        if index == 0:
            continue
        previous, day = versions[index - 1], version.effective_from
        if day == previous.effective_from:
            message = f"version {version.version!r} takes effect on {day}, like versions[{index - 1}]"
            findings.append(error_at("versions.duplicate", message, (*path, "effective_from")))
        elif day < previous.effective_from:
            message = (
                f"version {version.version!r} takes effect on {day}, before versions[{index - 1}] "
                f"({previous.effective_from}): versions go in ascending effective_from"
            )
            findings.append(error_at("versions.order", message, (*path, "effective_from")))
    return findings


def _duplicate_codes(entries: Sequence[_Coded], path: FieldPath, what: str) -> list[Finding]:
    findings: list[Finding] = []
    first_index: dict[str, int] = {}
    for index, entry in enumerate(entries):
        earlier = first_index.setdefault(entry.code, index)
        if earlier != index:
            message = f"{what} code {entry.code} is already used by {format_path((*path, earlier))}"
            findings.append(error_at("code.duplicate", message, (*path, index, "code")))
    return findings


def _unknown_references(version: CatalogVersion, path: FieldPath) -> list[Finding]:
    known = {
        "item": {item.code for item in version.items},
        "SLA class": {sla.code for sla in version.sla_classes},
        "calendar": {calendar.code for calendar in version.calendars},
    }
    return [
        error_at("reference.unknown", _unknown_message(code, what, known[what]), ref_path)
        for ref_path, code, what in _references(version, path)
        if code not in known[what]
    ]


def _references(version: CatalogVersion, path: FieldPath) -> Iterator[tuple[FieldPath, str, str]]:
    """Every code the version refers to: (where, the code, what kind of entry it must name)."""
    for index, item in enumerate(version.items):
        item_path = (*path, "items", index)
        yield from _listed(item.options, (*item_path, "options"), "item")
        yield from _listed(item.installations, (*item_path, "installations"), "item")
        for rule_path, rule in rules_of(item, item_path):
            if isinstance(rule, r.Percentage):
                yield from _listed(rule.of_items, (*rule_path, "of_items"), "item")
    for index, compensation in enumerate(version.compensations):
        compensation_path = (*path, "compensations", index, "sla_classes")
        yield from _listed(compensation.sla_classes, compensation_path, "SLA class")
    for index, sla in enumerate(version.sla_classes):
        yield (*path, "sla_classes", index, "calendar"), sla.calendar, "calendar"
    if version.dunning is not None:
        yield from _dunning_fees(version.dunning, (*path, "dunning"))


def _dunning_fees(policy: DunningPolicy, path: FieldPath) -> Iterator[tuple[FieldPath, str, str]]:
    """The items a dunning policy charges: a step's fee, the returned direct debit's fee."""
    for index, step in enumerate(policy.steps):
        if step.fee is not None:
            yield (*path, "steps", index, "fee"), step.fee, "item"
    if policy.returned_debit_fee is not None:
        yield (*path, "returned_debit_fee"), policy.returned_debit_fee, "item"


def _listed(codes: Iterable[str], path: FieldPath, what: str) -> Iterator[tuple[FieldPath, str, str]]:
    for index, code in enumerate(codes):
        yield (*path, index), code, what


def _unknown_message(code: str, what: str, known: Collection[str]) -> str:
    message = f"{code} is not the code of any {what} of this version"
    close = difflib.get_close_matches(code, sorted(known), n=1)
    return message + (f" (did you mean {close[0]}?)" if close else "")


def _check_calendar(calendar: Calendar, path: FieldPath) -> list[Finding]:
    if calendar.always_open:
        return []
    findings: list[Finding] = []
    if not calendar.weekdays:
        message = f"calendar {calendar.code} is not always_open but names no weekdays: its clock never runs"
        findings.append(error_at("calendar.weekdays", message, (*path, "weekdays")))
    for name in ("opens", "closes"):
        if getattr(calendar, name) is None:
            message = f"calendar {calendar.code} is not always_open, so it needs '{name}' (e.g. 08:00)"
            findings.append(error_at("calendar.hours", message, (*path, name)))
    if calendar.opens is not None and calendar.closes is not None and calendar.opens >= calendar.closes:
        opens, closes = (moment.isoformat(timespec="minutes") for moment in (calendar.opens, calendar.closes))
        message = f"calendar {calendar.code} closes at {closes}, not after it opens at {opens}"
        findings.append(error_at("calendar.hours", message, (*path, "closes")))
    return findings


def _item_without_vat(item: Item, path: FieldPath) -> list[Finding]:
    if item.vat is not None:
        return []
    message = f"{item.code} has no VAT category (vat: S21, S12, S6, Z, E:VATEX-…, O), so it cannot be priced"
    return [warning_at("item.no_vat", message, (*path, "vat"))]
