"""Coverage: which SLA classes cover a subscription and which fees its compensation counts, from catalog data
(features ``line_type`` on plans and ``sla_class`` on complementary options); bad data is a coded error."""

from __future__ import annotations

from typing import Any

import pytest

from telbill.core.care.coverage import coverage_of
from telbill.core.catalog.pricing import PricingContext
from telbill.core.catalog.schema import Catalog, Item, Segment
from telbill.core.errors import TelbillError
from tests.catalogs.conftest import seed_catalog

BELGACOM = seed_catalog("belgacom-fees-indemnities")


def context_with(*items: dict[str, Any]) -> PricingContext:
    version = BELGACOM.versions[-1]
    extra = tuple(Item.model_validate(item) for item in items)
    changed = version.model_copy(update={"items": (*version.items, *extra)})
    catalog: Catalog = BELGACOM.model_copy(update={"versions": (changed,)})
    return PricingContext(catalog, changed, Segment.RESIDENTIAL)


def item(code: str, kind: str, feature: str, value: str) -> dict[str, Any]:
    return {
        "code": code, "label": code, "kind": kind, "charge": "monthly", "vat": "S21",
        "price": {"rule": "flat", "price": {"tvac": "12.10"}},
        "includes": [{"feature": feature, "label": code, "value": value}],
    }  # fmt: skip


def test_every_line_type_of_the_catalog_has_its_class() -> None:
    context = context_with()
    found = {plan: [t.code for t in coverage_of(context, plan, ()).classes] for plan in (
        "LINE-CLASSIC", "LINE-DUO", "LINE-ISDN2", "LINE-TWIN", "LINE-ISDN30", "LINE-R2")}  # fmt: skip
    assert found == {"LINE-CLASSIC": ["BASE-LINE"], "LINE-DUO": ["BASE-LINE"], "LINE-ISDN2": ["BASE-LINE"],
                     "LINE-TWIN": ["BASE-LINE"], "LINE-ISDN30": ["ISDN30"], "LINE-R2": ["R2"]}  # fmt: skip


def test_both_complements_add_their_classes_and_fees() -> None:
    cover = coverage_of(context_with(), "LINE-ISDN2", ("COMPLEMENT-PRIVILEGE-GARANTIE", "COMPLEMENT-BELGACOM-OFFICE"))
    assert [t.code for t in cover.classes] == ["BASE-LINE", "PRIVILEGE-GARANTIE", "BELGACOM-OFFICE"]
    # ISDN-2 36.30; complements 12.10 + 24.20 = 36.30
    assert (str(cover.fees.base), str(cover.fees.complementary)) == ("36.30", "36.30")


def test_an_option_naming_an_unknown_sla_class_is_refused() -> None:
    context = context_with(item("GOLD-CARE", "option", "sla_class", "GOLD"))
    with pytest.raises(TelbillError) as error:
        coverage_of(context, "LINE-CLASSIC", ("GOLD-CARE",))
    assert (error.value.code, error.value.field) == ("sla.unknown_class", "GOLD")


def test_an_option_naming_a_base_class_is_refused() -> None:
    context = context_with(item("FAKE-COMPLEMENT", "option", "sla_class", "ISDN30"))
    with pytest.raises(TelbillError) as error:
        coverage_of(context, "LINE-CLASSIC", ("FAKE-COMPLEMENT",))
    assert error.value.code == "sla.not_complementary"


def test_a_line_type_no_class_covers_is_refused() -> None:
    context = context_with(item("LINE-FIBRE", "plan", "line_type", "fibre"))
    with pytest.raises(TelbillError) as error:
        coverage_of(context, "LINE-FIBRE", ())
    assert error.value.code == "sla.no_class"
