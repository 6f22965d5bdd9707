"""Dunning letters as a customer reads them: the letters of a real dunning run (tests/app/test_dunning_run.py's
late payer) rendered in French and Dutch, their text extracted with pypdf and compared with strings written by
hand (babel's Belgian formats: ``34,49 €`` in French, ``€ 34,49`` in Dutch, with a no-break space).

Every PDF rendered here is also written to ``out/test-artifacts/`` for a person to look at.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pypdf
import pytest

from telbill.adapters.rendering.letters import render_letter
from telbill.core.billing.parties import Language
from telbill.core.receivables.letters import Letter
from tests.app.test_dunning_run import dun, late_payer
from tests.conftest import PROJECT

ARTIFACTS = PROJECT / "out" / "test-artifacts"
_ = "\u00a0"


def text_of(name: str, pdf: bytes) -> str:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return re.sub(r"[ \n]+", " ", " ".join(page.extract_text() for page in reader.pages))  # keeps no-break spaces


@pytest.fixture(scope="module")
def letters() -> tuple[Letter, Letter]:
    operator = late_payer()
    (reminder,) = dun(operator, "2026-02-14").letters
    dun(operator, "2026-02-28")
    operator.bill("2026-03", "2026-03-01")
    (suspension,) = dun(operator, "2026-03-14").letters
    return reminder, suspension


def in_language(letter: Letter, language: Language) -> Letter:
    return replace(letter, buyer=replace(letter.buyer, language=language))


def test_first_reminder_in_dutch(letters: tuple[Letter, Letter]) -> None:
    text = text_of("letter-reminder-nl", render_letter(letters[0]))
    for phrase in (
        "Betalingsherinnering nr. 1",
        "Bruxelles, 14 februari 2026",
        "Klant ACC-PEETERS",
        f"F2026-000001 31 januari 2026 +++202/6000/00192+++ €{_}34,49",
        f"Totaal te betalen €{_}34,49",
        "vóór 28 februari 2026 over te schrijven op rekening BE68 5390 0754 7034 (BIC GEBABEBB)",
        f"Administratieve kosten voor deze herinnering van €{_}13,00",
        # the next step is the second reminder, with the same fee
        f"Zonder betaling tegen die datum sturen wij u een nieuwe herinnering. Daarvoor worden €{_}13,00 kosten",
    ):
        assert phrase in text


def test_first_reminder_in_french(letters: tuple[Letter, Letter]) -> None:
    text = text_of("letter-reminder-fr", render_letter(in_language(letters[0], Language.FR)))
    for phrase in (
        "Rappel de paiement n° 1",
        "Bruxelles, le 14 février 2026",
        f"F2026-000001 31 janvier 2026 +++202/6000/00192+++ 34,49{_}€",
        f"Total à payer 34,49{_}€",
        "avant le 28 février 2026 sur le compte BE68 5390 0754 7034 (BIC GEBABEBB)",
        f"Des frais administratifs de rappel de 13,00{_}€",
        "N° d'entreprise 0202.239.951",
    ):
        assert phrase in text


def test_suspension_notice_in_french_and_dutch(letters: tuple[Letter, Letter]) -> None:
    # overdue on 14 March: January (due 31 January) and February (due 3 March), 34.49 each: 68.98; the
    # handover to collection comes 30 days later, 13 April, at 15 % of 68.98 = 10.347 → 10.35, minimum 60.00
    french = text_of("letter-suspension-fr", render_letter(in_language(letters[1], Language.FR)))
    for phrase in (
        "Suspension de vos services",
        "Vos services (SUB-1) sont suspendus à partir du 14 mars 2026.",
        f"Total à payer 68,98{_}€",
        f"des frais administratifs de remise en service de 30,00{_}€",
        "avant le 13 avril 2026",
        f"confié à une société de recouvrement. Des frais de 60,00{_}€ s'y ajouteront.",
    ):
        assert phrase in french
    dutch = text_of("letter-suspension-nl", render_letter(letters[1]))
    assert "Uw diensten (SUB-1) zijn opgeschort vanaf 14 maart 2026." in dutch
    assert f"Totaal te betalen €{_}68,98" in dutch


def test_the_same_letter_gives_the_same_bytes(letters: tuple[Letter, Letter]) -> None:
    assert render_letter(letters[0]) == render_letter(letters[0])
