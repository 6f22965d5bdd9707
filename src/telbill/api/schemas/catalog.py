"""TMF620 product catalog (ProductCatalog, ProductOffering, ProductOfferingPrice) and a TMF648-like Quote."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field

from telbill.api.schemas.common import Characteristic, Money, Quantity, Ref, TimePeriod, Tmf, href, midnight, money, ref
from telbill.app.catalog import CatalogQuote, CheckedFile
from telbill.core.catalog.pricing import PricedLine
from telbill.core.catalog.schema import Catalog, CatalogVersion, Charge, Item, Segment
from telbill.core.errors import Finding


class CatalogVersionOut(Tmf):
    version: str
    valid_for: TimePeriod = Field(alias="validFor")
    items: int


class ProductCatalog(Tmf):
    id: str
    href: str
    name: str
    description: str | None = None
    lifecycle_status: str = Field(alias="lifecycleStatus")
    version: str | None = None
    valid_for: TimePeriod | None = Field(default=None, alias="validFor")
    related_party: list[Ref] = Field(default_factory=list, alias="relatedParty")
    catalog_version: list[CatalogVersionOut] = Field(default_factory=list, alias="catalogVersion")
    type: str = Field(default="ProductCatalog", alias="@type")


class ProductOfferingPrice(Tmf):
    name: str
    price_type: Literal["recurring", "oneTime"] = Field(alias="priceType")
    recurring_charge_period_type: str | None = Field(default=None, alias="recurringChargePeriodType")
    segment: str | None = None
    rule: dict[str, Any] = Field(description="The catalog's pricing rule, as the catalog file writes it")
    type: str = Field(default="ProductOfferingPriceRule", alias="@type")


class Feature(Tmf):
    name: str
    label: str
    value: str
    unit: str | None = None


class ProductOffering(Tmf):
    id: str = Field(description="<catalog id>:<item code>")
    href: str
    code: str
    name: str
    description: str | None = None
    category: list[Ref]
    is_bundle: bool = Field(alias="isBundle")
    lifecycle_status: str = Field(default="Active", alias="lifecycleStatus")
    version: str
    valid_for: TimePeriod = Field(alias="validFor")
    product_catalog: Ref = Field(alias="productCatalog")
    product_offering_price: list[ProductOfferingPrice] = Field(alias="productOfferingPrice")
    bundled_product_offering: list[Ref] = Field(default_factory=list, alias="bundledProductOffering")
    feature: list[Feature] = Field(default_factory=list)
    type: str = Field(default="ProductOffering", alias="@type")


def catalog_out(catalog: Catalog) -> ProductCatalog:
    versions = [
        CatalogVersionOut(
            version=v.version, valid_for=TimePeriod(start_date_time=midnight(v.effective_from)), items=len(v.items)
        )
        for v in catalog.versions
    ]
    latest = catalog.versions[-1]
    return ProductCatalog(
        id=catalog.id,
        href=href(f"/productCatalog/{catalog.id}"),
        name=catalog.name,
        description=catalog.source,
        lifecycle_status="Active",
        version=latest.version,
        valid_for=TimePeriod(start_date_time=midnight(catalog.versions[0].effective_from)),
        related_party=[Ref(id=catalog.operator, name=catalog.operator, referred_type="Organization")],
        catalog_version=versions,
    )


def invalid_catalog_out(catalog_id: str) -> ProductCatalog:
    return ProductCatalog(
        id=catalog_id, href=href(f"/productCatalog/{catalog_id}"), name=catalog_id, lifecycle_status="Rejected"
    )


def offering_id(catalog_id: str, code: str) -> str:
    return f"{catalog_id}:{code}"


def _prices(item: Item) -> list[ProductOfferingPrice]:
    recurring = item.charge is Charge.MONTHLY
    kind: Literal["recurring", "oneTime"] = "recurring" if recurring else "oneTime"
    period = "month" if recurring else None
    rules = [(None, item.price)] if item.price is not None else list((item.by_segment or {}).items())
    return [
        ProductOfferingPrice(
            name=item.label,
            price_type=kind,
            recurring_charge_period_type=period,
            segment=segment.value if isinstance(segment, Segment) else None,
            rule=rule.model_dump(mode="json", by_alias=True, exclude_none=True),
        )
        for segment, rule in rules
        if rule is not None
    ]


def offering_out(catalog: Catalog, version: CatalogVersion, item: Item) -> ProductOffering:
    identifier = offering_id(catalog.id, item.code)
    return ProductOffering(
        id=identifier,
        href=href(f"/productOffering/{identifier}"),
        code=item.code,
        name=item.label,
        description=item.note,
        category=[Ref(id=item.kind.value, name=item.kind.value, referred_type="Category")],
        is_bundle=bool(item.options),
        version=version.version,
        valid_for=TimePeriod(start_date_time=midnight(version.effective_from)),
        product_catalog=ref("ProductCatalog", catalog.id, f"/productCatalog/{catalog.id}", catalog.name),
        product_offering_price=_prices(item),
        bundled_product_offering=[
            ref("ProductOffering", offering_id(catalog.id, code), f"/productOffering/{offering_id(catalog.id, code)}")
            for code in item.options
        ],
        feature=[Feature(name=f.feature, label=f.label, value=f.value, unit=f.unit) for f in item.includes],
    )


class FindingOut(Tmf):
    code: str
    severity: str
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = None


class CatalogCheck(Tmf):
    catalog: str
    source: str
    valid: bool
    errors: int
    warnings: int
    finding: list[FindingOut]


def finding_out(finding: Finding) -> FindingOut:
    where = finding.location
    return FindingOut(
        code=finding.code,
        severity=finding.severity.value,
        message=finding.message,
        file=where.file,
        line=where.line,
        column=where.column,
        field=where.field,
    )


def check_out(catalog_id: str, checked: CheckedFile) -> CatalogCheck:
    errors = len(checked.errors)
    return CatalogCheck(
        catalog=catalog_id,
        source=checked.source,
        valid=errors == 0,
        errors=errors,
        warnings=len(checked.findings) - errors,
        finding=[finding_out(f) for f in checked.findings],
    )


# --- quote (TMF648 shapes) -------------------------------------------------------------------------------------


class QuoteItemIn(Tmf):
    product_offering: Ref = Field(alias="productOffering", description="id: an item code, or <catalog>:<code>")
    quantity: Quantity | None = None
    characteristic: list[Characteristic] = Field(default_factory=list, max_length=20)


class QuoteIn(Tmf):
    product_catalog: Ref = Field(alias="productCatalog")
    segment: Segment = Segment.RESIDENTIAL
    quote_date: date | None = Field(default=None, alias="quoteDate", description="Price date (default: today)")
    quote_item: list[QuoteItemIn] = Field(alias="quoteItem", min_length=1, max_length=100)


class QuotePrice(Tmf):
    price_type: str = Field(default="oneTime", alias="priceType")
    duty_free_amount: Money = Field(alias="dutyFreeAmount")
    tax_included_amount: Money = Field(alias="taxIncludedAmount")
    tax_rate: float = Field(alias="taxRate")
    tax_category: str = Field(alias="taxCategory")


class Provenance(Tmf):
    catalog: str
    version: str
    item: str
    rule: str
    inputs: dict[str, str]
    explanation: str


class QuoteItem(Tmf):
    id: str
    product_offering: Ref = Field(alias="productOffering")
    name: str
    quantity: float
    quote_item_price: list[QuotePrice] = Field(alias="quoteItemPrice")
    provenance: Provenance


class TaxSubtotal(Tmf):
    tax_category: str = Field(alias="taxCategory")
    tax_rate: float = Field(alias="taxRate")
    exemption_code: str | None = Field(default=None, alias="exemptionCode")
    taxable_amount: Money = Field(alias="taxableAmount")
    tax_amount: Money = Field(alias="taxAmount")


class QuoteOut(Tmf):
    product_catalog: Ref = Field(alias="productCatalog")
    version: str
    segment: str
    quote_date: date = Field(alias="quoteDate")
    quote_item: list[QuoteItem] = Field(alias="quoteItem")
    tax_item: list[TaxSubtotal] = Field(alias="taxItem")
    quote_total_price: list[QuotePrice] = Field(alias="quoteTotalPrice")
    type: str = Field(default="Quote", alias="@type")


def provenance_out(line: PricedLine) -> Provenance:
    p = line.provenance
    return Provenance(
        catalog=p.catalog_id,
        version=p.catalog_version,
        item=p.item_code,
        rule=p.rule,
        inputs=dict(p.inputs),
        explanation=p.explanation,
    )


def quote_out(result: CatalogQuote) -> QuoteOut:
    catalog, totals = result.catalog, result.quote.totals
    items = [
        QuoteItem(
            id=str(number),
            name=line.label,
            quantity=float(line.quantity),
            product_offering=ref(
                "ProductOffering",
                offering_id(catalog.id, line.code),
                f"/productOffering/{offering_id(catalog.id, line.code)}",
            ),
            quote_item_price=[
                QuotePrice(
                    duty_free_amount=money(line.net),
                    tax_included_amount=money(line.indicative_gross),
                    tax_rate=float(line.treatment.rate),
                    tax_category=line.treatment.code,
                )
            ],
            provenance=provenance_out(line),
        )
        for number, line in enumerate(result.quote.lines, start=1)
    ]
    taxes = [
        TaxSubtotal(
            tax_category=s.treatment.category.value,
            tax_rate=float(s.treatment.rate),
            exemption_code=s.treatment.exemption_code,
            taxable_amount=money(s.taxable),
            tax_amount=money(s.vat),
        )
        for s in totals.subtotals
    ]
    total = QuotePrice(
        duty_free_amount=money(totals.net), tax_included_amount=money(totals.gross), tax_rate=0.0, tax_category="total"
    )
    return QuoteOut(
        product_catalog=ref("ProductCatalog", catalog.id, f"/productCatalog/{catalog.id}", catalog.name),
        version=result.version.version,
        segment=result.segment.value,
        quote_date=result.day,
        quote_item=items,
        tax_item=taxes,
        quote_total_price=[total],
    )
