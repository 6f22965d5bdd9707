"""SEPA Core direct debit initiation, pain.008.001.08, written with ``sepaxml`` and validated against its XSD.

Contract: ``render_pain008(message) → bytes``, the same bytes for the same message: sepaxml invents its own
message id, creation time and payment information ids (random, and the clock), so those are replaced by
the message's own (``<MsgId>``, ``<CreDtTm>``, ``<MsgId>-<n>`` per batch) before the file is validated with
lxml against the pain.008.001.08 schema that sepaxml ships. A file that does not validate raises
``sepa.invalid`` naming the line and the schema's complaint: it is never handed out.

Each collection is one transaction: end-to-end id ``<document>/<attempt>``, the mandate's reference and date,
the debtor's IBAN (and BIC when known), and the document's structured communication as remittance.
Transactions are grouped by sequence type and collection date (sepaxml's batches), batch booking on.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from lxml import etree
from sepaxml import SepaDD

from telbill.core.billing.numbering import StructuredCommunication
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.receivables.collections import Collection, DirectDebitMessage

SCHEMA = "pain.008.001.08"
_NS = {"p": f"urn:iso:std:iso:20022:tech:xsd:{SCHEMA}"}


def render_pain008(message: DirectDebitMessage) -> bytes:
    if not message.collections:
        raise TelbillError("sepa.empty", f"message {message.message_id} collects nothing", ErrorKind.CONFLICT)
    creditor = message.creditor
    config = {"name": creditor.party.name, "IBAN": creditor.iban, "BIC": creditor.bic, "batch": True,
              "creditor_id": message.creditor_id, "currency": "EUR"}  # fmt: skip
    document = SepaDD(config, schema=SCHEMA, clean=True)
    for collection in message.collections:
        document.add_payment(_payment(collection))
    pinned = _pin(document.export(validate=False), message)
    validate_pain008(pinned)
    return pinned


def _payment(collection: Collection) -> dict[str, object]:
    communication = collection.communication
    remittance = str(StructuredCommunication(communication)) if communication else collection.document
    payment: dict[str, object] = {
        "name": collection.debtor,
        "IBAN": collection.iban,
        "amount": int(collection.amount.amount * 100),  # sepaxml counts cents
        "type": collection.sequence.value,
        "collection_date": collection.collection_date,
        "mandate_id": collection.mandate,
        "mandate_date": collection.mandate_signed,
        "description": f"{collection.document} {remittance}",
        "endtoend_id": collection.end_to_end,
    }
    if collection.bic:
        payment["BIC"] = collection.bic
    return payment


def _pin(xml: bytes, message: DirectDebitMessage) -> bytes:
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    _set(root, "p:CstmrDrctDbtInitn/p:GrpHdr/p:MsgId", message.message_id)
    _set(root, "p:CstmrDrctDbtInitn/p:GrpHdr/p:CreDtTm", message.created.strftime("%Y-%m-%dT%H:%M:%S"))
    for number, batch_id in enumerate(root.findall("p:CstmrDrctDbtInitn/p:PmtInf/p:PmtInfId", _NS), start=1):
        batch_id.text = f"{message.message_id}-{number}"
    result: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return result


def _set(root: etree._Element, path: str, value: str) -> None:
    element = root.find(path, _NS)
    if element is None:
        raise TelbillError("sepa.invalid", f"sepaxml wrote no {path}")
    element.text = value


def validate_pain008(xml: bytes) -> None:
    """Raise ``sepa.invalid`` with every complaint of the pain.008.001.08 schema (line: message)."""
    document = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    schema = _schema()
    if not schema.validate(document):
        complaints = "; ".join(f"line {e.line}: {e.message}" for e in schema.error_log)
        raise TelbillError("sepa.invalid", f"the pain.008 file does not validate: {complaints}")


@cache
def _schema() -> etree.XMLSchema:
    path = files("sepaxml").joinpath("schemas", f"{SCHEMA}.xsd")
    return etree.XMLSchema(etree.parse(str(path)))
