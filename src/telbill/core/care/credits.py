"""Compensation credits: a due award, recorded once, billed once as a credit outside the scope of VAT.

Contract: ``credits_of`` turns the **due** awards of an assessment into credits with deterministic ids
(``<ticket>:<clause>``), so recording them again adds nothing. A credit is due from the local day the
award became due (the resolution, or the customer's request when later). ``credit_line`` is the bill run's
view of it: a ``ChargeLine`` of kind COMPENSATION, category O, of −amount (quantity −1 × the amount, as the
bill run writes every credit), whose provenance carries the ticket, the clock readings, the tier and the
clause, and whose explanation is the statement the customer reads under the line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from telbill.core.billing.charges import ChargeKind, ChargeLine
from telbill.core.care.compensation import Assessment, AwardStatus
from telbill.core.care.instants import local_day
from telbill.core.catalog.pricing import Provenance
from telbill.core.money import Money
from telbill.core.tax.treatment import OUTSIDE_SCOPE


@dataclass(frozen=True, slots=True)
class CompensationCredit:
    id: str
    account_id: str
    subscription_id: str | None
    ticket_id: str
    clause: str
    label: str
    amount: Money  # what the operator owes, positive
    day: date  # due from this day: the bill run on or after it credits it
    provenance: Provenance

    @property
    def statement(self) -> str:
        return self.provenance.explanation


def credits_of(assessment: Assessment, catalog_id: str, catalog_version: str) -> tuple[CompensationCredit, ...]:
    situation = assessment.situation
    ticket, facts = situation.ticket, situation.facts
    moments = [m for m in (facts.resolved, facts.compensation_requested) if m is not None and m <= assessment.at]
    due_from = local_day(max(moments), situation.zone) if moments else local_day(assessment.at, situation.zone)
    found = []
    for award in assessment.awards:
        if award.status is not AwardStatus.DUE:
            continue
        label = f"{award.label} — ticket {ticket.id}"
        statement = f"Compensation {award.clause} ({award.section or 'catalog clause'}): {award.explanation}"
        provenance = Provenance(catalog_id, catalog_version, award.clause, award.rule, award.inputs, statement)
        credit_id = f"{ticket.id}:{award.clause}"
        where = (ticket.account_id, ticket.subscription_id, ticket.id)
        found.append(CompensationCredit(credit_id, *where, award.clause, label, award.amount, due_from, provenance))
    return tuple(found)


def credit_line(credit: CompensationCredit) -> ChargeLine:
    return ChargeLine(
        ChargeKind.COMPENSATION,
        credit.subscription_id,
        credit.clause,
        credit.label,
        Decimal(-1),
        credit.amount,
        "C62",
        -credit.amount,
        OUTSIDE_SCOPE,
        credit.provenance,
        source_id=credit.id,
        day=credit.day,
    )
