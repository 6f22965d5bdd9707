"""Core values ↔ table rows: pure functions, one pair per value, so the repositories only run queries.

Contract: ``x_from_row(x_row(value)) == value`` for every value the core can build (the contract tests
check the round trip on both databases). Decimals travel as ``Decimal``, never float; JSON holds text only
(amounts in snapshots are written as strings).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

from telbill.app.store import StoredDocument
from telbill.core.accounts import Account, Mandate, PaymentMethod, SequenceType
from telbill.core.billing.charges import ChargeKind, PendingCharge
from telbill.core.billing.draft import LineMeta
from telbill.core.billing.invoice import (
    DocumentReference,
    DocumentType,
    InvoiceDocument,
    InvoiceLine,
    InvoicePeriod,
    UnitCode,
)
from telbill.core.billing.numbering import StructuredCommunication
from telbill.core.billing.parties import Language, Party, Seller
from telbill.core.catalog.inputs import Order
from telbill.core.catalog.pricing import Provenance
from telbill.core.catalog.schema import Segment
from telbill.core.money import Money
from telbill.core.subscriptions import Event, EventKind, Subscription
from telbill.core.tax.treatment import VatCategory, VatTreatment

Row = Mapping[Any, Any]  # SQLAlchemy's RowMapping, or a plain dict

_PARTY_FIELDS = ("name", "street", "postcode", "city", "country", "vat_number", "enterprise_number", "email")

E = TypeVar("E", bound=Enum)
T = TypeVar("T")


def _by_value(kind: type[E]) -> Callable[[Any], E]:
    """``kind(value)`` for the columns read with every account and subscription: a dict lookup, where
    EnumType.__call__ takes a microsecond of Python; an unknown value still goes to ``kind`` and is refused."""
    members = {member.value: member for member in kind}

    def member(value: Any) -> E:
        found = members.get(value)
        return found if found is not None else kind(value)

    return member


_language, _segment, _payment_method = _by_value(Language), _by_value(Segment), _by_value(PaymentMethod)
_event_kind = _by_value(EventKind)


def party_json(party: Party) -> dict[str, Any]:
    return {**{name: getattr(party, name) for name in _PARTY_FIELDS}, "language": party.language.value}


def party_from_json(data: Row) -> Party:
    return Party(**{name: data[name] for name in _PARTY_FIELDS}, language=_language(data["language"]))


def seller_json(seller: Seller) -> dict[str, Any]:
    return {"party": party_json(seller.party), "iban": seller.iban, "bic": seller.bic}


def seller_from_json(data: Row) -> Seller:
    return Seller(party_from_json(data["party"]), data["iban"], data["bic"])


def account_row(account: Account) -> dict[str, Any]:
    mandate = account.mandate
    return {
        "id": account.id,
        "segment": account.segment.value,
        "catalog_id": account.catalog_id,
        "billing_day": account.billing_day,
        "payment_method": account.payment_method.value,
        "payment_terms_days": account.payment_terms_days,
        **party_json(account.party),
        "mandate_reference": mandate.reference if mandate else None,
        "mandate_signed": mandate.signed if mandate else None,
        "mandate_iban": mandate.iban if mandate else None,
        "mandate_bic": mandate.bic if mandate else None,
        "mandate_sequence": mandate.sequence.value if mandate else None,
    }


def account_from_row(row: Row) -> Account:
    mandate = None
    if row["mandate_reference"] is not None:
        mandate = Mandate(
            row["mandate_reference"],
            row["mandate_signed"],
            row["mandate_iban"],
            row["mandate_bic"],
            SequenceType(row["mandate_sequence"]),
        )
    return Account(
        row["id"],
        party_from_json(row),
        _segment(row["segment"]),
        row["catalog_id"],
        row["billing_day"],
        _payment_method(row["payment_method"]),
        mandate,
        row["payment_terms_days"],
    )


def subscription_row(subscription: Subscription) -> dict[str, Any]:
    return {
        "id": subscription.id,
        "account_id": subscription.account_id,
        "plan_code": subscription.plan_code,
        "options": list(subscription.options),
        "numbers": list(subscription.numbers),
    }


def event_rows(subscription: Subscription) -> list[dict[str, Any]]:
    return [
        {"subscription_id": subscription.id, "seq": seq, "kind": e.kind.value, "day": e.day, "item_code": e.item_code}
        for seq, e in enumerate(subscription.events, start=1)
    ]


def subscription_from_rows(row: Row, events: Sequence[Row]) -> Subscription:
    """``events`` in ``seq`` order."""
    return Subscription(
        row["id"],
        row["account_id"],
        row["plan_code"],
        tuple(row["options"]),
        tuple(Event(_event_kind(e["kind"]), e["day"], e["item_code"]) for e in events),
        tuple(row["numbers"]),
    )


def charge_row(account_id: str, charge: PendingCharge) -> dict[str, Any]:
    return {
        "id": charge.id,
        "account_id": account_id,
        "subscription_id": charge.subscription_id,
        "order_code": charge.order.code,
        "order_quantity": charge.order.quantity,
        "order_params": [list(pair) for pair in charge.order.params],
        "day": charge.day,
        "reason": charge.reason,
    }


def charge_from_row(row: Row) -> PendingCharge:
    params = tuple((name, value) for name, value in row["order_params"])
    order = Order(row["order_code"], row["order_quantity"], params)
    return PendingCharge(row["id"], row["subscription_id"], order, row["day"], row["reason"])


def provenance_json(provenance: Provenance) -> dict[str, Any]:
    return {
        "catalog_id": provenance.catalog_id,
        "catalog_version": provenance.catalog_version,
        "item_code": provenance.item_code,
        "rule": provenance.rule,
        "inputs": [list(pair) for pair in provenance.inputs],
        "explanation": provenance.explanation,
    }


# A bill run stores the same few snapshots again and again: the core hands every line billed the same plan for
# the same period one provenance object, and every document of a catalog one seller. Their JSON dicts are built
# once per object, keyed by identity (the object is kept in the entry, so a recycled id() never matches); the
# dicts are shared, read-only, and ``bulk.py`` then encodes each one once per batch.
_SNAPSHOTS: dict[int, tuple[object, dict[str, Any]]] = {}
_SNAPSHOTS_KEPT = 4096


def _provenance_once(provenance: Provenance) -> dict[str, Any]:
    return _once(provenance, provenance_json)


def _seller_once(seller: Seller) -> dict[str, Any]:
    return _once(seller, seller_json)


def _once(value: T, encode: Callable[[T], dict[str, Any]]) -> dict[str, Any]:
    entry = _SNAPSHOTS.get(id(value))
    if entry is None or entry[0] is not value:
        if len(_SNAPSHOTS) >= _SNAPSHOTS_KEPT:
            _SNAPSHOTS.clear()
        entry = _SNAPSHOTS[id(value)] = (value, encode(value))
    return entry[1]


def provenance_from_json(data: Row) -> Provenance:
    inputs = tuple((name, value) for name, value in data["inputs"])
    return Provenance(
        data["catalog_id"], data["catalog_version"], data["item_code"], data["rule"], inputs, data["explanation"]
    )


def document_row(stored: StoredDocument) -> dict[str, Any]:
    document = stored.document
    totals = document.totals
    period, preceding, communication = document.billing_period, document.preceding, document.structured_communication
    return {
        "number": document.number,
        "type": document.type.value,
        "account_id": stored.account_id,
        "period": stored.period,
        "out_of_scope": stored.out_of_scope,
        "issue_date": document.issue_date,
        "due_date": document.due_date,
        "billing_start": period.start if period else None,
        "billing_end": period.end if period else None,
        "structured_communication": communication.digits if communication else None,
        "preceding_number": preceding.number if preceding else None,
        "preceding_issue_date": preceding.issue_date if preceding else None,
        "buyer_reference": document.buyer_reference,
        "note": document.note,
        "currency": document.currency,
        "seller": _seller_once(document.seller),
        "buyer": party_json(document.buyer),
        "total_net": totals.net.amount,
        "total_vat": totals.vat.amount,
        "total_gross": totals.gross.amount,
    }


def line_rows(stored: StoredDocument) -> list[dict[str, Any]]:
    number, account_id = stored.document.number, stored.account_id
    pairs = zip(stored.document.lines, stored.meta, strict=True)
    return [_line_row(number, account_id, line, meta) for line, meta in pairs]


def _line_row(number: str, account_id: str, line: InvoiceLine, meta: LineMeta) -> dict[str, Any]:
    # enum members' ``_value_``: ``.value`` is a Python-level property, read here four times for every line
    treatment, period = line.treatment, line.period
    return {
        "document_number": number,
        "line_no": line.number,
        "account_id": account_id,
        "item_code": line.item_code,
        "label": line.label,
        "quantity": line.quantity,
        "unit_code": line.unit_code._value_,
        "unit_price": line.unit_price,
        "net": line.net.amount,
        "vat_category": treatment.category._value_,
        "vat_rate": treatment.rate,
        "vat_exemption": treatment.exemption_code,
        "service_start": period.start if period else None,
        "service_end": period.end if period else None,
        "provenance": _provenance_once(line.provenance),
        "kind": meta.kind._value_,
        "subscription_id": meta.subscription_id,
        "source_id": meta.source_id,
        "period_start": meta.period_start,
        "signed_net": meta.signed_net.amount,
    }


def stored_from_rows(row: Row, lines: Sequence[Row]) -> StoredDocument:
    """``lines`` in ``line_no`` order."""
    document = InvoiceDocument(
        DocumentType(row["type"]),
        row["number"],
        row["issue_date"],
        seller_from_json(row["seller"]),
        party_from_json(row["buyer"]),
        tuple(_line_from_row(line) for line in lines),
        row["buyer_reference"],
        row["due_date"],
        _period(row["billing_start"], row["billing_end"]),
        StructuredCommunication(row["structured_communication"]) if row["structured_communication"] else None,
        _reference(row["preceding_number"], row["preceding_issue_date"]),
        row["note"],
        row["currency"],
    )
    meta = tuple(_meta_from_row(line) for line in lines)
    return StoredDocument(row["account_id"], row["period"], row["out_of_scope"], document, meta)


def _line_from_row(row: Row) -> InvoiceLine:
    treatment = VatTreatment(VatCategory(row["vat_category"]), _plain(row["vat_rate"]), row["vat_exemption"])
    return InvoiceLine(
        row["line_no"],
        row["item_code"],
        row["label"],
        _plain(row["quantity"]),
        UnitCode(row["unit_code"]),
        _plain(row["unit_price"]),
        Money(row["net"]),
        treatment,
        provenance_from_json(row["provenance"]),
        _period(row["service_start"], row["service_end"]),
    )


def _meta_from_row(row: Row) -> LineMeta:
    return LineMeta(
        ChargeKind(row["kind"]), row["subscription_id"], row["source_id"], row["period_start"], Money(row["signed_net"])
    )


def _period(start: date | None, end: date | None) -> InvoicePeriod | None:
    return InvoicePeriod(start, end) if start is not None and end is not None else None


def _reference(number: str | None, issue_date: date | None) -> DocumentReference | None:
    return DocumentReference(number, issue_date) if number is not None and issue_date is not None else None


def _plain(value: Decimal) -> Decimal:
    """A column's fixed-scale decimal without its padding zeros (1.000000 → 1, 0.085000 → 0.085): the same
    number, written as the core would write it."""
    normalized = value.normalize()
    return normalized.quantize(Decimal(1)) if normalized == normalized.to_integral_value() else normalized
