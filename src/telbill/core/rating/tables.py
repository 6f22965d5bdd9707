"""Catalog → plain lookup tables: what every rating engine executes.

Contract: ``rating_tables(catalog, version)`` flattens a version's usage section (``core.catalog.usage``) into
rows of plain values — prefixes, countries, one rule per (service, region, zone), tariffs with their
charging arithmetic in integers, allowances in charging units. The reference engine reads them through the
lookup methods; the vectorised engines load the same rows as tables and join on them. ``expanded_prefixes``
resolves longest-prefix matching ahead of time: every key of ``prefix_length`` characters (or a whole
shorter number) maps to the zone of its longest prefix, so an engine finds a zone with one equality join on
the number's first characters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo

import phonenumbers

from telbill.core.catalog.schema import Catalog, CatalogVersion
from telbill.core.catalog.usage import UNITS_PER, Region, Service, UsageTariff, UsageTariffs
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.rating.zoning import DIGITS, zone_of
from telbill.core.tax.treatment import VatTreatment

MICRO = 1_000_000
UNIT_SIZE = {Service.VOICE: 1, Service.SMS: 1, Service.DATA: 1000}  # quantity per charging unit (bytes per kB)


@dataclass(frozen=True, slots=True)
class TariffRow:
    """A tariff as arithmetic: quantity → charging units → amount (docs/algorithms/rating.md)."""

    code: str
    label: str
    service: Service
    rate: Decimal  # net per ``units_per`` charging units
    per_record: Decimal  # net, once per record with charged units
    unit_size: int  # quantity per charging unit, rounded up: 1000 bytes per kB
    minimum: int  # charging units
    increment: int  # charging units
    units_per: int  # charging units per priced unit: 60 s per minute, 1000 kB per MB
    treatment: VatTreatment

    @property
    def rate_micro(self) -> int:
        return int(self.rate * MICRO)

    @property
    def per_record_micro(self) -> int:
        return int(self.per_record * MICRO)


@dataclass(frozen=True, slots=True)
class RuleRow:
    service: Service
    region: Region
    zone: str | None  # None for data
    tariff: str
    allowance: str | None


@dataclass(frozen=True, slots=True)
class RatingTables:
    catalog_id: str
    version: str
    timezone_name: str
    prefixes: tuple[tuple[str, str], ...]  # (prefix, zone)
    countries: tuple[tuple[str, Region], ...]  # every known ISO 3166 code and its roaming region
    rules: tuple[RuleRow, ...]  # exactly one per (service, region, zone)
    tariffs: tuple[TariffRow, ...]
    allowances: tuple[tuple[str, str, int], ...]  # (code, label, quantity in charging units)
    # lookups built once from the rows above; private, never handed out
    _by_prefix: dict[str, str] = field(init=False, repr=False, compare=False)
    _by_country: dict[str, Region] = field(init=False, repr=False, compare=False)
    _by_key: dict[tuple[Service, Region, str | None], RuleRow] = field(init=False, repr=False, compare=False)
    _by_code: dict[str, TariffRow] = field(init=False, repr=False, compare=False)
    _quantities: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_prefix", dict(self.prefixes))
        object.__setattr__(self, "_by_country", dict(self.countries))
        object.__setattr__(self, "_by_key", {(r.service, r.region, r.zone): r for r in self.rules})
        object.__setattr__(self, "_by_code", {t.code: t for t in self.tariffs})
        object.__setattr__(self, "_quantities", {code: quantity for code, _, quantity in self.allowances})

    @property
    def timezone(self) -> tzinfo:
        return ZoneInfo(self.timezone_name)

    @property
    def prefix_length(self) -> int:
        return max(len(prefix) for prefix, _ in self.prefixes)

    def zone_of(self, number: str) -> str | None:
        return zone_of(number, self._by_prefix)

    def region_of(self, country: str) -> Region | None:
        return self._by_country.get(country)

    def rule(self, service: Service, region: Region, zone: str | None) -> RuleRow:
        return self._by_key[(service, region, zone)]

    def tariff(self, code: str) -> TariffRow:
        return self._by_code[code]

    def allowance_quantity(self, code: str) -> int:
        return self._quantities[code]

    def expanded_prefixes(self) -> dict[str, str]:
        """key → zone for every key of up to ``prefix_length`` characters that has a zone: each prefix, shortest
        first, claims every key that extends it, so a longer prefix overwrites a shorter one's claim."""
        expanded: dict[str, str] = {}
        for prefix, zone in sorted(self.prefixes, key=lambda entry: len(entry[0])):
            stems = [prefix]
            expanded.update(dict.fromkeys(stems, zone))
            for _ in range(len(prefix), self.prefix_length):
                stems = [stem + digit for stem in stems for digit in DIGITS]
                expanded.update(dict.fromkeys(stems, zone))
        return expanded


def rating_tables(catalog: Catalog, version: CatalogVersion) -> RatingTables:
    usage = version.usage
    if usage is None:
        raise TelbillError(
            "rating.no_tariffs",
            f"catalog {catalog.id} version {version.version} has no usage tariffs",
            ErrorKind.NOT_FOUND,
        )
    return RatingTables(
        catalog.id,
        version.version,
        usage.timezone,
        tuple((prefix, zone.code) for zone in usage.zones for prefix in zone.prefixes),
        _countries(usage),
        _rules(usage),
        tuple(_tariff_row(tariff) for tariff in usage.tariffs),
        tuple((a.code, a.label, a.charging_units) for a in usage.allowances),
    )


def _countries(usage: UsageTariffs) -> tuple[tuple[str, Region], ...]:
    regions = {code: Region.WORLD for code in phonenumbers.SUPPORTED_REGIONS}
    regions.update({code: Region.EU for code in usage.countries.eu})
    regions.update({code: Region.HOME for code in usage.countries.home})
    return tuple(sorted(regions.items()))


def _rules(usage: UsageTariffs) -> tuple[RuleRow, ...]:
    rows = [
        RuleRow(rule.service, region, zone, rule.tariff, rule.allowance)
        for rule in usage.rules
        for region in rule.from_
        for zone in (rule.to or (None,))
    ]
    return tuple(sorted(rows, key=lambda r: (r.service.value, r.region.value, r.zone or "")))


def _tariff_row(tariff: UsageTariff) -> TariffRow:
    return TariffRow(
        tariff.code,
        tariff.label,
        tariff.service,
        tariff.rate,
        tariff.per_record,
        UNIT_SIZE[tariff.service],
        tariff.minimum,
        tariff.increment,
        UNITS_PER[tariff.per],
        tariff.vat,
    )
