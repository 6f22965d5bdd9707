"""Bill runs started from the API or the back office: run in the background, their progress readable from any
server process.

Contract: ``BillRunJobs.start`` records a job in state *inProgress* and returns it at once; a worker thread
runs the bill run use case (``app/billing.py``: one transaction per batch, idempotent per account and period),
records its progress after every batch, then *completed* with the report or *failed* with the error. Jobs are
kept in the store (``BillRunRecords``), so a server of several processes shows every job from each. A period
whose job is in progress cannot be started again, unless that job has not moved for ``STALE`` (its process
died: the bill run is idempotent, running the period again bills what is left).
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from telbill.app.access_store import AccessUnitOfWork, BillRunJob, JobState
from telbill.app.billing import BillingDeps, BillRunReport, BillRunRequest, run_bill_run
from telbill.app.identities import WallClock
from telbill.core.billing.cycles import parse_period
from telbill.core.errors import ErrorKind, TelbillError

STALE = timedelta(minutes=10)


class BillRunJobs:
    def __init__(
        self,
        deps: BillingDeps,
        store: Callable[[], AccessUnitOfWork],
        clock: WallClock,
        spawn: Callable[[Callable[[], None]], None] | None = None,
    ) -> None:
        self.deps = deps
        self.store = store
        self.clock = clock
        self._spawn = spawn or _thread

    def start(self, request: BillRunRequest) -> BillRunJob:
        parse_period(request.period)  # a malformed period fails now, not in the background
        now = self.clock.now()
        job = BillRunJob(f"BR-{request.period}-{secrets.token_hex(4)}", request.period, request.issue_date,
                         JobState.IN_PROGRESS, now, now)  # fmt: skip
        with self.store() as uow:
            running = [j for j in uow.bill_run_jobs.of_period(request.period)
                       if j.state is JobState.IN_PROGRESS and now - j.updated < STALE]  # fmt: skip
            if running:
                message = f"the bill run of {request.period} is in progress ({running[0].id})"
                raise TelbillError("billrun.running", message, ErrorKind.CONFLICT, "period")
            uow.bill_run_jobs.save(job)
            uow.commit()
        self._spawn(lambda: self._run(job, request))
        return job

    def _save(self, job: BillRunJob) -> BillRunJob:
        with self.store() as uow:
            uow.bill_run_jobs.save(job)
            uow.commit()
        return job

    def _run(self, job: BillRunJob, request: BillRunRequest) -> None:
        current = job

        def progress(done: int, accounts: int) -> None:
            nonlocal current
            current = self._save(replace(current, accounts_done=done, accounts=accounts, updated=self.clock.now()))

        try:
            report = run_bill_run(self.deps, request, progress)
        except Exception as error:  # the job records any failure: nobody else would see it in a thread
            now = self.clock.now()
            self._save(replace(current, state=JobState.FAILED, finished=now, updated=now, error=str(error)))
            return
        self._save(_finished(current, report, self.clock.now()))

    def get(self, job_id: str) -> BillRunJob:
        with self.store() as uow:
            return uow.bill_run_jobs.get(job_id)

    def recent(self, limit: int = 200) -> list[BillRunJob]:
        """The latest jobs first."""
        with self.store() as uow:
            return uow.bill_run_jobs.recent(limit)


def _finished(job: BillRunJob, report: BillRunReport, now: datetime) -> BillRunJob:
    return replace(
        job, state=JobState.COMPLETED, finished=now, updated=now, accounts=report.accounts,
        accounts_done=report.accounts, invoices=report.invoices, credit_notes=report.credit_notes,
        documents=tuple(report.documents), total_signed_gross=report.total_signed_gross,
    )  # fmt: skip


def _thread(work: Callable[[], None]) -> None:
    threading.Thread(target=work, name="telbill-bill-run", daemon=True).start()


__all__ = ["STALE", "BillRunJob", "BillRunJobs", "JobState"]
