"""Golden scenarios: each file in this folder replays a timeline and states, worked out by hand from the
seed sheets, every document it must produce. Any difference — a missing, extra or different document —
fails with the scenario's own words."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from telbill.app.scenario_schema import Scenario
from telbill.app.scenarios import run_scenario
from tests.app.builders import Operator

FILES = sorted(Path(__file__).parent.glob("*.yaml"))


def load(path: Path) -> Scenario:
    return Scenario.model_validate(YAML(typ="safe").load(path.read_text(encoding="utf-8")))


def test_there_are_at_least_twelve_golden_scenarios() -> None:
    assert len(FILES) >= 12


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_golden_scenario(path: Path) -> None:
    scenario = load(path)
    assert scenario.expect, f"{path.name} states no expected documents"
    result = run_scenario(Operator().deps(), scenario)
    assert list(result.mismatches) == []
    assert [d.document.number for d in result.documents] == [e.number for e in scenario.expect]
