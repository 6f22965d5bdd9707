"""`catalog check` on a dunning policy: a fee that names no item of its version is a located error.

Lines and columns are 1-based and counted by hand in the text below.
"""

from __future__ import annotations

from telbill.adapters.catalog_yaml import load_catalog_text
from telbill.app.catalog import check_file
from telbill.core.errors import Severity

TEXT = """\
id: tiny
name: Tiny
operator: Test operator
language: en
price_basis: tvac
versions:
  - version: "2024"
    effective_from: 2024-01-01
    items:
      - {code: REMINDER-FEE, label: Reminder, kind: fee, vat: S21, price: {rule: flat, price: {tvac: "13.00"}}}
    dunning:
      steps:
        - {step: reminder, days: 14, fee: REMINDER-FEE}
        - {step: reminder, days: 28, fee: REMINDER-FE}
        - {step: suspension, days: 42, fee: SUSPEND-FEE}
      returned_debit_fee: RETURN-FEE
"""


def test_a_dunning_fee_that_names_no_item_is_an_error_at_its_field() -> None:
    checked = check_file(load_catalog_text(TEXT, "tiny.yaml"))
    unknown = [f for f in checked.findings if f.code == "reference.unknown"]
    # line 14 "        - {step: reminder, days: 28, fee: REMINDER-FE}": the value starts at column 43;
    # line 15 "        - {step: suspension, days: 42, fee: SUSPEND-FEE}": at column 45;
    # line 16 "      returned_debit_fee: RETURN-FEE": at column 27. The first step's fee is an item: no finding.
    assert [(f.location.line, f.location.column, f.location.field) for f in unknown] == [
        (14, 43, "versions[0].dunning.steps[1].fee"),
        (15, 45, "versions[0].dunning.steps[2].fee"),
        (16, 27, "versions[0].dunning.returned_debit_fee"),
    ]
    assert all(f.severity is Severity.ERROR and f.location.file == "tiny.yaml" for f in unknown)
    assert unknown[0].message == "REMINDER-FE is not the code of any item of this version (did you mean REMINDER-FEE?)"
    assert unknown[2].message.startswith("RETURN-FEE is not the code of any item of this version")


def test_a_dunning_policy_whose_fees_are_items_has_no_finding() -> None:
    text = TEXT.replace("REMINDER-FE}", "REMINDER-FEE}").replace("fee: SUSPEND-FEE", "fee: REMINDER-FEE")
    text = text.replace("RETURN-FEE", "REMINDER-FEE")
    checked = check_file(load_catalog_text(text, "tiny.yaml"))
    assert [f for f in checked.findings if f.code == "reference.unknown"] == []
