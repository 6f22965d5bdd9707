"""Usage tariffs as catalog data: destination zones, roaming regions, tariffs, allowances and the rules that
say which tariff (and which allowance) prices a call, an SMS or a data session.

Declared here so a catalog version can state its usage prices (``CatalogVersion.usage``); the arithmetic is
``telbill.core.rating`` (docs/algorithms/rating.md). The section is validated as a whole when it is read:
every reference resolves, every prefix belongs to one zone, and every combination of service, roaming region
and destination zone is priced by exactly one rule — so a record that reaches rating always has a tariff.

Units: a voice tariff counts seconds, an SMS tariff messages, a data tariff kilobytes (1 kB = 1 000 bytes,
volumes are rounded up to the kB); ``minimum`` and ``increment`` are in those units. ``rate`` is the net
(VAT-excluded) price ``per`` minute, message or megabyte (1 MB = 1 000 kB), with at most six decimals.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainSerializer, WithJsonSchema, model_validator

from telbill.core.catalog.fields import CODE_PATTERN, Vat
from telbill.core.catalog.rules import Frozen
from telbill.core.errors import TelbillError
from telbill.core.money import to_decimal
from telbill.core.tax.treatment import VatTreatment

Code = Annotated[str, Field(pattern=CODE_PATTERN)]
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
Prefix = Annotated[str, Field(pattern=r"^[+#][0-9]{0,6}$")]  # canonical numbers: '+' E.164 or '#' short
MAX_PREFIX_LENGTH = 7  # characters, '+' or '#' included: the engines expand prefixes to this length
RATE_DECIMALS = 6


class Service(Enum):
    VOICE = "voice"
    SMS = "sms"
    DATA = "data"


class Region(Enum):
    """Where the subscriber was when the usage happened."""

    HOME = "home"  # the operator's country
    EU = "eu"  # roaming in the EU / EEA zone ("zone UE")
    WORLD = "world"  # roaming anywhere else


class Per(Enum):
    MINUTE = "minute"
    MESSAGE = "message"
    MEGABYTE = "megabyte"


class AllowanceUnit(Enum):
    MINUTE = "minute"
    MESSAGE = "message"
    MEGABYTE = "megabyte"
    GIGABYTE = "gigabyte"


SERVICE_PER = {Service.VOICE: Per.MINUTE, Service.SMS: Per.MESSAGE, Service.DATA: Per.MEGABYTE}
UNITS_PER = {Per.MINUTE: 60, Per.MESSAGE: 1, Per.MEGABYTE: 1000}  # charging units (s, message, kB) per ``per``
ALLOWANCE_UNITS = {
    AllowanceUnit.MINUTE: (Service.VOICE, 60),
    AllowanceUnit.MESSAGE: (Service.SMS, 1),
    AllowanceUnit.MEGABYTE: (Service.DATA, 1000),
    AllowanceUnit.GIGABYTE: (Service.DATA, 1_000_000),
}


def _rate(value: Any) -> Decimal:
    try:
        rate = to_decimal(value)
    except TelbillError as error:
        raise ValueError(error.message) from None
    if rate < 0:
        raise ValueError(f"{value!r} is negative; a usage rate is never negative")
    if rate != rate.quantize(Decimal(1).scaleb(-RATE_DECIMALS)):
        raise ValueError(f"{value!r} has more than {RATE_DECIMALS} decimals")
    if rate >= 1000:
        raise ValueError(f"{value!r} is not below 1000 per unit")
    return rate


Rate = Annotated[
    Decimal,
    BeforeValidator(_rate),
    PlainSerializer(lambda d: f"{d.normalize():f}", return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d+(\.\d{1,6})?$", "description": "net EUR per unit"}),
]


class Zone(Frozen):
    """A destination zone: numbers that start with one of ``prefixes`` (the longest matching prefix wins)."""

    code: Code
    label: str
    prefixes: tuple[Prefix, ...] = Field(min_length=1)
    note: str | None = None


class Countries(Frozen):
    """Roaming regions by ISO 3166 country code; every other country is ``world``."""

    home: tuple[Country, ...] = Field(min_length=1)
    eu: tuple[Country, ...] = ()


class UsageTariff(Frozen):
    code: Code
    label: str
    service: Service
    rate: Rate
    per: Per
    minimum: int = Field(default=0, ge=0)  # charging units billed at least, for a record with any usage
    increment: int = Field(default=1, gt=0)  # charging units are billed in steps of this many
    per_record: Rate = Decimal(0)  # charged once for a record that is not wholly included (a call set-up)
    vat: Vat = VatTreatment.parse("S21")
    plausible: bool = False  # the rate is ours, not the operator's (the sheet gives none)
    note: str | None = None

    @model_validator(mode="after")
    def _unit_fits_service(self) -> UsageTariff:
        if SERVICE_PER[self.service] is not self.per:
            expected = SERVICE_PER[self.service].value
            raise ValueError(f"tariff {self.code}: a {self.service.value} tariff is priced per {expected}")
        return self


class Allowance(Frozen):
    """Usage included per billing period; beyond it, each record is charged at its own rule's tariff."""

    code: Code
    label: str
    quantity: int = Field(gt=0)
    unit: AllowanceUnit
    fair_use: bool = False  # the sheet says "unlimited" and this is the cap of reasonable use
    plausible: bool = False
    note: str | None = None

    @property
    def service(self) -> Service:
        return ALLOWANCE_UNITS[self.unit][0]

    @property
    def charging_units(self) -> int:
        """The quantity in charging units: seconds, messages or kB."""
        return self.quantity * ALLOWANCE_UNITS[self.unit][1]


class UsageRule(Frozen):
    """Usage of ``service`` made from the regions ``from`` to the zones ``to`` is priced by ``tariff``,
    first out of ``allowance`` when there is one. Data has no destination: its rules name no zone."""

    service: Service
    from_: tuple[Region, ...] = Field(alias="from", min_length=1)
    to: tuple[Code, ...] = ()
    tariff: Code
    allowance: Code | None = None
    note: str | None = None


class UsageTariffs(Frozen):
    timezone: str = "Europe/Brussels"  # a record belongs to the billing period of its local start date
    plausible: bool = False
    note: str | None = None
    countries: Countries
    zones: tuple[Zone, ...] = Field(min_length=1)
    tariffs: tuple[UsageTariff, ...] = Field(min_length=1)
    allowances: tuple[Allowance, ...] = ()
    rules: tuple[UsageRule, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> UsageTariffs:
        problems = [*_duplicates(self), *_prefix_problems(self), *_reference_problems(self), *_coverage(self)]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def tariff(self, code: str) -> UsageTariff:
        return next(t for t in self.tariffs if t.code == code)

    def allowance(self, code: str) -> Allowance:
        return next(a for a in self.allowances if a.code == code)


def _duplicates(usage: UsageTariffs) -> list[str]:
    problems = []
    for what, codes in (
        ("zone", [z.code for z in usage.zones]),
        ("tariff", [t.code for t in usage.tariffs]),
        ("allowance", [a.code for a in usage.allowances]),
        ("country", [*usage.countries.home, *usage.countries.eu]),
    ):
        problems += [f"{what} {code} is declared twice" for code, n in Counter(codes).items() if n > 1]
    return problems


def _prefix_problems(usage: UsageTariffs) -> list[str]:
    prefixes = [p for zone in usage.zones for p in zone.prefixes]
    problems = [f"prefix {p!r} belongs to two zones" for p, n in Counter(prefixes).items() if n > 1]
    problems += [f"no zone has the catch-all prefix {lead!r}" for lead in ("+", "#") if lead not in prefixes]
    return problems


def _reference_problems(usage: UsageTariffs) -> list[str]:
    zones = {z.code for z in usage.zones}
    tariffs = {t.code: t for t in usage.tariffs}
    allowances = {a.code: a for a in usage.allowances}
    problems = []
    for index, rule in enumerate(usage.rules):
        where = f"rules[{index}]"
        problems += [f"{where} names unknown zone {zone}" for zone in rule.to if zone not in zones]
        tariff = tariffs.get(rule.tariff)
        if tariff is None:
            problems.append(f"{where} names unknown tariff {rule.tariff}")
        elif tariff.service is not rule.service:
            problems.append(f"{where}: tariff {tariff.code} is a {tariff.service.value} tariff")
        if rule.allowance is not None:
            allowance = allowances.get(rule.allowance)
            if allowance is None:
                problems.append(f"{where} names unknown allowance {rule.allowance}")
            elif allowance.service is not rule.service:
                problems.append(f"{where}: allowance {allowance.code} is counted in {allowance.unit.value}s")
        if (rule.service is Service.DATA) == bool(rule.to):
            problems.append(f"{where}: data rules name no zone, voice and SMS rules name their zones")
    return problems


def _coverage(usage: UsageTariffs) -> list[str]:
    """Every (service, region, zone) is priced by exactly one rule."""
    seen: Counter[tuple[Service, Region, str | None]] = Counter()
    for rule in usage.rules:
        for region in rule.from_:
            for zone in rule.to or (None,):
                seen[(rule.service, region, zone)] += 1
    problems = []
    for service in Service:
        for region in Region:
            for zone in (None,) if service is Service.DATA else tuple(z.code for z in usage.zones):
                count = seen[(service, region, zone)]
                if count != 1:
                    to = f" to {zone}" if zone else ""
                    how = "no rule prices" if count == 0 else f"{count} rules price"
                    problems.append(f"{how} {service.value} from {region.value}{to}")
    return problems


__all__ = [
    "Allowance",
    "AllowanceUnit",
    "Countries",
    "Per",
    "Region",
    "Service",
    "UsageRule",
    "UsageTariff",
    "UsageTariffs",
    "Zone",
]
