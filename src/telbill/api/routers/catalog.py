"""TMF620 product catalog: the catalogs of the library and their offerings; their check; quotes (TMF648)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from telbill.api.dependencies import PageDep, Reader, ServicesDep, Staff, paginated
from telbill.api.problems import COMMON
from telbill.api.schemas.catalog import (
    CatalogCheck,
    ProductCatalog,
    ProductOffering,
    QuoteIn,
    QuoteOut,
    catalog_out,
    check_out,
    invalid_catalog_out,
    offering_out,
    quote_out,
)
from telbill.app.access_store import page_of
from telbill.app.catalog import CatalogInvalidError, check_catalogs, quote
from telbill.app.services import Services
from telbill.core.catalog.inputs import Order
from telbill.core.catalog.schema import ItemKind
from telbill.core.catalog.versions import version_at
from telbill.core.errors import ErrorKind, TelbillError

router = APIRouter(tags=["TMF620 product catalog"], responses=COMMON)


def _catalog_ids(svc: Services) -> list[str]:
    return sorted(path.stem for path in svc.source.catalog_files())


def _known(svc: Services, catalog_id: str) -> None:
    if catalog_id not in _catalog_ids(svc):
        raise TelbillError("catalog.not_found", f"no catalog {catalog_id}", ErrorKind.NOT_FOUND, "id")


@router.get("/productCatalog", response_model=list[ProductCatalog], summary="The catalogs of the library")
def list_catalogs(
    svc: ServicesDep, _: Reader, page: PageDep, request: Request, response: Response
) -> list[ProductCatalog]:
    found = page_of(_catalog_ids(svc), page)
    paginated(response, found, request)
    out = []
    for catalog_id in found.items:
        try:
            out.append(catalog_out(svc.catalogs(catalog_id)))
        except CatalogInvalidError:
            out.append(invalid_catalog_out(catalog_id))
    return out


@router.get("/productCatalog/{id}", response_model=ProductCatalog, summary="One catalog and its versions")
def get_catalog(id: str, svc: ServicesDep, _: Reader) -> ProductCatalog:
    _known(svc, id)
    return catalog_out(svc.catalogs(id))


@router.get("/productCatalog/{id}/check", response_model=CatalogCheck, summary="Every finding of the catalog's checks")
def check_catalog(id: str, svc: ServicesDep, _: Staff) -> CatalogCheck:
    _known(svc, id)
    path = next(p for p in svc.source.catalog_files() if p.stem == id)
    report = check_catalogs(svc.source, (path,))
    return check_out(id, report.files[0])


@router.get("/productOffering", response_model=list[ProductOffering], summary="Offerings in effect on a day")
def list_offerings(
    svc: ServicesDep,
    _: Reader,
    page: PageDep,
    request: Request,
    response: Response,
    catalog: Annotated[str, Query(alias="productCatalog.id", description="The catalog")],
    category: Annotated[ItemKind | None, Query(alias="category.id", description="plan, option, fee…")] = None,
    day: Annotated[date | None, Query(alias="date", description="In effect on this day (default: today)")] = None,
) -> list[ProductOffering]:
    _known(svc, catalog)
    found = svc.catalogs(catalog)
    version = version_at(found, day or svc.today())
    items = [item for item in version.items if category is None or item.kind is category]
    chosen = page_of(items, page)
    paginated(response, chosen, request)
    return [offering_out(found, version, item) for item in chosen.items]


@router.get("/productOffering/{id}", response_model=ProductOffering, summary="One offering: <catalog>:<code>")
def get_offering(
    id: str,
    svc: ServicesDep,
    _: Reader,
    day: Annotated[date | None, Query(alias="date", description="In effect on this day (default: today)")] = None,
) -> ProductOffering:
    catalog_id, _sep, code = id.partition(":")
    _known(svc, catalog_id)
    found = svc.catalogs(catalog_id)
    version = version_at(found, day or svc.today())
    item = version.item(code)
    if item is None:
        raise TelbillError("offering.not_found", f"no offering {id}", ErrorKind.NOT_FOUND, "id")
    return offering_out(found, version, item)


@router.post(
    "/quote", response_model=QuoteOut, summary="Price a basket (stores nothing)", openapi_extra={"x-telbill-safe": True}
)
def quote_basket(body: QuoteIn, svc: ServicesDep, _: Reader) -> QuoteOut:
    catalog_id = body.product_catalog.id
    _known(svc, catalog_id)
    orders = []
    for item in body.quote_item:
        code = item.product_offering.id.removeprefix(f"{catalog_id}:")
        params = tuple((c.name, c.value) for c in item.characteristic)
        orders.append(Order(code, item.quantity, params))
    return quote_out(quote(svc.source, catalog_id, orders, body.segment, body.quote_date or svc.today()))
