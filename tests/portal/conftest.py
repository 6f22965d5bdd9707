"""Fixtures of the portal tests: the API tests' demo world (``tests/api/world.py``), a served copy per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.world import Served, Template, build_template, served


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    return build_template(tmp_path_factory.mktemp("demo-world"))


@pytest.fixture
def world(demo_template: Template, tmp_path: Path) -> Iterator[Served]:
    yield from served(demo_template, tmp_path)
