"""The arithmetic of each compensation rule kind: (clause, situation) → amount, with its readings and words.

One function per rule kind, chosen through a table. Every function answers for one clause of the catalog
(docs/compensation.md works each one out by hand); ``compensation.assess`` turns the outcomes into awards
(due, awaiting the customer's request, provisional, not cumulative). A clause is owed only once its deadline
is missed: every repair clause first asks whether its class's clock is breached.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from telbill.core.billing.cycles import period_containing
from telbill.core.care.calendars import BusinessCalendar, calendar_in, nth_working_day_after, working_days_after
from telbill.core.care.coverage import Coverage
from telbill.core.care.instants import hours, local_day, show, wall_clock
from telbill.core.care.sla import ClockReading, SlaTerms, net_elapsed, read_clock, started_days
from telbill.core.care.tickets import Ticket, TicketFacts, TicketKind
from telbill.core.catalog import assurance as a
from telbill.core.catalog.pricing import unit_net
from telbill.core.catalog.rules import Price
from telbill.core.catalog.schema import CatalogVersion
from telbill.core.errors import TelbillError
from telbill.core.money import Money
from telbill.core.tax.compute import PriceBasis
from telbill.core.tax.treatment import OUTSIDE_SCOPE

Inputs = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Situation:
    """What the clauses read, gathered once per assessment."""

    ticket: Ticket
    facts: TicketFacts
    coverage: Coverage
    version: CatalogVersion
    basis: PriceBasis
    at: datetime
    zone: ZoneInfo
    readings: tuple[ClockReading, ...]

    @property
    def stopped(self) -> datetime:
        resolved = self.facts.resolved
        return min(self.at, resolved) if resolved is not None else self.at

    def reading(self, clause: a.Compensation) -> ClockReading:
        found = next((r for code in clause.sla_classes for r in self.readings if r.sla_class == code), None)
        if found is None:
            raise TelbillError("compensation.no_clock", f"{clause.code}: the ticket has none of {clause.sla_classes}")
        return found

    def money(self, price: Price) -> Money:
        """A printed compensation amount: one figure, no VAT (the catalog's basis figure when two)."""
        return unit_net(price, OUTSIDE_SCOPE, self.basis)

    def end_day(self) -> date:
        """The local day the service was delivered (installation, porting), or ``at``'s day if not yet."""
        return local_day(self.stopped, self.zone)


@dataclass(frozen=True, slots=True)
class Outcome:
    amount: Money
    owed: bool  # the clause's condition holds (its deadline is missed…)
    reason: str  # why not, when not owed: "deadline met", "an appointment was possible"…
    inputs: Inputs
    explanation: str


def nothing(reason: str, inputs: Inputs, explanation: str) -> Outcome:
    return Outcome(Money.zero(), False, reason, inputs, explanation)


def _clock_inputs(situation: Situation, reading: ClockReading) -> Inputs:
    def local(at: datetime) -> str:
        return wall_clock(at, situation.zone).isoformat()

    resolved = situation.facts.resolved
    return (
        ("ticket", situation.ticket.id),
        ("sla_class", reading.sla_class),
        ("registered", local(reading.registered)),
        ("resolved", local(resolved) if resolved is not None and resolved <= situation.at else "not yet"),
        ("deadline", local(reading.deadline)),
        ("working_time", hours(reading.elapsed)),
        ("paused", hours(reading.paused)),
    )


def _clock_words(situation: Situation, reading: ClockReading) -> str:
    done = "repaired" if reading.resolved else "not repaired on"
    zone = situation.zone
    words = (
        f"ticket {situation.ticket.id} registered {show(reading.registered, zone)}, {done} "
        f"{show(reading.stopped, zone)}; deadline ({reading.sla_class}) {show(reading.deadline, zone)}"
    )
    if reading.paused:
        words += f" ({hours(reading.paused)} of working time paused, the customer being the cause)"
    return words


def _repair_gate(clause: a.Compensation, situation: Situation) -> tuple[ClockReading, Inputs, str, Outcome | None]:
    reading = situation.reading(clause)
    inputs, words = _clock_inputs(situation, reading), _clock_words(situation, reading)
    if not reading.breached:
        reason = "deadline met" if reading.resolved else "within the deadline so far"
        return reading, inputs, words, nothing(reason, inputs, f"{words}: {reason}")
    return reading, inputs, words, None


def _delay_tiers(rule: a.DelayTiers, clause: a.Compensation, situation: Situation) -> Outcome:
    if clause.trigger is a.Trigger.REPAIR:
        reading, inputs, words, refused = _repair_gate(clause, situation)
        if refused is not None:
            return refused
        delay, shown, unit, inputs, words = _repair_delay(rule, clause, situation, reading, (inputs, words))
    else:
        found = _order_delay(rule, clause, situation)
        if isinstance(found, Outcome):
            return found
        delay, shown, unit, inputs, words = found
    reached = [tier for tier in rule.tiers if delay > tier.above]
    if not reached:
        return nothing("no tier reached", inputs, f"{words}: {shown}, no tier reached")
    tier = max(reached, key=lambda t: t.above)
    fees = situation.coverage.fees
    amount = fees.of(rule.of).times(tier.percent / 100)
    percent = f"{tier.percent.normalize():f} %"
    inputs += (("tier", f"above {tier.above} {unit}: {percent}"), ("monthly_fees", fees.words(rule.of)))
    explanation = (
        f"{words}: {shown} is above {tier.above} {unit}: {percent} × monthly fees {fees.words(rule.of)} = {amount}"
    )
    return Outcome(amount, True, "", inputs, explanation)


Delay = tuple[Decimal | int, str, str, Inputs, str]  # the delay, as shown, its unit, the readings, the words so far


def _repair_delay(
    rule: a.DelayTiers, clause: a.Compensation, situation: Situation, reading: ClockReading, said: tuple[Inputs, str]
) -> Delay:
    inputs, words = said
    if rule.measure is a.DelayMeasure.WORKING_HOURS:
        shown = f"{hours(reading.elapsed)} of working time"
        return _in_hours(reading.elapsed), shown, "working hours", inputs, f"{words}; repair time {shown}"
    if rule.measure is a.DelayMeasure.ELAPSED_HOURS:
        net = net_elapsed(situation.facts, reading.stopped, situation.zone)
        words += f"; net repair time {hours(net)}"
        return _in_hours(net), hours(net), "hours", (*inputs, ("net_hours", hours(net))), words
    if rule.measure is a.DelayMeasure.CALENDAR_DAYS:
        pauses = situation.facts.pauses_until(reading.stopped)
        days = started_days(situation.zone, reading.registered, reading.stopped, pauses)
        return days, f"{days} day(s)", "days", inputs, words
    raise TelbillError("compensation.measure", f"{clause.code}: {rule.measure.value} cannot measure a repair")


def _order_delay(rule: a.DelayTiers, clause: a.Compensation, situation: Situation) -> Delay | Outcome:
    """Days late after the agreed (ready-for-service) date of an installation or porting."""
    due, delivered = situation.ticket.due, situation.end_day()
    inputs: Inputs = (("ticket", situation.ticket.id), ("due", str(due)), ("delivered", str(delivered)))
    if due is None:
        return nothing("no agreed date", inputs, f"ticket {situation.ticket.id}: no agreed date to be late on")
    words = f"ticket {situation.ticket.id}: agreed {due}, {_delivered(situation)} {delivered}"
    if rule.measure is a.DelayMeasure.WORKING_DAYS:
        days = working_days_after(_clause_calendar(clause, situation), due, delivered)
        return days, f"{days} working day(s) late", "working days", (*inputs, ("working_days_late", str(days))), words
    if rule.measure is a.DelayMeasure.CALENDAR_DAYS:
        days = max((delivered - due).days, 0)
        return days, f"{days} day(s) late", "days", (*inputs, ("days_late", str(days))), words
    raise TelbillError(
        "compensation.measure", f"{clause.code}: {rule.measure.value} cannot measure a {clause.trigger.value}"
    )


def _in_hours(span: timedelta) -> Decimal:
    return Decimal(span // timedelta(microseconds=1)) / 3_600_000_000


def _delivered(situation: Situation) -> str:
    resolved = situation.facts.resolved
    return "delivered" if resolved is not None and resolved <= situation.at else "not delivered on"


def _clause_calendar(clause: a.Compensation, situation: Situation) -> BusinessCalendar:
    if clause.calendar is None:
        raise TelbillError("compensation.calendar", f"{clause.code} needs a calendar to count working days")
    return calendar_in(situation.version, clause.calendar)


def _fees_per_delay_day(rule: a.FeesPerDelayDay, clause: a.Compensation, situation: Situation) -> Outcome:
    reading, inputs, words, refused = _repair_gate(clause, situation)
    if refused is not None:
        return refused
    days = started_days(
        situation.zone, reading.deadline, reading.stopped, situation.facts.pauses_until(reading.stopped)
    )
    fees = situation.coverage.fees
    amount = fees.of(rule.of).times(rule.percent / 100 * days)
    inputs += (("days_late", str(days)), ("monthly_fees", fees.words(rule.of)))
    explanation = (
        f"{words}: {days} started day(s) of delay × {rule.percent.normalize():f} % × monthly fees "
        f"{fees.words(rule.of)} = {amount}"
    )
    return Outcome(amount, True, "", inputs, explanation)


def _interruption_refund(rule: a.InterruptionRefund, clause: a.Compensation, situation: Situation) -> Outcome:
    reading, inputs, words, refused = _repair_gate(clause, situation)
    if refused is not None:
        return refused
    pauses = situation.facts.pauses_until(reading.stopped)
    days = started_days(situation.zone, reading.registered, reading.stopped, pauses)
    inputs += (("days_interrupted", str(days)),)
    if rule.more_than_consecutive_days is not None and days <= rule.more_than_consecutive_days:
        limit = rule.more_than_consecutive_days
        return nothing(
            f"not more than {limit} days", inputs, f"{words}: {days} day(s) of interruption, not more than {limit}"
        )
    if rule.more_than_consecutive_days is None:
        end_of_next = _end_of_next_working_day(reading, situation)
        offered = [p.slot for p in situation.facts.appointments if p.slot <= end_of_next]
        if offered:
            first = show(min(offered), situation.zone)
            return nothing("an appointment was possible", inputs, f"{words}: an appointment was offered for {first}")
        inputs += (("end_of_next_working_day", wall_clock(end_of_next, situation.zone).isoformat()),)
        words += f"; no appointment possible before {show(end_of_next, situation.zone)}"
    fees = situation.coverage.fees
    period = period_containing(local_day(reading.registered, situation.zone), situation.coverage.billing_day)
    amount = Money.rounded(fees.of(rule.of).amount * days / period.days)
    inputs += (("billing_period", str(period)), ("monthly_fees", fees.words(rule.of)))
    explanation = (
        f"{words}: refund of {days} day(s) of interruption: monthly fees {fees.words(rule.of)} × {days} / "
        f"{period.days} days of the billing period = {amount}"
    )
    return Outcome(amount, True, "", inputs, explanation)


def _end_of_next_working_day(reading: ClockReading, situation: Situation) -> datetime:
    """The end of the working day after the registration, on the class calendar, pushed back by pauses."""
    terms = next(t for t in situation.coverage.classes if t.code == reading.sla_class)
    rule = a.Deadline(kind=a.DeadlineKind.END_OF_NEXT_WORKING_DAY)
    shifted = SlaTerms(terms.code, terms.label, terms.calendar, rule, terms.complementary)
    return read_clock(shifted, situation.facts, situation.at).deadline


def _threshold_and_daily(rule: a.ThresholdAndDaily, clause: a.Compensation, situation: Situation) -> Outcome:
    reading, inputs, words, refused = _repair_gate(clause, situation)
    if refused is not None:
        return refused
    pauses = situation.facts.pauses_until(reading.stopped)
    if rule.daily_beyond == "day_3":
        days = max(started_days(situation.zone, reading.registered, reading.stopped, pauses) - 3, 0)
        beyond = "the 3rd day of interruption"
    else:
        start = reading.deadline if rule.daily_beyond == "deadline" else _end_of_next_working_day(reading, situation)
        days = started_days(situation.zone, start, reading.stopped, pauses)
        beyond = show(start, situation.zone)
    lump, daily = situation.money(rule.lump_sum), situation.money(rule.daily)
    amount = lump + daily.times(days)
    inputs += (("lump_sum", str(lump)), ("days_beyond", str(days)), ("daily", str(daily)))
    explanation = f"{words}: lump sum {lump} + {days} started day(s) beyond {beyond} × {daily} = {amount}"
    return Outcome(amount, True, "", inputs, explanation)


def _fee_multiple_once(rule: a.FeeMultipleOnce, clause: a.Compensation, situation: Situation) -> Outcome:
    ticket, delivered = situation.ticket, situation.end_day()
    inputs: Inputs = (("ticket", ticket.id), ("requested", str(local_day(situation.facts.registered, situation.zone))))
    if clause.deadline is not None:
        if ticket.due is not None:
            return nothing(
                "a date was agreed",
                inputs,
                f"ticket {ticket.id}: a date was agreed ({ticket.due}): the agreed date is the deadline",
            )
        if clause.deadline.kind is not a.DeadlineKind.WORKING_DAYS or clause.deadline.amount is None:
            raise TelbillError("compensation.deadline", f"{clause.code}: an installation deadline counts working days")
        requested = local_day(situation.facts.registered, situation.zone)
        last = nth_working_day_after(_clause_calendar(clause, situation), requested, clause.deadline.amount)
        what = f"within {clause.deadline.amount} working days of the request ({requested}): by {last}"
    elif ticket.due is None:
        return nothing("no agreed date", inputs, f"ticket {ticket.id}: no agreed date to be late on")
    else:
        last, what = ticket.due, f"on the agreed date {ticket.due}"
    inputs += (("deadline", str(last)), ("delivered", str(delivered)))
    words = f"ticket {ticket.id}: to be in service {what}; {_delivered(situation)} {delivered}"
    if delivered <= last:
        return nothing("deadline met", inputs, words + ": deadline met")
    fees = situation.coverage.fees
    amount = fees.of(rule.of).times(rule.percent / 100)
    inputs += (("monthly_fees", fees.words(rule.of)),)
    return Outcome(
        amount,
        True,
        "",
        inputs,
        f"{words}: {rule.percent.normalize():f} % × monthly fees {fees.words(rule.of)} = {amount}",
    )


def _per_unit_per_day(rule: a.PerUnitPerDay, clause: a.Compensation, situation: Situation) -> Outcome:
    ticket, delivered = situation.ticket, situation.end_day()
    if ticket.kind is not TicketKind.PORTING:
        raise TelbillError(
            "compensation.trigger", f"{clause.code} counts {rule.unit}s of a porting, not a {ticket.kind.value}"
        )
    inputs: Inputs = (("ticket", ticket.id), ("due", str(ticket.due)), ("delivered", str(delivered)))
    if ticket.due is None:
        return nothing("no agreed date", inputs, f"ticket {ticket.id}: no agreed porting date to be late on")
    days = max((delivered - ticket.due).days, 0)
    units = len(ticket.numbers)
    words = f"ticket {ticket.id}: {units} {rule.unit}(s) to port on {ticket.due}, {_delivered(situation)} {delivered}"
    if days == 0:
        return nothing("deadline met", inputs, words + ": on time")
    price = situation.money(rule.price)
    amount = price.times(units * days)
    inputs += (("units", str(units)), ("days_late", str(days)), ("price", str(price)))
    return Outcome(amount, True, "", inputs, f"{words}: {units} × {days} day(s) late × {price} = {amount}")


Handler = Callable[[Any, a.Compensation, Situation], Outcome]
HANDLERS: dict[type, Handler] = {
    a.DelayTiers: _delay_tiers,
    a.FeesPerDelayDay: _fees_per_delay_day,
    a.InterruptionRefund: _interruption_refund,
    a.ThresholdAndDaily: _threshold_and_daily,
    a.FeeMultipleOnce: _fee_multiple_once,
    a.PerUnitPerDay: _per_unit_per_day,
}


def outcome_of(clause: a.Compensation, situation: Situation) -> Outcome:
    return HANDLERS[type(clause.rule)](clause.rule, clause, situation)
