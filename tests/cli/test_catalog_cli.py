"""The command line: catalog check, catalog schema, quote and demo, on small fixture catalogs.

Every amount below is worked out by hand from tests/fixtures/catalogs/valid/shop.yaml (basis TVAC, 21 %).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from telbill.app.catalog import parse_order_tokens
from telbill.cli.main import app
from telbill.core.errors import TelbillError
from tests.conftest import CATALOGS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "catalogs"
VALID, BROKEN = FIXTURES / "valid", FIXTURES / "broken"


def run(*args: str, catalogs: Path = VALID) -> Result:
    env = {"TELBILL_CATALOG_DIR": str(catalogs), "COLUMNS": "200"}
    return CliRunner().invoke(app, list(args), env=env)


def quote_json(*tokens: str, segment: str = "residential") -> dict[str, Any]:
    result = run("quote", "--catalog", "shop", "--date", "2024-06-01", "--segment", segment, "--json", *tokens)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


# --- catalog check -------------------------------------------------------------------------------------


def test_check_reports_every_problem_of_every_file_and_exits_1() -> None:
    result = run("catalog", "check", str(BROKEN))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    bad_refs, malformed, many = (
        str(BROKEN / name) for name in ("bad-refs.yaml", "malformed.yaml", "many-problems.yaml")
    )
    expected_prefixes = [
        f"{bad_refs}:16:29: error reference.unknown: OPTION-Z is not the code of any item of this version",
        f"{bad_refs}:17:9: warning item.no_vat: OPTION-A has no VAT category",
        f"{bad_refs}:21:15: error code.duplicate: item code OPTION-A is already used by versions[0].items[1]",
        f"{bad_refs}:31:17: error calendar.hours: calendar BACKWARDS closes at 08:00, not after it opens at 16:30",
        f"{malformed}:3:16: error yaml.syntax: mapping values are not allowed here",
        f"{many}:7:1: error schema.unknown_field: unknown field 'colour'",
        f'{many}:16:43: error schema.invalid: 13.5 is a float; write amounts as strings such as "13.50"',
        f"{many}:21:43: error schema.invalid: '-3.00' is negative",
        f"{many}:22:9: error schema.invalid: an item needs exactly one of 'price' and 'by_segment'",
        f"{many}:30:29: error schema.invalid: a price needs htva or tvac (or both)",
        f"{many}:35:9: error schema.missing: missing field 'price'",
        f"{many}:41:23: error schema.unknown_rule: unknown rule 'flatt'",
        f"{many}:46:9: error schema.unknown_field: unknown field 'prize'",
    ]
    finding_lines = [line for line in lines if ": error " in line or ": warning " in line]
    assert len(finding_lines) == len(expected_prefixes)
    for line, prefix in zip(finding_lines, expected_prefixes, strict=True):
        assert line.startswith(prefix), (line, prefix)
    assert lines[-1] == "checked 3 catalog files: 12 errors, 1 warning"


def test_check_names_the_field_of_each_finding() -> None:
    result = run("catalog", "check", str(BROKEN / "many-problems.yaml"))
    assert "[versions[0].items[0] (code FLOAT-PRICE).price.price.tvac]" in result.stdout


def test_check_without_files_checks_the_catalog_directory_and_exits_0_on_warnings_only() -> None:
    result = run("catalog", "check")
    assert result.exit_code == 0, result.output
    shop = VALID / "shop.yaml"
    # TRENCH: 15.00 / 1.21 = 12.396… → 12.40, but the sheet prints 12.39 (line 28, the "htva" value at column 75)
    assert f"{shop}:28:75: warning price.pair_mismatch: TVAC 15.00 and HTVA 12.39 disagree" in result.stdout
    assert result.stdout.splitlines()[-1] == "checked 1 catalog file: 0 errors, 1 warning"


def test_check_without_any_catalog_file_is_an_error(tmp_path: Path) -> None:
    result = run("catalog", "check", catalogs=tmp_path)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error catalog.none: no catalog file in {tmp_path}")


def test_check_json_lists_the_findings() -> None:
    result = run("catalog", "check", "--json", str(BROKEN / "bad-refs.yaml"))
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert [(f["line"], f["column"], f["severity"], f["code"]) for f in findings] == [
        (16, 29, "error", "reference.unknown"),
        (17, 9, "warning", "item.no_vat"),
        (21, 15, "error", "code.duplicate"),
        (31, 17, "error", "calendar.hours"),
    ]
    assert findings[0]["field"] == "versions[0].items[0] (code PLAN-A).options[1]"
    assert findings[0]["file"] == str(BROKEN / "bad-refs.yaml")


def test_schema_prints_the_json_schema_with_the_file_spelling() -> None:
    result = run("catalog", "schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "Catalog"
    assert {"id", "price_basis", "versions"} <= set(schema["required"])
    assert "from" in schema["$defs"]["Band"]["properties"]  # the alias, not the attribute from_


# --- quote ---------------------------------------------------------------------------------------------


def test_quote_prices_lines_and_totals_per_vat_category() -> None:
    data = quote_json("PLAN-A", "OPTION-A", "TRENCH=12", "DAYS=25", "REMINDER", segment="professional")
    # PLAN-A 24.20 / 1.21 = 20.00; OPTION-A 12.10 / 1.21 = 10.00; TRENCH 12 × 12.40 = 148.80;
    # DAYS=25: one 30-day period (27.00 / 1.21 = 22.314 → 22.31) beats three 10-day ones (3 × 7.44 = 22.32);
    # REMINDER professional 15.00, outside the scope of VAT.
    assert [(line["code"], line["quantity"], line["htva"]) for line in data["lines"]] == [
        ("PLAN-A", "1", "20.00"),
        ("OPTION-A", "1", "10.00"),
        ("TRENCH", "12", "148.80"),
        ("DAYS", "25", "22.31"),
        ("REMINDER", "1", "15.00"),
    ]
    # TRENCH alone: 148.80 × 0.21 = 31.248 → 31.25, so 180.05 VAT included
    trench = data["lines"][2]
    assert (trench["indicative_vat"], trench["indicative_tvac"]) == ("31.25", "180.05")
    # S 21 %: 20.00 + 10.00 + 148.80 + 22.31 = 201.11, VAT 201.11 × 0.21 = 42.2331 → 42.23; O: 15.00
    assert [(v["category"], v["rate"], v["taxable"], v["vat"]) for v in data["vat"]] == [
        ("S", "21", "201.11", "42.23"),
        ("O", "0", "15.00", "0.00"),
    ]
    assert data["totals"] == {"htva": "216.11", "vat": "42.23", "tvac": "258.34"}


def test_quote_lines_carry_their_provenance() -> None:
    data = quote_json("TRENCH=12")
    assert data["lines"][0]["provenance"] == {
        "catalog": "shop",
        "version": "2024",
        "item": "TRENCH",
        "rule": "per_unit",
        "inputs": {},
        "explanation": "12 metre × 12.40 = 148.80",
    }
    assert (data["version"], data["date"], data["segment"]) == ("2024", "2024-06-01", "residential")


def test_the_segment_chooses_the_by_segment_price() -> None:
    assert quote_json("REMINDER")["totals"]["htva"] == "13.00"
    assert quote_json("REMINDER", segment="professional")["totals"]["htva"] == "15.00"


def test_quote_prints_a_table_with_provenance_and_totals() -> None:
    result = run("quote", "--catalog", "shop", "--date", "2024-06-01", "TRENCH=12", "REMINDER")
    assert result.exit_code == 0, result.output
    for expected in ("TRENCH", "148.80", "31.25", "180.05", "rule per_unit", "12 metre × 12.40 = 148.80"):
        assert expected in result.stdout
    # S: 148.80, VAT 31.25; O: 13.00 (residential); totals 161.80 / 31.25 / 193.05
    for expected in ("Total HTVA", "161.80", "Total TVAC", "193.05", "VATEX-EU-O"):
        assert expected in result.stdout


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        (["TRENCH=-3"], "error order.quantity: TRENCH=-3: the quantity must be above 0 [TRENCH.quantity]"),
        (["FLAT=1.5"], "error order.quantity: FLAT=1.5: the quantity must be a whole number above 0 [FLAT.quantity]"),
        (["DAYS=0"], "error order.quantity: DAYS=0: the quantity must be a whole number above 0 [DAYS.quantity]"),
        (["TRENCH=ten"], "error money.syntax: 'ten' is not a number [TRENCH.quantity]"),
        (["NOPE"], "error catalog.unknown_item: NOPE is not an item of shop version 2024 [NOPE]"),
        (
            ["amount=3", "FLAT"],
            "error order.param_before_item: the parameter amount=3 comes before any item: "
            "write it after the item it belongs to [amount]",
        ),
        (["FLAT", "colour=blue"], "error order.unknown_param: FLAT (flat) takes no parameter 'colour'"),
        (["Flat"], "error order.token: 'Flat' is neither an item"),
    ],
)
def test_an_impossible_basket_is_an_error_on_stderr_with_exit_2(tokens: list[str], expected: str) -> None:
    result = run("quote", "--catalog", "shop", "--date", "2024-06-01", *tokens)
    assert result.exit_code == 2
    assert result.stderr.startswith(expected), result.stderr
    assert result.stdout == ""


def test_a_date_before_the_first_version_is_an_error() -> None:
    result = run("quote", "--catalog", "shop", "--date", "2023-12-31", "FLAT")
    assert result.exit_code == 2
    assert result.stderr.startswith("error catalog.no_version: catalog shop has no version in effect on 2023-12-31")


def test_an_unknown_catalog_is_an_error() -> None:
    result = run("quote", "--catalog", "nope", "FLAT")
    assert result.exit_code == 2
    assert result.stderr.startswith("error catalog.not_found: no catalog 'nope' in the library (catalogs: shop)")


def test_a_catalog_with_errors_cannot_quote_and_exits_1() -> None:
    result = run("quote", "--catalog", "bad-refs", "PLAN-A", catalogs=BROKEN)
    assert result.exit_code == 1
    assert "error catalog.invalid:" in result.stderr
    assert f"{BROKEN / 'bad-refs.yaml'}:16:29: error reference.unknown" in result.stderr


def test_parameters_attach_to_the_item_before_them() -> None:
    orders = parse_order_tokens(["SOCIAL=2", "of=MOVE-SOCKET", "DEPOSIT", "amount=100"])
    assert [(o.code, o.quantity, o.params) for o in orders] == [
        ("SOCIAL", 2, (("of", "MOVE-SOCKET"),)),
        ("DEPOSIT", None, (("amount", "100"),)),
    ]
    with pytest.raises(TelbillError, match="needs a value"):
        parse_order_tokens(["DEPOSIT", "amount="])


# --- demo ----------------------------------------------------------------------------------------------


@pytest.mark.skipif(not (CATALOGS / "belgacom-fees-indemnities.yaml").is_file(), reason="seed catalogs absent")
def test_demo_checks_both_seed_catalogs_and_quotes_the_issue_baskets() -> None:
    result = run("demo", catalogs=CATALOGS)
    assert result.exit_code == 0, result.output
    assert "checked 2 catalog files: 0 errors" in result.stdout
    # Telenet, professional: 69.64 + 8.00 + 15.00 + 200.00 = 292.64; VAT 61.4544 → 61.45; 354.09
    # Belgacom: 148.80 + 66.12 + 200.00 + 4.00 + 24.79 + 278.88 = 722.59; VAT 151.7439 → 151.74; 874.33
    for total in ("292.64", "61.45", "354.09", "722.59", "151.74", "874.33"):
        assert total in result.stdout
