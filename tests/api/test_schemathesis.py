"""Schemathesis against the OpenAPI document, in process (ASGI): every operation with generated requests,
valid and invalid, as the admin; every check of schemathesis must hold (no server error; statuses, media types,
headers and bodies as documented; invalid input refused; authentication not ignored).

Bounded: a few examples per operation and generation mode, derandomized, so the run is fast and the same every
time. (Schemathesis's pytest plugin does not run on pytest 9 yet: its Python API is used directly.)

One setting departs from schemathesis's defaults, on purpose: a request that fits the document may still break a
rule of the domain (a VAT number whose check digits are wrong, a quantity an item does not allow, a transition
the lifecycle refuses), and the API answers it 422 — so 422 is an expected answer to schema-valid data. A request
the document itself refuses is 400, and schema-valid data answered 400 still fails the run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from telbill.app.access import Role
from tests.api.world import Served, Template

EXAMPLES = 5
DOMAIN_REFUSALS = ["2xx", "401", "403", "404", "409", "422", "429", "5xx"]  # 5xx: failed by its own check
CONFIG = schemathesis.Config.from_dict({"checks": {"positive_data_acceptance": {"expected-statuses": DOMAIN_REFUSALS}}})


@pytest.fixture(scope="module")
def fuzzed(demo_template: Template, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    world = Served(demo_template, Path(tmp_path_factory.mktemp("schemathesis")))
    try:
        yield world
    finally:
        world.close()


@pytest.mark.parametrize("mode", [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE])
def test_the_api_keeps_its_openapi_document(fuzzed: Served, mode: schemathesis.GenerationMode) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", fuzzed.app, config=CONFIG)
    headers = {"Authorization": f"Bearer {fuzzed.tokens[Role.ADMIN]}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers)

        check()
