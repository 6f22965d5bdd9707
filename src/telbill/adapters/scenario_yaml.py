"""Scenario files (docs/scenarios.md) from YAML, with every problem located at file:line:column."""

from __future__ import annotations

from pathlib import Path

from telbill.adapters.catalog_yaml import load_model_text
from telbill.app.scenario_schema import Scenario
from telbill.core.errors import ErrorKind, Finding, TelbillError


class ScenarioFileError(TelbillError):
    def __init__(self, source: str, findings: tuple[Finding, ...]) -> None:
        lines = "\n".join(f"  {finding}" for finding in findings)
        super().__init__("scenario.invalid", f"{source} is not a valid scenario:\n{lines}", ErrorKind.INVALID)
        self.findings = findings


def load_scenario(path: Path) -> Scenario:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise TelbillError("scenario.unreadable", f"{path}: {error.strerror}", ErrorKind.NOT_FOUND) from None
    shape = "a scenario file holds one mapping with name, catalog, customer, subscriptions and events"
    scenario, findings = load_model_text(text, str(path), Scenario, shape)
    if scenario is None:
        raise ScenarioFileError(str(path), findings)
    return scenario


def load_scenarios(folder: Path) -> list[Scenario]:
    return [load_scenario(path) for path in sorted(folder.glob("*.yaml"))]
