"""Catalog use cases with an in-memory catalog source, and where the composition root finds the catalogs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest

from telbill.app.bootstrap import catalog_directory
from telbill.app.catalog import CatalogInvalidError, check_catalogs, load_catalog, quote
from telbill.app.ports import LoadResult, Locator
from telbill.core.catalog.inputs import Order
from telbill.core.catalog.schema import Catalog, Segment
from telbill.core.errors import Finding, Location, Severity, TelbillError


def catalog(catalog_id: str, *, options: Sequence[str] = ()) -> Catalog:
    return Catalog.model_validate(
        {
            "id": catalog_id,
            "name": catalog_id.title(),
            "operator": "Test operator",
            "language": "en",
            "price_basis": "htva",
            "versions": [
                {
                    "version": "2024",
                    "effective_from": "2024-01-01",
                    "items": [
                        {
                            "code": "PLAN-A",
                            "label": "Plan A",
                            "kind": "plan",
                            "vat": "S21",
                            "price": {"rule": "flat", "price": {"htva": "20.00"}},
                            "options": list(options),
                        }
                    ],
                }
            ],
        }
    )


def at_line_10(source: str) -> Locator:
    """A stand-in for the YAML locator: every field is on line 10, column 3 of ``source``."""

    def locate(finding: Finding) -> Finding:
        return replace(finding, location=replace(finding.location, file=source, line=10, column=3))

    return locate


@dataclass(frozen=True)
class FakeSource:
    results: dict[str, LoadResult]

    def catalog_files(self, paths: Sequence[Path] = ()) -> tuple[Path, ...]:
        return tuple(paths) or tuple(Path(name) for name in sorted(self.results))

    def load(self, path: Path) -> LoadResult:
        return self.results[str(path)]


def source(*results: LoadResult) -> FakeSource:
    return FakeSource({result.source: result for result in results})


GOOD = LoadResult(catalog("good"), (), "good.yaml", at_line_10("good.yaml"))
# OPT-X is not an item: the check finds an error, which the locator puts at line 10
UNKNOWN_OPTION = LoadResult(catalog("refs", options=["OPT-X"]), (), "refs.yaml", at_line_10("refs.yaml"))
SYNTAX = Finding("yaml.syntax", Severity.ERROR, "bad", Location("broken.yaml", 4, 2))
BROKEN = LoadResult(None, (SYNTAX,), "broken.yaml")


def test_check_catalogs_gathers_located_findings_of_every_file_in_order() -> None:
    report = check_catalogs(source(UNKNOWN_OPTION, GOOD, BROKEN))
    assert [(f.location.file, f.location.line, f.code) for f in report.findings] == [
        ("broken.yaml", 4, "yaml.syntax"),
        ("refs.yaml", 10, "reference.unknown"),
    ]
    assert [file.source for file in report.files] == ["broken.yaml", "good.yaml", "refs.yaml"]
    assert report.count(Severity.ERROR) == 2 and report.has_errors


def test_check_catalogs_of_named_files_only() -> None:
    report = check_catalogs(source(GOOD, BROKEN), [Path("good.yaml")])
    assert [file.source for file in report.files] == ["good.yaml"]
    assert not report.has_errors


def test_load_catalog_refuses_an_unknown_id_and_a_catalog_with_errors() -> None:
    library = source(GOOD, UNKNOWN_OPTION)
    assert load_catalog(library, "good").id == "good"
    with pytest.raises(TelbillError, match="no catalog 'nope' in the library \\(catalogs: good, refs\\)"):
        load_catalog(library, "nope")
    with pytest.raises(CatalogInvalidError) as raised:
        load_catalog(library, "refs")
    assert [f.code for f in raised.value.findings] == ["reference.unknown"]


def test_quote_uses_the_version_in_effect_on_the_day() -> None:
    result = quote(source(GOOD), "good", [Order("PLAN-A")], Segment.RESIDENTIAL, date(2024, 3, 1))
    # 20.00 net, VAT 20.00 × 0.21 = 4.20
    assert (str(result.quote.totals.net), str(result.quote.totals.vat)) == ("20.00", "4.20")
    with pytest.raises(TelbillError, match="no version in effect on 2023-12-31"):
        quote(source(GOOD), "good", [Order("PLAN-A")], Segment.RESIDENTIAL, date(2023, 12, 31))
    with pytest.raises(TelbillError, match="at least one item"):
        quote(source(GOOD), "good", [], Segment.RESIDENTIAL, date(2024, 3, 1))


def test_the_catalog_directory_is_the_variable_then_the_working_directory_then_the_project(tmp_path: Path) -> None:
    assert catalog_directory({"TELBILL_CATALOG_DIR": "/somewhere"}, tmp_path) == Path("/somewhere")
    project = Path(__file__).resolve().parents[2] / "catalogs"
    assert catalog_directory({}, tmp_path) == (project if project.is_dir() else tmp_path / "catalogs")
    (tmp_path / "catalogs").mkdir()
    assert catalog_directory({}, tmp_path) == tmp_path / "catalogs"
