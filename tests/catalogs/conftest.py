"""Builders for pricing tests on the seed catalogs."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import cache

import pytest
from ruamel.yaml import YAML

from telbill.core.catalog.inputs import Order
from telbill.core.catalog.pricing import PricedLine, PricingContext, price_order
from telbill.core.catalog.schema import Catalog, Segment
from tests.conftest import CATALOGS


@cache
def seed_catalog(catalog_id: str) -> Catalog:
    text = (CATALOGS / f"{catalog_id}.yaml").read_text(encoding="utf-8")
    return Catalog.model_validate(YAML(typ="safe").load(text))


def context(catalog_id: str, segment: Segment = Segment.PROFESSIONAL) -> PricingContext:
    catalog = seed_catalog(catalog_id)
    return PricingContext(catalog, catalog.versions[-1], segment)


def order(code: str, quantity: str | int | None = None, **params: str) -> Order:
    return Order(code, None if quantity is None else Decimal(str(quantity)), tuple(params.items()))


Pricer = Callable[..., PricedLine]


def _pricer(catalog_id: str) -> Pricer:
    def price(
        code: str, quantity: str | int | None = None, segment: Segment = Segment.PROFESSIONAL, **params: str
    ) -> PricedLine:
        return price_order(context(catalog_id, segment), order(code, quantity, **params))

    return price


@pytest.fixture
def belgacom() -> Pricer:
    return _pricer("belgacom-fees-indemnities")


@pytest.fixture
def telenet() -> Pricer:
    return _pricer("telenet-clic-bureau")
