"""The JSON Schema that editors use (docs/catalog.schema.json, referenced from each catalog file) is the
schema of the code: regenerate it with `make schema` when the catalog schema changes."""

from __future__ import annotations

import json

from telbill.app.catalog import catalog_json_schema
from tests.conftest import CATALOGS, PROJECT


def test_the_committed_json_schema_is_the_current_one() -> None:
    committed = json.loads((PROJECT / "docs" / "catalog.schema.json").read_text(encoding="utf-8"))
    assert committed == catalog_json_schema()


def test_every_catalog_file_points_editors_to_the_schema() -> None:
    for path in CATALOGS.glob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../docs/catalog.schema.json", path.name
