"""A small service-assurance world over the in-memory store: the seed catalogs, one seller, the bill run with
the compensation source, and Brussels wall-clock instants."""

from __future__ import annotations

from datetime import date

from telbill.app.billing import BillingDeps, BillRunReport, BillRunRequest, run_bill_run
from telbill.app.care import CareDeps, NewTicket, Recorded, open_ticket, record_event
from telbill.app.compensation import CompensationSource
from telbill.core.care.tickets import TicketEvent, TicketEventKind, TicketKind
from tests.app.builders import SELLER, Operator, residential, subscription
from tests.core.care.builders import at


class CareWorld(Operator):
    def care(self) -> CareDeps:
        return CareDeps(self.uow, self.catalog)

    def deps(self) -> BillingDeps:
        return BillingDeps(self.uow, self.catalog, SELLER, sources=(CompensationSource(),))

    def bill(self, period: str, issue_date: str, batch_size: int = 500) -> BillRunReport:
        return run_bill_run(self.deps(), BillRunRequest(period, date.fromisoformat(issue_date), batch_size))

    def belgacom_line(self, plan: str = "LINE-CLASSIC", *options: str, activated: str = "2026-03-01") -> None:
        """ACC-1 (residential, Antwerpen 2000) with SUB-1 on ``plan``, activated on ``activated``."""
        with self.uow() as uow:
            uow.accounts.add(residential("ACC-1"))
            uow.subscriptions.add(subscription("SUB-1", "ACC-1", plan, ("activate", activated, None), options=options))
            uow.commit()

    def ticket(
        self, ticket_id: str, registered: str, kind: TicketKind = TicketKind.REPAIR, **fields: object
    ) -> Recorded:
        return open_ticket(self.care(), NewTicket(ticket_id, kind, "SUB-1", at(registered), **fields))  # type: ignore[arg-type]

    def event(self, ticket_id: str, kind: TicketEventKind, when: str, **fields: object) -> Recorded:
        return record_event(self.care(), ticket_id, TicketEvent(kind, at(when), **fields))  # type: ignore[arg-type]
