"""The words of the dunning letters in French, Dutch and English.

Contract: ``LETTER_TEXTS[language]`` holds every fixed text of ``templates/letter.html``; a ``LetterTexts``
has one field per text, so a language missing one does not type-check. Placeholders in braces are filled by
``letters.py`` with strings already formatted the Belgian way. The wording is the customary one of Belgian
operators' letters: "rappel" / "herinnering", "communication structurée" / "gestructureerde mededeling".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from telbill.core.billing.parties import Language
from telbill.core.catalog.dunning_policy import DunningStepKind


@dataclass(frozen=True, slots=True)
class LetterTexts:
    reminder: str  # "{number}"
    suspension: str
    place_and_date: str  # "{city}", "{date}"
    customer: str
    greeting: str
    reminder_intro: str
    suspension_intro: str  # "{subscriptions}", "{date}"
    document: str
    due_date: str
    open_amount: str
    communication: str
    total: str
    pay_by: str  # "{date}", "{iban}", "{bic}"
    pay_now: str  # "{iban}", "{bic}": when no next step is set
    fee: str  # "{amount}"
    next_step: Mapping[DunningStepKind, str]
    next_fee: str  # "{amount}"
    reactivation: str  # "{amount}"
    already_paid: str
    closing: str
    enterprise_number: str


LETTER_TEXTS: Mapping[Language, LetterTexts] = MappingProxyType(
    {
        Language.FR: LetterTexts(
            reminder="Rappel de paiement n° {number}",
            suspension="Suspension de vos services",
            place_and_date="{city}, le {date}",
            customer="Client",
            greeting="Madame, Monsieur,",
            reminder_intro="Sauf erreur de notre part, les montants ci-dessous restent impayés à ce jour.",
            suspension_intro="Malgré nos rappels, les montants ci-dessous restent impayés. Vos services "
            "({subscriptions}) sont suspendus à partir du {date}.",
            document="Document",
            due_date="Échéance",
            open_amount="Montant ouvert",
            communication="Communication structurée",
            total="Total à payer",
            pay_by="Nous vous prions de virer ce montant avant le {date} sur le compte {iban} (BIC {bic}), en "
            "mentionnant pour chaque document sa communication structurée.",
            pay_now="Nous vous prions de virer ce montant sans délai sur le compte {iban} (BIC {bic}), en "
            "mentionnant pour chaque document sa communication structurée.",
            fee="Des frais administratifs de rappel de {amount} vous seront facturés avec votre prochaine facture.",
            next_step={
                DunningStepKind.REMINDER: "À défaut de paiement à cette date, un nouveau rappel vous sera adressé.",
                DunningStepKind.SUSPENSION: "À défaut de paiement à cette date, vos services seront suspendus.",
                DunningStepKind.COLLECTION: "À défaut de paiement à cette date, votre dossier sera confié à une "
                "société de recouvrement.",
            },
            next_fee="Des frais de {amount} s'y ajouteront.",
            reactivation="Ils seront remis en service dès réception de votre paiement ; des frais administratifs "
            "de remise en service de {amount} vous seront facturés.",
            already_paid="Si vous avez payé entre-temps, veuillez ne pas tenir compte de ce courrier.",
            closing="Veuillez agréer, Madame, Monsieur, nos salutations distinguées.",
            enterprise_number="N° d'entreprise",
        ),
        Language.NL: LetterTexts(
            reminder="Betalingsherinnering nr. {number}",
            suspension="Opschorting van uw diensten",
            place_and_date="{city}, {date}",
            customer="Klant",
            greeting="Geachte mevrouw, geachte heer,",
            reminder_intro="Tenzij wij ons vergissen, zijn de onderstaande bedragen tot op heden onbetaald.",
            suspension_intro="Ondanks onze herinneringen blijven de onderstaande bedragen onbetaald. Uw diensten "
            "({subscriptions}) zijn opgeschort vanaf {date}.",
            document="Document",
            due_date="Vervaldag",
            open_amount="Openstaand bedrag",
            communication="Gestructureerde mededeling",
            total="Totaal te betalen",
            pay_by="Gelieve dit bedrag vóór {date} over te schrijven op rekening {iban} (BIC {bic}), met voor elk "
            "document zijn gestructureerde mededeling.",
            pay_now="Gelieve dit bedrag onmiddellijk over te schrijven op rekening {iban} (BIC {bic}), met voor "
            "elk document zijn gestructureerde mededeling.",
            fee="Administratieve kosten voor deze herinnering van {amount} worden aangerekend op uw volgende factuur.",
            next_step={
                DunningStepKind.REMINDER: "Zonder betaling tegen die datum sturen wij u een nieuwe herinnering.",
                DunningStepKind.SUSPENSION: "Zonder betaling tegen die datum worden uw diensten opgeschort.",
                DunningStepKind.COLLECTION: "Zonder betaling tegen die datum wordt uw dossier overgedragen aan een "
                "incassobureau.",
            },
            next_fee="Daarvoor worden {amount} kosten aangerekend.",
            reactivation="Zodra wij uw betaling ontvangen, worden ze opnieuw in dienst gesteld; daarvoor rekenen wij "
            "{amount} administratieve kosten aan.",
            already_paid="Indien u intussen betaald hebt, mag u deze brief als onbestaande beschouwen.",
            closing="Met vriendelijke groeten,",
            enterprise_number="Ondernemingsnr.",
        ),
        Language.EN: LetterTexts(
            reminder="Payment reminder no. {number}",
            suspension="Suspension of your services",
            place_and_date="{city}, {date}",
            customer="Customer",
            greeting="Dear customer,",
            reminder_intro="Unless we are mistaken, the amounts below are still unpaid today.",
            suspension_intro="Despite our reminders, the amounts below are still unpaid. Your services "
            "({subscriptions}) are suspended from {date}.",
            document="Document",
            due_date="Due date",
            open_amount="Amount open",
            communication="Structured communication",
            total="Total to pay",
            pay_by="Please transfer this amount before {date} to account {iban} (BIC {bic}), quoting each "
            "document's structured communication.",
            pay_now="Please transfer this amount without delay to account {iban} (BIC {bic}), quoting each "
            "document's structured communication.",
            fee="An administrative reminder fee of {amount} will be charged with your next invoice.",
            next_step={
                DunningStepKind.REMINDER: "Without payment by that day, we will send you another reminder.",
                DunningStepKind.SUSPENSION: "Without payment by that day, your services will be suspended.",
                DunningStepKind.COLLECTION: "Without payment by that day, your file will be handed over to a "
                "collection agency.",
            },
            next_fee="This will cost {amount}.",
            reactivation="They will be restored as soon as your payment is received; an administrative reactivation "
            "fee of {amount} will be charged.",
            already_paid="If you have paid in the meantime, please disregard this letter.",
            closing="Yours faithfully,",
            enterprise_number="Enterprise no.",
        ),
    }
)
