"""Compensation: a ticket's missed deadlines → what the operator owes, clause by clause of the catalog.

``assess`` is a pure function of a ticket, the catalog version in effect at its registration, the
subscription's coverage (line type, SLA classes, monthly fees) and an instant. It returns one ``Award`` per
clause that concerns the ticket — repair clauses of its SLA classes, installation clauses of its line type,
porting clauses — each with its amount, status, readings and a statement the customer can read:

- ``due``: owed; the app records it as a credit for the next bill run (outside the scope of VAT);
- ``awaiting_request``: owed once the customer asks (``on_request`` clauses: « à votre demande expresse »,
  « contactez notre service clientèle »);
- ``provisional``: the ticket is not resolved yet: the amount so far, growing with the delay;
- ``not_owed``: the clause's condition does not hold (deadline met, an appointment was possible…);
- ``not_cumulative``: a second refund of the same fees for the same interruption, or a second
  « 2 mois de redevances » for the same line: the first clause in catalog order pays, the others do not.

Properties pinned by tests: every award is zero while the ticket is within its deadline, and no award
decreases as the delay grows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from telbill.core.care.clauses import Inputs, Situation, outcome_of
from telbill.core.care.coverage import Coverage
from telbill.core.care.instants import BRUSSELS, require_aware, zone_of
from telbill.core.care.sla import read_clock
from telbill.core.care.tickets import Ticket, TicketKind
from telbill.core.catalog.assurance import Compensation, Trigger
from telbill.core.catalog.schema import CatalogVersion
from telbill.core.errors import TelbillError
from telbill.core.money import Money, total
from telbill.core.tax.compute import PriceBasis


class AwardStatus(Enum):
    DUE = "due"
    AWAITING_REQUEST = "awaiting_request"
    PROVISIONAL = "provisional"
    NOT_OWED = "not_owed"
    NOT_CUMULATIVE = "not_cumulative"


@dataclass(frozen=True, slots=True)
class Award:
    clause: str
    label: str
    section: str | None
    rule: str
    amount: Money  # what the clause gives for this ticket (zero when not owed)
    status: AwardStatus
    inputs: Inputs
    explanation: str
    reason: str = ""  # why not owed

    @property
    def payable(self) -> Money:
        return self.amount if self.status is AwardStatus.DUE else Money.zero()


@dataclass(frozen=True, slots=True)
class Assessment:
    ticket_id: str
    at: datetime
    situation: Situation
    awards: tuple[Award, ...]

    @property
    def due(self) -> Money:
        return total(award.payable for award in self.awards)


@dataclass(frozen=True, slots=True)
class CompensationCase:
    """Everything ``assess`` reads: the version is the one in effect on the registration day."""

    ticket: Ticket
    version: CatalogVersion
    basis: PriceBasis
    coverage: Coverage
    at: datetime


_TRIGGER = {TicketKind.REPAIR: Trigger.REPAIR, TicketKind.INSTALLATION: Trigger.INSTALLATION,
            TicketKind.PORTING: Trigger.PORTING}  # fmt: skip
_PAID_ONCE = ("interruption_refund", "fee_multiple_once")  # the same fees, for the same interruption or line


def assess(case: CompensationCase) -> Assessment:
    at = require_aware(case.at)
    facts = case.ticket.facts()
    if at < facts.registered:
        raise TelbillError("compensation.before_registration", f"ticket {case.ticket.id} is assessed before it exists")
    readings = tuple(read_clock(terms, facts, at) for terms in case.coverage.classes)
    zone = case.coverage.classes[0].calendar.zone if case.coverage.classes else zone_of(BRUSSELS)
    situation = Situation(case.ticket, facts, case.coverage, case.version, case.basis, at, zone, readings)
    awards: list[Award] = []
    paid: set[str] = set()
    for clause in clauses_for(case.version, case.ticket.kind, case.coverage):
        award = _award(clause, situation)
        if clause.rule.rule in _PAID_ONCE and award.status is not AwardStatus.NOT_OWED:
            if clause.rule.rule in paid:
                award = _not_cumulative(award)
            paid.add(clause.rule.rule)
        awards.append(award)
    return Assessment(case.ticket.id, at, situation, tuple(awards))


def clauses_for(version: CatalogVersion, kind: TicketKind, coverage: Coverage) -> tuple[Compensation, ...]:
    """The clauses of ``version`` that concern a ticket of ``kind`` on a line with ``coverage``, in order."""
    classes = {terms.code for terms in coverage.classes}
    chosen = []
    for clause in version.compensations:
        if clause.trigger is not _TRIGGER[kind]:
            continue
        if clause.trigger is Trigger.REPAIR and not classes & set(clause.sla_classes):
            continue
        if clause.lines and coverage.line_type not in clause.lines:
            continue
        chosen.append(clause)
    return tuple(chosen)


def _award(clause: Compensation, situation: Situation) -> Award:
    outcome = outcome_of(clause, situation)
    facts = situation.facts
    if not outcome.owed:
        status = AwardStatus.NOT_OWED
    elif facts.resolved is None or facts.resolved > situation.at:
        status = AwardStatus.PROVISIONAL
    elif clause.on_request and (facts.compensation_requested is None or facts.compensation_requested > situation.at):
        status = AwardStatus.AWAITING_REQUEST
    else:
        status = AwardStatus.DUE
    explanation = outcome.explanation
    if status is AwardStatus.AWAITING_REQUEST:
        explanation += " (paid on the customer's request)"
    elif status is AwardStatus.PROVISIONAL:
        explanation += " (so far: the ticket is not resolved)"
    return Award(clause.code, clause.label, clause.section, clause.rule.rule, outcome.amount, status, outcome.inputs,
                 explanation, outcome.reason)  # fmt: skip


def _not_cumulative(award: Award) -> Award:
    words = f"{award.explanation}; not paid: not cumulative with the refund or indemnity above for the same line"
    return Award(award.clause, award.label, award.section, award.rule, award.amount, AwardStatus.NOT_CUMULATIVE,
                 award.inputs, words, "not cumulative")  # fmt: skip
