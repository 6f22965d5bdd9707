"""Invoice drafts: the split by VAT scope, credit notes, due dates and the issued document, by hand.

The charge lines come from the core itself on the Belgacom seed (residential customer), so the drafts are
those a bill run would decide. Net prices: directory line 34.49 / 1.21 = 28.5041… → 28.50; duplicate invoice
4.50 / 1.21 = 3.7190… → 3.72; GSM indemnity 150.00 and reactivation 30.00 outside the scope of VAT (O).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from telbill.core.accounts import Account
from telbill.core.billing.charges import (
    BilledRecurring,
    ChargeLine,
    PendingCharge,
    PricingAt,
    RecurringRequest,
    one_time_charges,
    recurring_charges,
)
from telbill.core.billing.contract_fees import ContractFacts, early_termination
from telbill.core.billing.cycles import period_of
from telbill.core.billing.draft import Draft, DraftRequest, draft_documents, draft_total, issue
from telbill.core.billing.invoice import DocumentReference, DocumentType, InvoicePeriod
from telbill.core.billing.numbering import is_valid_structured_communication
from telbill.core.billing.parties import Language, Party
from telbill.core.catalog.inputs import Order
from telbill.core.catalog.pricing import PricingContext
from telbill.core.catalog.schema import Segment
from telbill.core.money import Money
from telbill.core.subscriptions import Event, EventKind, replay
from telbill.core.tax.treatment import VatCategory
from tests.catalogs.conftest import context, seed_catalog
from tests.core.invoice_examples import SELLER

BELGACOM = "belgacom-fees-indemnities"
K = EventKind
MAY = period_of(2026, 5)
LAST_INVOICE = DocumentReference("F2026-000041", date(2026, 4, 1))


def d(text: str) -> date:
    return date.fromisoformat(text)


def pricing() -> PricingAt:
    def at(_day: date) -> PricingContext:
        return context(BELGACOM, Segment.RESIDENTIAL)

    return at


def account(payment_terms_days: int = 30) -> Account:
    party = Party("An Peeters", "Meir 1", "2000", "Antwerpen", "BE", Language.NL)
    return Account("ACC-2", party, Segment.RESIDENTIAL, BELGACOM, payment_terms_days=payment_terms_days)


def one_time(*codes: str, day: str = "2026-04-20") -> list[ChargeLine]:
    pending = [PendingCharge(f"SUB-1:{code}", "SUB-1", Order(code, Decimal(1)), d(day), "") for code in codes]
    return one_time_charges(pricing(), pending)


def month_in_advance() -> list[ChargeLine]:
    """The May line of a directory line activated on 1 January and billed up to April: 28.50."""
    timeline = replay("DIRECTORY-LINE-SIMPLE", (Event(K.ACTIVATE, d("2026-01-01")),))
    billed = tuple(
        BilledRecurring("SUB-1", "DIRECTORY-LINE-SIMPLE", d(f"2026-0{m}-01"), Money.of("28.50")) for m in range(1, 5)
    )
    return recurring_charges(pricing(), RecurringRequest("SUB-1", timeline, 1, MAY, billed))


def terminated_on_16_april() -> list[ChargeLine]:
    """The May bill of a directory line activated on 1 January, billed in full up to April, terminated 16 April.

    April: in service 1..15 April = 15 of 30 days: 28.50 × 15 = 427.50; / 30 = 14.25; billed 28.50: −14.25.
    Early termination: 16..30 April = 15 of 30 days: 14.25; May..December 8 × 28.50 = 228.00; 242.25 (O).
    """
    events = (Event(K.ACTIVATE, d("2026-01-01")), Event(K.TERMINATE, d("2026-04-16")))
    timeline = replay("DIRECTORY-LINE-SIMPLE", events)
    billed = tuple(
        BilledRecurring("SUB-1", "DIRECTORY-LINE-SIMPLE", d(f"2026-0{m}-01"), Money.of("28.50")) for m in range(1, 5)
    )
    lines = recurring_charges(pricing(), RecurringRequest("SUB-1", timeline, 1, MAY, billed))
    policies = seed_catalog(BELGACOM).versions[-1].policies
    fee = early_termination(pricing(), policies, ContractFacts("SUB-1", timeline, (), 1))
    assert fee is not None
    return lines + one_time_charges(pricing(), [fee])


def drafts(
    charges: Sequence[ChargeLine], latest: DocumentReference | None = LAST_INVOICE, terms: int = 30
) -> list[Draft]:
    return draft_documents(DraftRequest(account(terms), "2026-05", MAY, d("2026-05-01"), tuple(charges), latest))


def amounts(draft: Draft) -> list[tuple[int, str, str, str]]:
    return [(line.number, line.item_code, str(line.quantity), str(line.net)) for line in draft.lines]


def test_in_scope_and_out_of_scope_lines_go_on_two_documents() -> None:
    charges = month_in_advance() + one_time("GSM-NOT-RETURNED", "DUPLICATE-INVOICE", "REACTIVATION-FEE")
    vat, outside = drafts(charges)
    assert (vat.type, vat.out_of_scope, outside.type, outside.out_of_scope) == (
        DocumentType.INVOICE,
        False,
        DocumentType.INVOICE,
        True,
    )
    # each document numbers its lines from 1, in the order of the charges
    assert amounts(vat) == [(1, "DIRECTORY-LINE-SIMPLE", "1", "28.50"), (2, "DUPLICATE-INVOICE", "1", "3.72")]
    assert amounts(outside) == [(1, "GSM-NOT-RETURNED", "1", "150.00"), (2, "REACTIVATION-FEE", "1", "30.00")]
    assert {line.treatment.category for line in outside.lines} == {VatCategory.OUTSIDE_SCOPE}
    assert VatCategory.OUTSIDE_SCOPE not in {line.treatment.category for line in vat.lines}
    # the meta keep what the ledger needs: the May period of the recurring line, the source of the one-time ones
    assert [(m.period_start, m.source_id) for m in vat.meta] == [
        (d("2026-05-01"), None),
        (None, "SUB-1:DUPLICATE-INVOICE"),
    ]
    assert draft_total(vat) == Money.of("32.22")  # 28.50 + 3.72
    assert draft_total(outside) == Money.of("180.00")  # 150.00 + 30.00
    # issued: VAT 32.22 × 0.21 = 6.7662 → 6.77, gross 38.99; outside: 180.00, no VAT
    document = issue(vat, SELLER, account(), "F2026-000042", 2026000042)
    assert (str(document.totals.net), str(document.totals.vat), str(document.totals.gross)) == (
        "32.22",
        "6.77",
        "38.99",
    )
    indemnities = issue(outside, SELLER, account(), "F2026-000043", 2026000043)
    assert indemnities.is_outside_scope
    assert (str(indemnities.totals.vat), str(indemnities.totals.gross)) == ("0.00", "180.00")


def test_only_in_scope_lines_give_one_document() -> None:
    (only,) = drafts(month_in_advance())
    assert not only.out_of_scope
    (only,) = drafts(one_time("GSM-NOT-RETURNED"))
    assert only.out_of_scope
    assert drafts([]) == []


def test_a_negative_in_scope_total_is_a_credit_note_with_positive_amounts() -> None:
    credit, indemnity = drafts(terminated_on_16_april())
    assert credit.type is DocumentType.CREDIT_NOTE and not credit.out_of_scope
    assert amounts(credit) == [(1, "DIRECTORY-LINE-SIMPLE", "1", "14.25")]  # the credit of −14.25, turned
    assert credit.lines[0].unit_price == Decimal("14.25")
    assert credit.lines[0].period == InvoicePeriod(d("2026-04-01"), d("2026-04-30"))
    assert credit.meta[0].signed_net == Money.of("-14.25")  # the ledger keeps the direction
    assert draft_total(credit) == Money.of("-14.25")
    assert credit.preceding == LAST_INVOICE
    assert credit.due_date is None  # nothing to pay
    # the early termination fee is owed all the same, on an invoice of its own
    assert (indemnity.type, indemnity.out_of_scope) == (DocumentType.INVOICE, True)
    assert amounts(indemnity) == [(1, "EARLY-TERMINATION", "1", "242.25")]
    assert indemnity.preceding is None and indemnity.due_date == d("2026-05-31")


def test_a_credit_line_inside_a_positive_total_stays_on_an_invoice() -> None:
    # the April credit of −14.25, May in advance 28.50 and a duplicate invoice 3.72: 17.97 net;
    # VAT 17.97 × 0.21 = 3.7737 → 3.77; gross 21.74 ≥ 0: an invoice, its credit line kept negative (−1 × 14.25)
    april = terminated_on_16_april()[:1]
    may = month_in_advance()
    (invoice,) = drafts(april + may + one_time("DUPLICATE-INVOICE"))
    assert invoice.type is DocumentType.INVOICE and invoice.preceding is None
    assert amounts(invoice) == [
        (1, "DIRECTORY-LINE-SIMPLE", "-1", "-14.25"),
        (2, "DIRECTORY-LINE-SIMPLE", "1", "28.50"),
        (3, "DUPLICATE-INVOICE", "1", "3.72"),
    ]
    document = issue(invoice, SELLER, account(), "F2026-000044", 2026000044)
    assert (str(document.totals.net), str(document.totals.vat), str(document.totals.gross)) == (
        "17.97",
        "3.77",
        "21.74",
    )


def test_a_credit_note_turns_every_line_even_a_charge_inside_it() -> None:
    (credit, _) = drafts(terminated_on_16_april() + one_time("DUPLICATE-INVOICE"))
    # net −14.25 + 3.72 = −10.53: a credit note; the charge becomes quantity −1 × 3.72 = −3.72 on it
    assert credit.type is DocumentType.CREDIT_NOTE
    assert amounts(credit) == [(1, "DIRECTORY-LINE-SIMPLE", "1", "14.25"), (2, "DUPLICATE-INVOICE", "-1", "-3.72")]
    assert [str(m.signed_net) for m in credit.meta] == ["-14.25", "3.72"]
    document = issue(credit, SELLER, account(), "C2026-000007", 2026000007)
    # net 10.53; VAT 10.53 × 0.21 = 2.2113 → 2.21; gross 12.74; booked as −12.74
    assert (str(document.totals.net), str(document.totals.vat), str(document.totals.gross)) == (
        "10.53",
        "2.21",
        "12.74",
    )
    assert document.signed_gross == Money.of("-12.74")


def test_a_negative_total_without_an_earlier_invoice_gives_no_document() -> None:
    (only,) = drafts(terminated_on_16_april(), latest=None)
    # the credit waits until there is an invoice to credit; the indemnity is invoiced
    assert only.out_of_scope and only.type is DocumentType.INVOICE
    assert drafts(terminated_on_16_april()[:1], latest=None) == []


def test_the_due_date_is_the_issue_date_plus_the_payment_terms() -> None:
    assert drafts(month_in_advance())[0].due_date == d("2026-05-31")  # 1 May + 30 days
    assert drafts(month_in_advance(), terms=14)[0].due_date == d("2026-05-15")  # 1 May + 14 days
    assert drafts(month_in_advance(), terms=0)[0].due_date == d("2026-05-01")


def test_the_draft_states_the_billing_period_both_ends_included() -> None:
    (draft,) = drafts(month_in_advance())
    assert (draft.account_id, draft.period, draft.issue_date) == ("ACC-2", "2026-05", d("2026-05-01"))
    assert draft.billing_period == InvoicePeriod(d("2026-05-01"), d("2026-05-31"))
    assert draft.lines[0].period == InvoicePeriod(d("2026-05-01"), d("2026-05-31"))
    assert draft.preceding is None


def test_issue_gives_a_valid_structured_communication() -> None:
    (draft,) = drafts(month_in_advance())
    document = issue(draft, SELLER, account(), "F2026-000001", 2026000001)
    assert (document.type, document.number, document.issue_date) == (
        DocumentType.INVOICE,
        "F2026-000001",
        d("2026-05-01"),
    )
    assert (document.buyer, document.buyer_reference, document.seller) == (account().party, "ACC-2", SELLER)
    assert document.due_date == d("2026-05-31")
    # base 2026000001; 97 × 20886597 = 2025999909, 2026000001 − 2025999909 = 92: check digits 92
    communication = document.structured_communication
    assert communication is not None
    assert str(communication) == "+++202/6000/00192+++"
    assert is_valid_structured_communication(str(communication))
    # 28.50 net, VAT 28.50 × 0.21 = 5.985 → 5.99, gross 34.49: the TVAC price of the sheet
    assert str(document.totals.gross) == "34.49"


def test_issue_of_a_credit_note_has_no_communication_and_names_the_invoice() -> None:
    credit, _ = drafts(terminated_on_16_april())
    document = issue(credit, SELLER, account(), "C2026-000001", 2026000001)
    assert document.type is DocumentType.CREDIT_NOTE
    assert document.structured_communication is None and document.due_date is None
    assert document.preceding == LAST_INVOICE
    # 14.25 net; VAT 14.25 × 0.21 = 2.9925 → 2.99; gross 17.24
    assert (str(document.totals.net), str(document.totals.vat), str(document.totals.gross)) == (
        "14.25",
        "2.99",
        "17.24",
    )
