"""The usage section of a catalog version is refused unless every record it could meet has exactly one tariff."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pydantic import ValidationError

from telbill.core.catalog.usage import UsageTariffs

SMALL: dict[str, Any] = {
    "countries": {"home": ["BE"], "eu": ["FR"]},
    "zones": [
        {"code": "BE", "label": "Belgique", "prefixes": ["+32"]},
        {"code": "REST", "label": "Reste", "prefixes": ["+", "#"]},
    ],
    "tariffs": [
        {"code": "CALL", "label": "Appels", "service": "voice", "rate": "0.10", "per": "minute", "minimum": 60},
        {"code": "SMS", "label": "SMS", "service": "sms", "rate": "0.10", "per": "message"},
        {"code": "DATA", "label": "Données", "service": "data", "rate": "0.02", "per": "megabyte"},
    ],
    "allowances": [{"code": "MIN", "label": "Minutes", "quantity": 100, "unit": "minute"}],
    "rules": [
        {
            "service": "voice",
            "from": ["home", "eu", "world"],
            "to": ["BE", "REST"],
            "tariff": "CALL",
            "allowance": "MIN",
        },
        {"service": "sms", "from": ["home", "eu", "world"], "to": ["BE", "REST"], "tariff": "SMS"},
        {"service": "data", "from": ["home", "eu", "world"], "tariff": "DATA"},
    ],
}


def changed(path: list[str | int], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(SMALL)
    node: Any = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return data


def refusal(data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        UsageTariffs.model_validate(data)
    return str(caught.value)


def test_a_complete_section_is_accepted() -> None:
    usage = UsageTariffs.model_validate(SMALL)
    assert usage.allowance("MIN").charging_units == 6000  # 100 minutes in seconds


def test_a_combination_without_rule_is_refused() -> None:
    rules = [SMALL["rules"][0], SMALL["rules"][2]]
    message = refusal(changed(["rules"], rules))
    assert "no rule prices sms from home to BE" in message
    assert "no rule prices sms from world to REST" in message


def test_a_combination_with_two_rules_is_refused() -> None:
    rules = [*SMALL["rules"], {"service": "data", "from": ["eu"], "tariff": "DATA"}]
    assert "2 rules price data from eu" in refusal(changed(["rules"], rules))


def test_unknown_references_and_services_that_disagree_are_refused() -> None:
    rule = {"service": "voice", "from": ["home", "eu", "world"], "to": ["BE", "NOWHERE"], "tariff": "SMS"}
    message = refusal(changed(["rules", 0], rule))
    assert "rules[0] names unknown zone NOWHERE" in message
    assert "rules[0]: tariff SMS is a sms tariff" in message


def test_an_allowance_of_another_service_is_refused() -> None:
    rule = {**SMALL["rules"][2], "allowance": "MIN"}
    assert "allowance MIN is counted in minutes" in refusal(changed(["rules", 2], rule))


def test_every_canonical_number_needs_a_zone() -> None:
    zones = [SMALL["zones"][0], {"code": "REST", "label": "Reste", "prefixes": ["+"]}]
    assert "no zone has the catch-all prefix '#'" in refusal(changed(["zones"], zones))


def test_a_prefix_in_two_zones_is_refused() -> None:
    zones = [SMALL["zones"][0], {"code": "REST", "label": "Reste", "prefixes": ["+", "#", "+32"]}]
    assert "prefix '+32' belongs to two zones" in refusal(changed(["zones"], zones))


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("rate", "0.1234567", "more than 6 decimals"),
        ("rate", 0.1, "float"),
        ("rate", "-1", "negative"),
        ("per", "megabyte", "a voice tariff is priced per minute"),
        ("increment", 0, "greater than 0"),
    ],
)
def test_tariff_fields_are_checked(field: str, value: Any, words: str) -> None:
    assert words in refusal(changed(["tariffs", 0, field], value))


def test_prefixes_are_canonical() -> None:
    zones = [{"code": "BE", "label": "Belgique", "prefixes": ["0032"]}, SMALL["zones"][1]]
    assert "String should match pattern" in refusal(changed(["zones"], zones))
