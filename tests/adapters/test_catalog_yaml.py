"""The YAML catalog loader: every problem of a file in one run, each at its file:line:column.

Lines and columns are 1-based and were counted by hand in the fixtures (tests/fixtures/catalogs/) and in
the small texts below.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from telbill.adapters.catalog_yaml import YamlCatalogSource, load_catalog_file, load_catalog_text, load_catalogs
from telbill.core.errors import Finding, Location, Severity
from tests.conftest import CATALOGS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "catalogs"

HEADER = """\
id: tiny
name: Tiny
operator: Test operator
language: en
price_basis: tvac
versions:
  - version: "2024"
    effective_from: 2024-01-01
    items:
"""  # nine lines: the first item starts on line 10


def load(items: str) -> tuple[Finding, ...]:
    """Load ``items`` as the item list of HEADER, indented by six spaces ("      - code: …")."""
    return load_catalog_text(HEADER + textwrap.indent(textwrap.dedent(items), " " * 6), "tiny.yaml").findings


def where(finding: Finding) -> tuple[int | None, int | None, str | None]:
    return finding.location.line, finding.location.column, finding.location.field


def test_a_valid_file_loads_without_finding() -> None:
    result = load_catalog_file(FIXTURES / "valid" / "shop.yaml")
    assert result.findings == ()
    assert result.catalog is not None
    assert [item.code for item in result.catalog.versions[0].items] == [
        "PLAN-A",
        "OPTION-A",
        "TRENCH",
        "FLAT",
        "DAYS",
        "REMINDER",
    ]
    assert result.source.endswith("shop.yaml")


def test_malformed_yaml_is_one_finding_at_the_parser_position() -> None:
    # line 3 is "name: Malformed: yes": the second colon is the 16th character
    result = load_catalog_file(FIXTURES / "broken" / "malformed.yaml")
    [finding] = result.findings
    assert result.catalog is None
    assert (finding.code, finding.severity) == ("yaml.syntax", Severity.ERROR)
    assert (finding.location.file, finding.location.line, finding.location.column) == (
        str(FIXTURES / "broken" / "malformed.yaml"),
        3,
        16,
    )
    assert "mapping values are not allowed here" in finding.message


def test_every_problem_of_a_file_is_reported_in_one_run() -> None:
    result = load_catalog_file(FIXTURES / "broken" / "many-problems.yaml")
    assert result.catalog is None
    found = sorted((f.location.line or 0, f.location.column or 0, f.code, f.location.field) for f in result.findings)
    assert found == [
        (7, 1, "schema.unknown_field", "colour"),
        (16, 43, "schema.invalid", "versions[0].items[0] (code FLOAT-PRICE).price.price.tvac"),
        (21, 43, "schema.invalid", "versions[0].items[1] (code NEGATIVE).price.price.tvac"),
        (22, 9, "schema.invalid", "versions[0].items[2] (code NO-PRICE)"),
        (30, 29, "schema.invalid", "versions[0].items[3] (code EMPTY-PRICE).price.price"),
        (35, 9, "schema.missing", "versions[0].items[4] (code FLAT-WITHOUT-PRICE).price.price"),
        (41, 23, "schema.unknown_rule", "versions[0].items[5] (code TYPO).price.rule"),
        (46, 9, "schema.unknown_field", "versions[0].items[6] (code TYPO-FIELD).prize"),
    ]
    assert all(f.severity is Severity.ERROR for f in result.findings)


def test_each_schema_finding_says_what_is_wrong() -> None:
    messages = {
        f.location.line: f.message for f in load_catalog_file(FIXTURES / "broken" / "many-problems.yaml").findings
    }
    assert messages[7].startswith("unknown field 'colour'")
    assert messages[16] == '13.5 is a float; write amounts as strings such as "13.50"'
    assert messages[21].startswith("'-3.00' is negative")
    assert messages[22] == "an item needs exactly one of 'price' and 'by_segment'"
    assert messages[30] == "a price needs htva or tvac (or both)"
    assert messages[35] == "missing field 'price'"
    assert messages[41].startswith("unknown rule 'flatt'; the rules are: flat, per_unit,")
    assert messages[46].startswith("unknown field 'prize'")


def test_a_finding_prints_as_file_line_column() -> None:
    [finding] = load_catalog_file(FIXTURES / "broken" / "malformed.yaml").findings
    assert str(finding).startswith(f"{FIXTURES / 'broken' / 'malformed.yaml'}:3:16: error yaml.syntax: ")


def test_a_duplicate_key_is_a_syntax_finding_at_the_second_key() -> None:
    [finding] = load(
        """\
          - code: FEE-A
            label: A
            label: B
        """
    )
    # "label" again on line 12, column 9 of "        label: B"
    assert (finding.code, finding.location.line, finding.location.column) == ("yaml.syntax", 12, 9)
    assert 'duplicate key "label"' in finding.message


def test_an_empty_file_or_a_list_is_not_a_catalog() -> None:
    for text in ("", "- a\n- b\n"):
        [finding] = load_catalog_text(text, "x.yaml").findings
        assert (finding.code, finding.location.line, finding.location.column) == ("schema.not_a_mapping", 1, 1)


def test_errors_below_a_segment_and_inside_a_variants_rule_are_located() -> None:
    # pydantic names the rule kind in its error path (…by_segment.residential.flat.price…); the loader
    # skips it, even for the variants rule whose list is also called "variants"
    findings = load(
        """\
          - code: FEE-A
            label: A
            kind: fee
            vat: S21
            by_segment:
              residential: {rule: flat, price: {tvac: 13.5}}
          - code: FEE-B
            label: B
            kind: fee
            vat: S21
            price:
              rule: variants
              parameter: range
              variants:
                - {value: standard, price: {tvac: 37.5}}
        """
    )
    # line 15 "          residential: {rule: flat, price: {tvac: 13.5}}": 13.5 at column 51
    # line 24 "            - {value: standard, price: {tvac: 37.5}}": 37.5 at column 47
    assert sorted(where(f) for f in findings) == [
        (15, 51, "versions[0].items[0] (code FEE-A).by_segment.residential.price.tvac"),
        (24, 47, "versions[0].items[1] (code FEE-B).price.variants[0].price.tvac"),
    ]


def test_a_year_written_as_a_number_names_the_value() -> None:
    item = "      - {code: FEE-A, label: A, kind: fee, vat: S21, price: {rule: free}}\n"
    [finding] = load_catalog_text(HEADER.replace('"2024"', "2024") + item, "tiny.yaml").findings
    # line 7 is "  - version: 2024": the value starts at column 14
    assert finding.location.field == "versions[0].version"
    assert finding.message == "Input should be a valid string (got 2024)"
    assert (finding.location.line, finding.location.column) == (7, 14)


def test_locate_puts_a_check_finding_at_its_node() -> None:
    result = load_catalog_file(FIXTURES / "broken" / "bad-refs.yaml")
    unknown = Finding("reference.unknown", Severity.ERROR, "…", Location(field="versions[0].items[0].options[1]"))
    no_vat = Finding("item.no_vat", Severity.WARNING, "…", Location(field="versions[0].items[1].vat"))
    # the second entry of "        options: [OPTION-A, OPTION-Z]" (line 16) starts at column 29; a missing
    # field falls back to its item, whose first key is at line 17, column 9
    assert where(result.locate(unknown)) == (16, 29, "versions[0].items[0] (code PLAN-A).options[1]")
    assert where(result.locate(no_vat)) == (17, 9, "versions[0].items[1] (code OPTION-A).vat")
    assert result.locate(unknown).location.file == str(FIXTURES / "broken" / "bad-refs.yaml")


def test_a_file_not_named_after_its_catalog_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "other.yaml"
    path.write_text((FIXTURES / "valid" / "shop.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    [finding] = load_catalog_file(path).findings
    # "id: shop" is line 2; the value starts at column 5
    assert (finding.code, finding.severity, finding.location.line, finding.location.column) == (
        "catalog.file_name",
        Severity.WARNING,
        2,
        5,
    )
    assert "shop.yaml" in finding.message


def test_a_missing_file_is_a_finding(tmp_path: Path) -> None:
    [finding] = load_catalog_file(tmp_path / "absent.yaml").findings
    assert finding.code == "file.unreadable" and "No such file" in finding.message


def test_a_directory_stands_for_its_catalog_files() -> None:
    results = load_catalogs([FIXTURES / "broken", FIXTURES / "valid" / "shop.yaml"])
    assert [Path(r.source).name for r in results] == [
        "bad-refs.yaml",
        "malformed.yaml",
        "many-problems.yaml",
        "shop.yaml",
    ]
    assert YamlCatalogSource(FIXTURES / "valid").catalog_files() == (FIXTURES / "valid" / "shop.yaml",)


def test_the_seed_catalogs_load_without_schema_finding() -> None:
    for path in sorted(CATALOGS.glob("*.yaml")):
        result = load_catalog_file(path)
        assert result.findings == (), path
        assert result.catalog is not None and result.catalog.id == path.stem
