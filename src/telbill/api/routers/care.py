"""TMF621 trouble tickets with their SLA clocks and the compensation they earn; outage notices (TM Forum's
nearest is TMF656 service problem: telbill keeps its own small ``outage`` resource)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import AwareDatetime, Field

from telbill.api.dependencies import IdempotencyKey, PageDep, Reader, ServicesDep, allow, paginated
from telbill.api.idempotent import json_response, once
from telbill.api.params import AccountFilter
from telbill.api.problems import COMMON, WRITES
from telbill.api.schemas.common import Money, Ref, Tmf, href, money, ref
from telbill.app.access import Permission, Principal
from telbill.app.access_store import page_of
from telbill.app.care import NewTicket, open_ticket, record_event, record_pause
from telbill.app.care_views import all_outages, list_tickets, sla_state
from telbill.app.compensation import TicketCompensation, compensation_of
from telbill.app.horizon import check_day, check_instant
from telbill.app.outages import declare_outage, end_outage, outages_for_account
from telbill.app.services import Services
from telbill.core.care.instants import Interval, hours
from telbill.core.care.outages import Outage
from telbill.core.care.tickets import TicketEvent, TicketEventKind, TicketKind, TicketState

router = APIRouter(tags=["TMF621 trouble ticket, outages"], responses=COMMON)
Handler = Annotated[Principal, Depends(allow(Permission.HANDLE_TICKETS))]

# TMF621 ticket status for each state of telbill's ticket log (a paused repair is "held")
TICKET_STATUS: dict[TicketState, str] = {
    TicketState.REGISTERED: "submitted",
    TicketState.ACKNOWLEDGED: "acknowledged",
    TicketState.APPOINTMENT_PROPOSED: "pending",
    TicketState.APPOINTMENT_ACCEPTED: "inProgress",
    TicketState.RESOLVED: "resolved",
    TicketState.CLOSED: "closed",
}


class StatusChange(Tmf):
    status: str = Field(description="The event recorded")
    change_date: datetime = Field(alias="changeDate")
    change_reason: str | None = Field(default=None, alias="changeReason")


class SlaClock(Tmf):
    sla_class: str = Field(alias="slaClass")
    calendar: str
    deadline: datetime
    allowance: str
    elapsed: str
    paused: str
    left: str
    breached: bool


class Award(Tmf):
    clause: str
    label: str
    status: str = Field(description="due, awaiting_request, provisional, not_owed or not_cumulative")
    amount: Money
    payable: Money
    explanation: str
    reason: str | None = None


class Credit(Tmf):
    id: str
    amount: Money
    day: date = Field(alias="date")
    bill: Ref | None = Field(default=None, description="The credit note that credited it (none: the next bill run)")


class Compensation(Tmf):
    due: Money = Field(description="What the operator owes for this ticket now (outside the scope of VAT)")
    read_at: datetime = Field(alias="readAt")
    award: list[Award]
    credit: list[Credit]


class TroubleTicket(Tmf):
    id: str
    href: str
    ticket_type: str = Field(alias="ticketType")
    status: str
    description: str
    creation_date: datetime = Field(alias="creationDate")
    last_update: datetime = Field(alias="lastUpdate")
    resolution_date: datetime | None = Field(default=None, alias="resolutionDate")
    requested_resolution_date: date | None = Field(default=None, alias="requestedResolutionDate")
    expected_resolution_date: datetime | None = Field(default=None, alias="expectedResolutionDate")
    sla_breached: bool = Field(alias="slaBreached")
    held: bool = Field(description="Paused: the customer is the cause, the SLA clock stands still")
    related_entity: list[Ref] = Field(default_factory=list, alias="relatedEntity")
    billing_account: Ref = Field(alias="billingAccount")
    phone_number: list[str] = Field(default_factory=list, alias="phoneNumber")
    status_change: list[StatusChange] = Field(default_factory=list, alias="statusChange")
    sla_clock: list[SlaClock] = Field(default_factory=list, alias="slaClock")
    compensation: Compensation
    type: str = Field(default="TroubleTicket", alias="@type")


def ticket_out(found: TicketCompensation) -> TroubleTicket:
    ticket, assessment = found.ticket, found.assessment
    facts, state = ticket.facts(), sla_state(found)
    clocks = [
        SlaClock(
            sla_class=r.sla_class,
            calendar=r.calendar,
            deadline=r.deadline,
            allowance=hours(r.allowance),
            elapsed=hours(r.elapsed),
            paused=hours(r.paused),
            left=hours(r.left),
            breached=r.breached,
        )
        for r in assessment.situation.readings
    ]
    awards = [
        Award(
            clause=a.clause,
            label=a.label,
            status=a.status.value,
            amount=money(a.amount),
            payable=money(a.payable),
            explanation=a.explanation,
            reason=a.reason or None,
        )
        for a in assessment.awards
    ]
    credits = [
        Credit(
            id=c.id, amount=money(c.amount), day=c.day, bill=ref("CustomerBill", d, f"/customerBill/{d}") if d else None
        )
        for c, d in found.credits
    ]
    subscription = ticket.subscription_id
    return TroubleTicket(
        id=ticket.id,
        href=href(f"/troubleTicket/{ticket.id}"),
        ticket_type=ticket.kind.value,
        status="held" if facts.paused_since is not None else TICKET_STATUS[facts.state],
        description=ticket.note,
        creation_date=facts.registered,
        last_update=ticket.events[-1].at,
        resolution_date=facts.resolved,
        requested_resolution_date=ticket.due,
        expected_resolution_date=state.deadline,
        sla_breached=state.breached,
        held=facts.paused_since is not None,
        related_entity=[ref("Product", subscription, f"/product/{subscription}")] if subscription else [],
        billing_account=ref("BillingAccount", ticket.account_id, f"/billingAccount/{ticket.account_id}"),
        phone_number=list(ticket.numbers),
        status_change=[
            StatusChange(status=e.kind.value, change_date=e.at, change_reason=e.note or e.outage_id)
            for e in ticket.events
        ],
        sla_clock=clocks,
        compensation=Compensation(due=money(assessment.due), read_at=assessment.at, award=awards, credit=credits),
    )


def _ticket(svc: Services, who: Principal, ticket_id: str) -> TicketCompensation:
    found = compensation_of(svc.care, ticket_id, svc.clock.now())
    who.require_account(found.ticket.account_id, "ticket", ticket_id)
    return found


@router.get("/troubleTicket", response_model=list[TroubleTicket], summary="Tickets, latest first, with SLA state")
def list_trouble_tickets(
    svc: ServicesDep,
    who: Reader,
    page: PageDep,
    request: Request,
    response: Response,
    account: AccountFilter = None,
) -> list[TroubleTicket]:
    scope = who.account_scope()
    if account is not None:
        who.require_account(account)
    found = list_tickets(svc.care, page, svc.clock.now(), scope or account)
    paginated(response, found, request)
    return [ticket_out(t) for t in found.items]


@router.get("/troubleTicket/{id}", response_model=TroubleTicket, summary="A ticket: log, SLA clocks, compensation")
def get_trouble_ticket(id: str, svc: ServicesDep, who: Reader) -> TroubleTicket:
    return ticket_out(_ticket(svc, who, id))


class TroubleTicketCreate(Tmf):
    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
    ticket_type: TicketKind = Field(alias="ticketType")
    product: Ref
    creation_date: AwareDatetime | None = Field(default=None, alias="creationDate", description="Default: now")
    requested_resolution_date: date | None = Field(default=None, alias="requestedResolutionDate")
    phone_number: list[str] = Field(default_factory=list, alias="phoneNumber", max_length=100)
    description: str = Field(default="", max_length=2000)


@router.post(
    "/troubleTicket",
    response_model=TroubleTicket,
    status_code=201,
    responses=WRITES,
    summary="Register a ticket (a fault, an installation, a porting)",
)
def create_trouble_ticket(body: TroubleTicketCreate, svc: ServicesDep, who: Handler) -> Response:
    check_instant(body.creation_date, svc.clock.now(), "creationDate")
    check_day(body.requested_resolution_date, svc.today(), "requestedResolutionDate")
    at = body.creation_date or svc.clock.now()
    new = NewTicket(
        body.id,
        body.ticket_type,
        body.product.id,
        at,
        body.requested_resolution_date,
        tuple(body.phone_number),
        body.description,
    )
    open_ticket(svc.care, new)
    return json_response(
        ticket_out(compensation_of(svc.care, body.id, svc.clock.now())), 201, href(f"/troubleTicket/{body.id}")
    )


class TicketEventCreate(Tmf):
    kind: TicketEventKind
    at: AwareDatetime | None = Field(default=None, description="When it happened (default: now)")
    slot: AwareDatetime | None = Field(default=None, description="The appointment offered (appointment_proposed)")
    note: str = Field(default="", max_length=2000)
    outage: Ref | None = Field(default=None, description="The outage linked (outage_linked)")


@router.post(
    "/troubleTicket/{id}/event",
    response_model=TroubleTicket,
    status_code=201,
    responses=WRITES,
    summary="Record what happened; credits that become due wait for the next bill run "
    "(a customer may request compensation on their own ticket; Idempotency-Key required)",
)
def create_ticket_event(
    id: str, body: TicketEventCreate, svc: ServicesDep, who: Reader, request: Request, key: IdempotencyKey
) -> Response:
    if who.is_staff or body.kind is not TicketEventKind.COMPENSATION_REQUESTED:
        who.require(Permission.HANDLE_TICKETS)
    else:
        _ticket(svc, who, id)  # a customer: their own ticket only

    for name, value in (("at", body.at), ("slot", body.slot)):
        check_instant(value, svc.clock.now(), name)

    def work() -> Response:
        event = TicketEvent(
            body.kind, body.at or svc.clock.now(), body.slot, body.note, body.outage.id if body.outage else None
        )
        record_event(svc.care, id, event)
        return json_response(ticket_out(compensation_of(svc.care, id, svc.clock.now())), 201)

    return once(svc, who, key, request, body, work)


class PauseCreate(Tmf):
    start: AwareDatetime
    end: AwareDatetime


@router.post(
    "/troubleTicket/{id}/pause",
    response_model=TroubleTicket,
    status_code=201,
    responses=WRITES,
    summary="A pause reported afterwards (the customer was away): the clock did not run",
)
def create_ticket_pause(
    id: str, body: PauseCreate, svc: ServicesDep, who: Handler, request: Request, key: IdempotencyKey
) -> Response:
    for name, value in (("start", body.start), ("end", body.end)):
        check_instant(value, svc.clock.now(), name)

    def work() -> Response:
        record_pause(svc.care, id, Interval(body.start, body.end), svc.clock.now())
        return json_response(ticket_out(compensation_of(svc.care, id, svc.clock.now())), 201)

    return once(svc, who, key, request, body, work)


class OutageOut(Tmf):
    id: str
    href: str
    area: list[str] = Field(description="Postcodes")
    service: list[str] = Field(description="Plan codes or line types; none: every service")
    start_date_time: datetime = Field(alias="startDateTime")
    end_date_time: datetime | None = Field(default=None, alias="endDateTime")
    description: str
    status: str = Field(description="ongoing or ended")
    linked_ticket: list[Ref] = Field(default_factory=list, alias="linkedTicket")
    type: str = Field(default="Outage", alias="@type")


def outage_out(outage: Outage, now: datetime, linked: tuple[str, ...] = ()) -> OutageOut:
    ended = outage.end is not None and outage.end <= now
    return OutageOut(
        id=outage.id,
        href=href(f"/outage/{outage.id}"),
        area=list(outage.area),
        service=list(outage.services),
        start_date_time=outage.start,
        end_date_time=outage.end,
        description=outage.description,
        status="ended" if ended else "ongoing",
        linked_ticket=[ref("TroubleTicket", t, f"/troubleTicket/{t}") for t in linked],
    )


@router.get(
    "/outage",
    response_model=list[OutageOut],
    summary="Outages: every one for staff; for a customer, those concerning them now",
)
def list_outages(
    svc: ServicesDep,
    who: Reader,
    page: PageDep,
    request: Request,
    response: Response,
    account: AccountFilter = None,
) -> list[OutageOut]:
    now = svc.clock.now()
    scope = who.account_scope()
    if account is not None:
        who.require_account(account)
    target = scope or account
    outages = list(outages_for_account(svc.care, target, now)) if target else all_outages(svc.care)
    found = page_of(outages, page)
    paginated(response, found, request)
    return [outage_out(o, now) for o in found.items]


class OutageCreate(Tmf):
    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
    area: list[str] = Field(min_length=1, max_length=500)
    service: list[str] = Field(default_factory=list, max_length=50)
    start_date_time: AwareDatetime = Field(alias="startDateTime")
    end_date_time: AwareDatetime | None = Field(default=None, alias="endDateTime")
    description: str = Field(default="", max_length=2000)


@router.post(
    "/outage",
    response_model=OutageOut,
    status_code=201,
    responses=WRITES,
    summary="Declare an outage; the tickets it concerns are linked to it",
)
def create_outage(body: OutageCreate, svc: ServicesDep, who: Handler) -> Response:
    for name, value in (("startDateTime", body.start_date_time), ("endDateTime", body.end_date_time)):
        check_instant(value, svc.clock.now(), name)
    outage = Outage(
        body.id,
        tuple(a.strip() for a in body.area),
        body.start_date_time,
        body.end_date_time,
        tuple(body.service),
        body.description,
    )
    declared = declare_outage(svc.care, outage, svc.clock.now())
    return json_response(outage_out(declared.outage, svc.clock.now(), declared.linked), 201, href(f"/outage/{body.id}"))


class OutageEnd(Tmf):
    end_date_time: AwareDatetime = Field(alias="endDateTime")


@router.post("/outage/{id}/end", response_model=OutageOut, responses=WRITES, summary="End an outage")
def finish_outage(id: str, body: OutageEnd, svc: ServicesDep, who: Handler) -> OutageOut:
    check_instant(body.end_date_time, svc.clock.now(), "endDateTime")
    return outage_out(end_outage(svc.care, id, body.end_date_time), svc.clock.now())
