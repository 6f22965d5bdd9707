"""The words of the PDF invoice in French, Dutch and English, and the Belgian locale of each language.

Contract: ``TEXTS[language]`` holds every fixed text the template prints; a ``Texts`` has one field per text,
so a language missing one does not type-check. Placeholders in braces (``{start}``) are filled by
``pdf_view``. The wording follows Belgian usage: HTVA / TVAC, "communication structurée", "numéro
d'entreprise" (BCE) / "ondernemingsnummer" (KBO), and the mention a Belgian credit note with VAT carries
(art. 79 CTVA / WBTW: the VAT to be repaid to the State insofar as it was deducted).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from telbill.core.billing.invoice import UnitCode
from telbill.core.billing.parties import Language

# Belgian conventions for numbers and dates (babel locales): 1 234,50 € in French, € 1.234,50 in Dutch.
LOCALES: Mapping[Language, str] = MappingProxyType({Language.FR: "fr_BE", Language.NL: "nl_BE", Language.EN: "en_BE"})


@dataclass(frozen=True, slots=True)
class Texts:
    """Every fixed text of the invoice template in one language."""

    invoice: str
    credit_note: str
    number: str
    issue_date: str
    due_date: str
    billing_period: str
    period: str  # "{start}" … "{end}", both days included
    customer_reference: str
    corrects: str
    invoice_of: str  # "{number}" of "{date}"
    vat_number: str
    enterprise_number: str
    description: str
    quantity: str
    unit_price: str
    vat_rate: str
    net_amount: str
    vat_breakdown: str
    vat_category: str
    taxable_base: str
    vat: str
    zero_rated: str
    exempt: str
    outside_scope: str
    total_net: str
    total_gross: str
    payment: str
    amount_due: str
    structured_communication: str
    payment_reference: str
    credit_in_favour: str
    credit_note_vat_mention: str
    page: str
    units: Mapping[UnitCode, tuple[str, str]]  # (one, other): the CLDR plural forms of the language


def _units(**names: str | tuple[str, str]) -> Mapping[UnitCode, tuple[str, str]]:
    """The unit printed after a quantity, singular and plural (one name when both are the same); a count
    (C62) prints none."""
    table = {UnitCode[key.upper()]: (name, name) if isinstance(name, str) else name for key, name in names.items()}
    return MappingProxyType({UnitCode.ONE: ("", "")} | table)


FRENCH = Texts(
    invoice="Facture",
    credit_note="Note de crédit",
    number="Numéro",
    issue_date="Date",
    due_date="Échéance",
    billing_period="Période de facturation",
    period="du {start} au {end}",
    customer_reference="Référence client",
    corrects="Corrige la facture",
    invoice_of="{number} du {date}",
    vat_number="TVA",
    enterprise_number="Numéro d'entreprise",
    description="Description",
    quantity="Quantité",
    unit_price="Prix unitaire",
    vat_rate="TVA",
    net_amount="Montant HTVA",
    vat_breakdown="Récapitulatif TVA",
    vat_category="Taux ou catégorie",
    taxable_base="Base imposable",
    vat="TVA",
    zero_rated="Taux zéro",
    exempt="Exonération",
    outside_scope="Hors du champ d'application de la TVA",
    total_net="Total HTVA",
    total_gross="Total TVAC",
    payment="Paiement",
    amount_due="Montant à payer",
    structured_communication="Communication structurée",
    payment_reference="Communication",
    credit_in_favour="Montant en votre faveur",
    credit_note_vat_mention="TVA à reverser à l'État dans la mesure où elle a été initialement déduite.",
    page="Page",
    units=_units(
        piece=("pièce", "pièces"),
        metre="m",
        second="s",
        minute="min",
        hour="h",
        day=("jour", "jours"),
        week=("semaine", "semaines"),
        month="mois",
        year=("an", "ans"),
        megabyte="Mo",
        gigabyte="Go",
    ),
)

DUTCH = Texts(
    invoice="Factuur",
    credit_note="Creditnota",
    number="Nummer",
    issue_date="Datum",
    due_date="Vervaldatum",
    billing_period="Factuurperiode",
    period="van {start} tot en met {end}",
    customer_reference="Klantreferentie",
    corrects="Verbetert factuur",
    invoice_of="{number} van {date}",
    vat_number="Btw-nr.",
    enterprise_number="Ondernemingsnummer",
    description="Omschrijving",
    quantity="Aantal",
    unit_price="Eenheidsprijs",
    vat_rate="Btw",
    net_amount="Bedrag excl. btw",
    vat_breakdown="Btw-overzicht",
    vat_category="Tarief of categorie",
    taxable_base="Maatstaf van heffing",
    vat="Btw",
    zero_rated="Nultarief",
    exempt="Vrijstelling",
    outside_scope="Buiten het toepassingsgebied van de btw",
    total_net="Totaal excl. btw",
    total_gross="Totaal incl. btw",
    payment="Betaling",
    amount_due="Te betalen bedrag",
    structured_communication="Gestructureerde mededeling",
    payment_reference="Mededeling",
    credit_in_favour="Bedrag in uw voordeel",
    credit_note_vat_mention="Btw terug te storten aan de Staat in de mate waarin ze oorspronkelijk werd afgetrokken.",
    page="Pagina",
    units=_units(
        piece=("stuk", "stuks"),
        metre="m",
        second="s",
        minute="min",
        hour="uur",
        day=("dag", "dagen"),
        week=("week", "weken"),
        month=("maand", "maanden"),
        year="jaar",
        megabyte="MB",
        gigabyte="GB",
    ),
)

ENGLISH = Texts(
    invoice="Invoice",
    credit_note="Credit note",
    number="Number",
    issue_date="Date",
    due_date="Due date",
    billing_period="Billing period",
    period="{start} to {end}",
    customer_reference="Customer reference",
    corrects="Corrects invoice",
    invoice_of="{number} of {date}",
    vat_number="VAT",
    enterprise_number="Enterprise number",
    description="Description",
    quantity="Quantity",
    unit_price="Unit price",
    vat_rate="VAT",
    net_amount="Amount excl. VAT",
    vat_breakdown="VAT breakdown",
    vat_category="Rate or category",
    taxable_base="Taxable amount",
    vat="VAT",
    zero_rated="Zero rated",
    exempt="Exempt",
    outside_scope="Outside the scope of VAT",
    total_net="Total excl. VAT",
    total_gross="Total incl. VAT",
    payment="Payment",
    amount_due="Amount due",
    structured_communication="Structured communication",
    payment_reference="Reference",
    credit_in_favour="Amount in your favour",
    credit_note_vat_mention="VAT to be repaid to the State insofar as it was initially deducted.",
    page="Page",
    units=_units(
        piece=("piece", "pieces"),
        metre="m",
        second="s",
        minute="min",
        hour="h",
        day=("day", "days"),
        week=("week", "weeks"),
        month=("month", "months"),
        year=("year", "years"),
        megabyte="MB",
        gigabyte="GB",
    ),
)

TEXTS: Mapping[Language, Texts] = MappingProxyType({Language.FR: FRENCH, Language.NL: DUTCH, Language.EN: ENGLISH})
