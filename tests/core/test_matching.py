"""Matching statement lines with what customers owe, rule by rule (docs/algorithms/dunning.md, "Matching")."""

from __future__ import annotations

from telbill.core.accounts import SequenceType
from telbill.core.receivables.collections import Collection
from telbill.core.receivables.ledger import OpenItem
from telbill.core.receivables.matching import COMMON, MatchBook, Outcome, PayerIndex, match_line, name_words
from telbill.core.receivables.statements import StatementLine, structured_digits, structured_in
from tests.core.receivables_builders import d, invoice, m

JAN = invoice("F2026-000001", "2026-01-01", "2026-01-31", "34.49", "202600000192")
COLLECTION = Collection(
    "F2026-000001/1", "ACC-PEETERS", "F2026-000001", "202600000192", m("34.49"), "MANDATE-1", d("2025-12-01"),
    "BE68539007547034", None, "An Peeters", SequenceType.FIRST, d("2026-02-05"), "DD-2026-02-05",
)  # fmt: skip
BOOK = MatchBook(
    documents={"202600000192": ("ACC-PEETERS", "F2026-000001")},
    collections={"F2026-000001/1": COLLECTION},
    payers=PayerIndex.of([("ACC-PEETERS", "An Peeters"), ("ACC-DUPONT", "Bureau Dupont SRL")]),
    open_items={"ACC-PEETERS": (OpenItem(JAN, m("34.49")),)},
)


def line(amount: str, **fields: str) -> StatementLine:
    return StatementLine("S/1", d("2026-02-10"), m(amount), **fields)


def test_a_credit_quoting_one_of_our_communications_is_a_payment_of_that_account() -> None:
    match = match_line(line("34.49", structured="202600000192"), BOOK)
    assert (match.outcome, match.account_id, match.document) == (Outcome.PAYMENT, "ACC-PEETERS", "F2026-000001")


def test_a_credit_with_our_end_to_end_id_collects_a_debit_with_it_returns() -> None:
    collected = match_line(line("34.49", end_to_end="F2026-000001/1"), BOOK)
    returned = match_line(line("-34.49", end_to_end="F2026-000001/1", return_reason="MD06"), BOOK)
    assert (collected.outcome, collected.document) == (Outcome.COLLECTED, "F2026-000001")
    assert (returned.outcome, returned.account_id) == (Outcome.RETURNED, "ACC-PEETERS")


def test_other_debits_are_ignored() -> None:
    assert match_line(line("-12.00", communication="FRAIS BANCAIRES"), BOOK).outcome is Outcome.IGNORED


def test_an_unknown_communication_goes_to_review() -> None:
    # +++090/9337/55493+++ is valid (0909337554 mod 97 = 93) but no document of ours
    match = match_line(line("34.49", structured="090933755493"), BOOK)
    assert (match.outcome, match.reason) == (Outcome.REVIEW, "structured communication unknown")


def test_amount_and_name_make_a_suggestion_for_a_person_never_a_payment() -> None:
    match = match_line(line("34.49", counterparty_name="PEETERS AN", communication="factuur januari"), BOOK)
    assert match.outcome is Outcome.REVIEW
    assert [(s.account_id, s.document, s.reason) for s in match.suggestions] == [
        ("ACC-PEETERS", "F2026-000001", "amount and name")
    ]


def test_a_name_alone_is_a_weaker_suggestion() -> None:
    match = match_line(line("50.00", counterparty_name="Dupont Bureau"), BOOK)
    assert [(s.account_id, s.reason) for s in match.suggestions] == [("ACC-DUPONT", "name")]
    assert match_line(line("50.00", counterparty_name="Janssens"), BOOK).suggestions == ()


def test_a_word_that_very_many_holders_share_names_no_one_by_itself_but_still_counts() -> None:
    # "jan" is one of the two name words of COMMON + 2 holders: alone it names none of them; beside a rarer
    # word it still counts (An Peeters shares 1 of 2 words with "JAN PEETERS", Jan Peeters 2 of 2)
    holders = [(f"ACC-{n:03d}", f"Jan Lid{n}") for n in range(COMMON + 1)]
    payers = PayerIndex.of([*holders, ("ACC-JAN-PEETERS", "Jan Peeters"), ("ACC-PEETERS", "An Peeters")])
    assert payers.accounts_named_in("JAN PEETERS") == ("ACC-JAN-PEETERS", "ACC-PEETERS")
    assert payers.accounts_named_in("JAN LID7") == ("ACC-007",)
    # no rarer word: no suggestion by name (a person searches)
    assert payers.accounts_named_in("JAN") == payers.accounts_named_in("JAN DE SMET") == ()


def test_names_fold_accents_case_and_legal_forms() -> None:
    assert name_words("Société Générale SA") == name_words("SOCIETE GENERALE") == {"societe", "generale"}
    assert name_words("Bureau Dupont SRL") == {"bureau", "dupont"}


def test_a_structured_communication_typed_in_free_text_is_found_when_it_is_the_only_one() -> None:
    assert structured_in("paiement +++202/6000/00192+++ merci") == "202600000192"
    assert structured_in("202600000192") == "202600000192"
    assert structured_in("202600000193") is None  # wrong check digits
    assert structured_in("IBAN BE62510007547061 2026000001920") is None  # inside a longer number
    assert structured_in("+++202/6000/00192+++ +++202/6000/00293+++") is None  # two: a person decides


def test_a_communication_flagged_structured_is_kept_only_with_right_check_digits() -> None:
    # 2026000001 = 97 × 20,886,597 + 92: check digits 92; a base that 97 divides has check digits 97, not 00
    assert structured_digits("202600000192") == "202600000192"
    assert structured_digits("+++202/6000/00192+++") == "202600000192"
    assert structured_digits("202600000193") is None
    assert structured_digits("000000009797") == "000000009797"
    assert structured_digits("000000009700") is None
    assert structured_digits("20260000019") is None
