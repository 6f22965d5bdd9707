"""Every e-invoice the bill run produces passes the three validation layers (UBL 2.1 XSD, CEN EN 16931,
Peppol BIS 3.0): the documents of every golden scenario and of the demo customers, for each professional
account (residential customers receive no e-invoice)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from telbill.adapters.rendering.einvoice_validation import EInvoiceValidator
from telbill.adapters.rendering.ubl import render_ubl
from telbill.app.scenario_schema import Scenario
from telbill.app.scenarios import replay
from telbill.app.store import StoredDocument
from tests.app.builders import Operator
from tests.conftest import PROJECT

SOURCES = {
    **{f"golden/{p.stem}": [p] for p in sorted((PROJECT / "tests" / "scenarios").glob("*.yaml"))},
    "demo": sorted((PROJECT / "demo").glob("*.yaml")),
}


def _scenario(path: Path) -> Scenario:
    return Scenario.model_validate(YAML(typ="safe").load(path.read_text(encoding="utf-8")))


def professional_documents(paths: list[Path]) -> list[StoredDocument]:
    operator = Operator()
    scenarios = [_scenario(p) for p in paths]
    documents = replay(operator.deps(), scenarios)
    professional = {s.customer.id for s in scenarios if s.customer.segment == "professional"}
    return [d for d in documents if d.account_id in professional]


@pytest.fixture(scope="module")
def validator(shared_dir: Path) -> EInvoiceValidator:
    return EInvoiceValidator(shared_dir / "einvoice")


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_every_generated_einvoice_passes_the_three_layers(source: str, validator: EInvoiceValidator) -> None:
    documents = professional_documents(SOURCES[source])
    failures = {
        d.document.number: [str(f) for f in report.fatal]
        for d in documents
        if not (report := validator.validate(render_ubl(d.document))).ok
    }
    assert failures == {}


def test_the_sources_hold_professional_invoices_and_credit_notes() -> None:
    # guards the test above against validating nothing
    documents = [d for paths in SOURCES.values() for d in professional_documents(paths)]
    kinds = {d.document.type.name for d in documents}
    assert len(documents) >= 20 and kinds == {"INVOICE", "CREDIT_NOTE"}
