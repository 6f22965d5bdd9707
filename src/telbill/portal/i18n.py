"""The portal's words in French, Dutch and English, and how it writes amounts, dates and instants.

Contract: ``MESSAGES`` holds every text of the templates, each in the three languages (a test checks that none
is missing); ``Words(lang)`` looks them up (``t("invoices")``, with ``{name}`` fields filled from keywords) and
formats money (``69,64 €`` in French, ``€ 69,64`` in Dutch, ``€69.64`` in English, by Babel),
dates and Brussels wall-clock instants. The language is the customer's choice, else their account's.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal

from telbill.core.care.instants import BRUSSELS, zone_of
from telbill.core.money import Money

LANGUAGES = ("fr", "nl", "en")
LOCALES = {"fr": "fr_BE", "nl": "nl_BE", "en": "en_IE"}  # English with euros written €295.17
_ZONE = zone_of(BRUSSELS)

MESSAGES: dict[str, dict[str, str]] = {
    "portal": {"fr": "Espace client", "nl": "Klantenzone", "en": "Customer portal"},
    "backoffice": {"fr": "Back-office", "nl": "Backoffice", "en": "Back office"},
    "login": {"fr": "Se connecter", "nl": "Aanmelden", "en": "Log in"},
    "logout": {"fr": "Se déconnecter", "nl": "Afmelden", "en": "Log out"},
    "email": {"fr": "Adresse e-mail", "nl": "E-mailadres", "en": "E-mail address"},
    "password": {"fr": "Mot de passe", "nl": "Wachtwoord", "en": "Password"},
    "login_failed": {
        "fr": "E-mail inconnu ou mot de passe erroné.",
        "nl": "Onbekend e-mailadres of verkeerd wachtwoord.",
        "en": "Unknown e-mail or wrong password.",
    },
    "throttled": {
        "fr": "Trop d'essais infructueux. Réessayez dans {seconds} secondes.",
        "nl": "Te veel mislukte pogingen. Probeer opnieuw over {seconds} seconden.",
        "en": "Too many failed attempts. Try again in {seconds} seconds.",
    },
    "language": {"fr": "Langue", "nl": "Taal", "en": "Language"},
    "home": {"fr": "Ma consommation", "nl": "Mijn verbruik", "en": "My consumption"},
    "invoices": {"fr": "Mes factures", "nl": "Mijn facturen", "en": "My invoices"},
    "pay": {"fr": "Comment payer", "nl": "Hoe betalen", "en": "How to pay"},
    "tickets": {"fr": "Mes tickets", "nl": "Mijn tickets", "en": "My tickets"},
    "all_tickets": {"fr": "Tickets", "nl": "Tickets", "en": "Tickets"},
    "hello": {"fr": "Bonjour {name}", "nl": "Goedendag {name}", "en": "Hello {name}"},
    "current_period": {
        "fr": "Période en cours : du {start} au {end}",
        "nl": "Lopende periode: van {start} tot {end}",
        "en": "Current period: {start} to {end}",
    },
    "accrued": {
        "fr": "Montant accumulé à ce jour (HTVA, estimation)",
        "nl": "Bedrag tot nu toe (excl. btw, raming)",
        "en": "Accrued so far (excl. VAT, estimate)",
    },
    "nothing_accrued": {
        "fr": "Rien n'est encore compté pour cette période.",
        "nl": "Voor deze periode is nog niets aangerekend.",
        "en": "Nothing is counted for this period yet.",
    },
    "usage": {"fr": "Utilisation", "nl": "Gebruik", "en": "Usage"},
    "usage_per_day": {"fr": "Utilisation par jour", "nl": "Gebruik per dag", "en": "Usage per day"},
    "voice": {"fr": "Appels (minutes)", "nl": "Gesprekken (minuten)", "en": "Calls (minutes)"},
    "sms": {"fr": "SMS", "nl": "Sms", "en": "SMS"},
    "data": {"fr": "Données (Mo)", "nl": "Data (MB)", "en": "Data (MB)"},
    "history": {"fr": "Mes dernières factures", "nl": "Mijn laatste facturen", "en": "My latest invoices"},
    "kind_recurring": {"fr": "abonnement", "nl": "abonnement", "en": "subscription"},
    "kind_one_time": {"fr": "ponctuel", "nl": "eenmalig", "en": "one-off"},
    "kind_usage": {"fr": "consommation", "nl": "verbruik", "en": "usage"},
    "kind_compensation": {"fr": "indemnisation", "nl": "vergoeding", "en": "compensation"},
    "number": {"fr": "Numéro", "nl": "Nummer", "en": "Number"},
    "date": {"fr": "Date", "nl": "Datum", "en": "Date"},
    "due_date": {"fr": "Échéance", "nl": "Vervaldag", "en": "Due date"},
    "period": {"fr": "Période", "nl": "Periode", "en": "Period"},
    "amount": {"fr": "Montant", "nl": "Bedrag", "en": "Amount"},
    "net": {"fr": "HTVA", "nl": "Excl. btw", "en": "Excl. VAT"},
    "vat": {"fr": "TVA", "nl": "Btw", "en": "VAT"},
    "gross": {"fr": "TVAC", "nl": "Incl. btw", "en": "Incl. VAT"},
    "state": {"fr": "État", "nl": "Status", "en": "Status"},
    "state_sent": {"fr": "à payer", "nl": "te betalen", "en": "to pay"},
    "state_partiallyPaid": {"fr": "payée en partie", "nl": "gedeeltelijk betaald", "en": "partly paid"},
    "state_settled": {"fr": "réglée", "nl": "vereffend", "en": "settled"},
    "invoice": {"fr": "Facture", "nl": "Factuur", "en": "Invoice"},
    "credit_note": {"fr": "Note de crédit", "nl": "Creditnota", "en": "Credit note"},
    "no_invoice": {"fr": "Aucune facture.", "nl": "Geen facturen.", "en": "No invoice."},
    "download_pdf": {"fr": "Télécharger le PDF", "nl": "PDF downloaden", "en": "Download the PDF"},
    "download_ubl": {
        "fr": "Télécharger la facture électronique (UBL)",
        "nl": "E-factuur downloaden (UBL)",
        "en": "Download the e-invoice (UBL)",
    },
    "lines": {"fr": "Détail", "nl": "Detail", "en": "Lines"},
    "description": {"fr": "Description", "nl": "Omschrijving", "en": "Description"},
    "quantity": {"fr": "Quantité", "nl": "Hoeveelheid", "en": "Quantity"},
    "why": {"fr": "Pourquoi ce montant ?", "nl": "Waarom dit bedrag?", "en": "Why this amount?"},
    "explanation": {"fr": "Explication", "nl": "Uitleg", "en": "Explanation"},
    "catalog": {"fr": "Catalogue", "nl": "Catalogus", "en": "Catalog"},
    "rule": {"fr": "Règle", "nl": "Regel", "en": "Rule"},
    "inputs": {"fr": "Données", "nl": "Gegevens", "en": "Inputs"},
    "computation": {"fr": "Calcul", "nl": "Berekening", "en": "Computation"},
    "back_to_invoice": {"fr": "Retour à la facture", "nl": "Terug naar de factuur", "en": "Back to the invoice"},
    "corrects": {
        "fr": "Corrige la facture {number}",
        "nl": "Corrigeert factuur {number}",
        "en": "Corrects invoice {number}",
    },
    "balance": {"fr": "Solde", "nl": "Saldo", "en": "Balance"},
    "nothing_to_pay": {
        "fr": "Rien à payer. Merci !",
        "nl": "Niets te betalen. Dank u!",
        "en": "Nothing to pay. Thank you!",
    },
    "direct_debit": {
        "fr": "Vous payez par domiciliation (mandat {reference}) : rien à faire, nous encaissons à l'échéance.",
        "nl": "U betaalt via domiciliëring (mandaat {reference}): u hoeft niets te doen.",
        "en": "You pay by direct debit (mandate {reference}): nothing to do, we collect on the due date.",
    },
    "transfer_to": {"fr": "Virement à", "nl": "Overschrijving naar", "en": "Transfer to"},
    "beneficiary": {"fr": "Bénéficiaire", "nl": "Begunstigde", "en": "Beneficiary"},
    "communication": {
        "fr": "Communication structurée",
        "nl": "Gestructureerde mededeling",
        "en": "Structured communication",
    },
    "scan_qr": {
        "fr": "Scannez ce code avec votre application bancaire.",
        "nl": "Scan deze code met uw bank-app.",
        "en": "Scan this code with your banking app.",
    },
    "overdue": {"fr": "en retard", "nl": "te laat", "en": "overdue"},
    "no_ticket": {"fr": "Aucun ticket.", "nl": "Geen tickets.", "en": "No ticket."},
    "ticket": {"fr": "Ticket", "nl": "Ticket", "en": "Ticket"},
    "ticket_repair": {"fr": "réparation", "nl": "herstelling", "en": "repair"},
    "ticket_installation": {"fr": "installation", "nl": "installatie", "en": "installation"},
    "ticket_porting": {"fr": "transfert de numéro", "nl": "nummeroverdracht", "en": "number porting"},
    "registered": {"fr": "Signalé le", "nl": "Gemeld op", "en": "Reported"},
    "deadline": {"fr": "Délai", "nl": "Termijn", "en": "Deadline"},
    "sla_late": {"fr": "délai dépassé", "nl": "termijn overschreden", "en": "past its deadline"},
    "sla_on_time": {"fr": "dans les délais", "nl": "binnen de termijn", "en": "on time"},
    "resolved": {"fr": "Résolu le", "nl": "Opgelost op", "en": "Resolved"},
    "compensation": {"fr": "Indemnisation", "nl": "Vergoeding", "en": "Compensation"},
    "compensation_due": {
        "fr": "Indemnisation due : {amount}",
        "nl": "Verschuldigde vergoeding: {amount}",
        "en": "Compensation due: {amount}",
    },
    "credited_on": {"fr": "créditée sur {number}", "nl": "gecrediteerd op {number}", "en": "credited on {number}"},
    "next_bill": {"fr": "sur votre prochaine facture", "nl": "op uw volgende factuur", "en": "on your next bill"},
    "request_compensation": {
        "fr": "Demander l'indemnisation",
        "nl": "Vergoeding aanvragen",
        "en": "Request compensation",
    },
    "requested": {"fr": "Demandée le {day}", "nl": "Aangevraagd op {day}", "en": "Requested on {day}"},
    "award_due": {"fr": "due", "nl": "verschuldigd", "en": "due"},
    "award_awaiting_request": {"fr": "sur demande", "nl": "op aanvraag", "en": "on request"},
    "award_provisional": {"fr": "provisoire", "nl": "voorlopig", "en": "provisional"},
    "award_not_owed": {"fr": "non due", "nl": "niet verschuldigd", "en": "not owed"},
    "award_not_cumulative": {"fr": "non cumulable", "nl": "niet cumuleerbaar", "en": "not cumulative"},
    "history_of_ticket": {"fr": "Historique", "nl": "Verloop", "en": "History"},
    "report_fault": {"fr": "Signaler un dérangement", "nl": "Een storing melden", "en": "Report a fault"},
    "subscription": {"fr": "Abonnement", "nl": "Abonnement", "en": "Subscription"},
    "fault_description": {"fr": "Que se passe-t-il ?", "nl": "Wat is er aan de hand?", "en": "What is wrong?"},
    "send_fault": {"fr": "Signaler", "nl": "Melden", "en": "Report"},
    "no_line_in_service": {
        "fr": "Aucun abonnement en service sur lequel signaler un dérangement.",
        "nl": "Geen abonnement in dienst waarop u een storing kunt melden.",
        "en": "No subscription in service to report a fault on.",
    },
    "fault_choose": {
        "fr": "Choisissez l'abonnement en dérangement.",
        "nl": "Kies het abonnement met de storing.",
        "en": "Choose the subscription that has the fault.",
    },
    "fault_not_yours": {
        "fr": "{id} n'est pas un de vos abonnements : choisissez-en un dans la liste.",
        "nl": "{id} is geen abonnement van u: kies er een uit de lijst.",
        "en": "{id} is not one of your subscriptions: choose one from the list.",
    },
    "fault_not_in_service": {
        "fr": "L'abonnement {id} n'est pas en service : aucun dérangement ne peut y être signalé.",
        "nl": "Abonnement {id} is niet in dienst: er kan geen storing op gemeld worden.",
        "en": "Subscription {id} is not in service: no fault can be reported on it.",
    },
    "fault_describe": {
        "fr": "Décrivez le dérangement en quelques mots.",
        "nl": "Beschrijf de storing in enkele woorden.",
        "en": "Describe the fault in a few words.",
    },
    "outages": {"fr": "Perturbations dans votre région", "nl": "Storingen in uw regio", "en": "Outages in your area"},
    "outage_since": {"fr": "depuis le {start}", "nl": "sinds {start}", "en": "since {start}"},
    "outage_until": {"fr": "jusqu'au {end}", "nl": "tot {end}", "en": "until {end}"},
    "porting": {"fr": "Transfert de vos numéros", "nl": "Overdracht van uw nummers", "en": "Number porting"},
    "porting_done": {"fr": "transféré le {day}", "nl": "overgedragen op {day}", "en": "ported on {day}"},
    "porting_waiting": {
        "fr": "en cours, date convenue {day}",
        "nl": "lopend, afgesproken datum {day}",
        "en": "in progress, agreed date {day}",
    },
    "subscriptions": {"fr": "Abonnements", "nl": "Abonnementen", "en": "Subscriptions"},
    "customers": {"fr": "Clients", "nl": "Klanten", "en": "Customers"},
    "bill_runs": {"fr": "Facturations", "nl": "Facturatierondes", "en": "Bill runs"},
    "dunning": {"fr": "Relances", "nl": "Aanmaningen", "en": "Dunning queue"},
    "payment_review": {"fr": "Paiements à vérifier", "nl": "Te controleren betalingen", "en": "Payment review"},
    "start_bill_run": {"fr": "Lancer la facturation", "nl": "Facturatie starten", "en": "Start the bill run"},
    "progress": {"fr": "Avancement", "nl": "Voortgang", "en": "Progress"},
    "record": {"fr": "Enregistrer", "nl": "Registreren", "en": "Record"},
    "event": {"fr": "Événement", "nl": "Gebeurtenis", "en": "Event"},
    "when": {"fr": "Quand", "nl": "Wanneer", "en": "When"},
    "note": {"fr": "Note", "nl": "Notitie", "en": "Note"},
    "assign": {"fr": "Attribuer", "nl": "Toewijzen", "en": "Assign"},
    "dismiss": {"fr": "Écarter", "nl": "Afwijzen", "en": "Dismiss"},
    "reason": {"fr": "Raison", "nl": "Reden", "en": "Reason"},
    "account": {"fr": "Compte", "nl": "Rekening", "en": "Account"},
    "error": {"fr": "Erreur", "nl": "Fout", "en": "Error"},
    "not_found": {"fr": "Introuvable.", "nl": "Niet gevonden.", "en": "Not found."},
    "previous": {"fr": "Précédents", "nl": "Vorige", "en": "Previous"},
    "next": {"fr": "Suivants", "nl": "Volgende", "en": "Next"},
    "read_only": {"fr": "Lecture seule", "nl": "Alleen lezen", "en": "Read only"},
}


class Words:
    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else "fr"
        self.locale = LOCALES[self.lang]

    def __call__(self, key: str, **fields: object) -> str:
        text = MESSAGES[key][self.lang]
        return text.format(**fields) if fields else text

    def money(self, amount: Money | Decimal | str) -> str:
        value = amount.amount if isinstance(amount, Money) else Decimal(amount)
        return str(format_currency(value, "EUR", locale=self.locale))

    def number(self, value: Decimal | int | float) -> str:
        return str(format_decimal(value, locale=self.locale))

    def day(self, value: date | None) -> str:
        return "" if value is None else str(format_date(value, format="long", locale=self.locale))

    def instant(self, value: datetime | None) -> str:
        return "" if value is None else str(format_datetime(value, format="medium", tzinfo=_ZONE, locale=self.locale))


def choose(*candidates: str | None) -> str:
    """The first of the candidates that the portal speaks (a customer's choice, the account's language…)."""
    for candidate in candidates:
        if candidate:
            short = candidate.strip().lower()[:2]
            if short in LANGUAGES:
                return short
    return "fr"


def from_accept_language(header: str | None) -> str | None:
    """The first language of an ``Accept-Language`` header that the portal speaks."""
    for part in (header or "").split(","):
        short = part.split(";")[0].strip().lower()[:2]
        if short in LANGUAGES:
            return short
    return None
