"""Bill runs started from the API or the back office: run in the background, their progress readable.

Contract: ``BillRunJobs.start`` returns at once with a job in state *inProgress*; a worker thread runs the
bill run use case (``app/billing.py``: one transaction per batch, idempotent per account and period) and
records its progress after every batch, then *completed* with the report or *failed* with the error. A job
is a snapshot (frozen); ``get`` returns the latest. Jobs live in the memory of the serving process: after a
restart the documents are in the store, the job records are not — starting the same period again bills only
what is left.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import Enum

from telbill.app.billing import BillingDeps, BillRunReport, BillRunRequest, run_bill_run
from telbill.app.identities import WallClock
from telbill.core.billing.cycles import parse_period
from telbill.core.errors import ErrorKind, TelbillError
from telbill.core.money import Money


class JobState(Enum):
    IN_PROGRESS = "inProgress"
    COMPLETED = "completed"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class BillRunJob:
    id: str
    period: str
    issue_date: date
    state: JobState
    started: datetime
    accounts_done: int = 0
    accounts: int = 0
    finished: datetime | None = None
    invoices: int = 0
    credit_notes: int = 0
    documents: tuple[str, ...] = ()
    total_signed_gross: Money = field(default_factory=Money.zero)
    error: str | None = None


class BillRunJobs:
    def __init__(self, deps: BillingDeps, clock: WallClock, spawn: Callable[[Callable[[], None]], None] | None = None):
        self.deps = deps
        self.clock = clock
        self._spawn = spawn or _thread
        self._jobs: dict[str, BillRunJob] = {}
        self._lock = threading.Lock()

    def start(self, request: BillRunRequest) -> BillRunJob:
        parse_period(request.period)  # a malformed period fails now, not in the background
        with self._lock:
            running = [j for j in self._jobs.values() if j.period == request.period and j.state is JobState.IN_PROGRESS]
            if running:
                message = f"the bill run of {request.period} is in progress ({running[0].id})"
                raise TelbillError("billrun.running", message, ErrorKind.CONFLICT, "period")
            job = BillRunJob(
                f"BR-{request.period}-{len(self._jobs) + 1}",
                request.period,
                request.issue_date,
                JobState.IN_PROGRESS,
                self.clock.now(),
            )
            self._jobs[job.id] = job
        self._spawn(lambda: self._run(job.id, request))
        return job

    def _update(self, job_id: str, **changes: object) -> None:
        with self._lock:
            self._jobs[job_id] = replace(self._jobs[job_id], **changes)  # type: ignore[arg-type]

    def _run(self, job_id: str, request: BillRunRequest) -> None:
        def progress(done: int, accounts: int) -> None:
            self._update(job_id, accounts_done=done, accounts=accounts)

        try:
            report = run_bill_run(self.deps, request, progress)
        except Exception as error:  # the job records any failure: nobody else would see it in a thread
            self._update(job_id, state=JobState.FAILED, finished=self.clock.now(), error=str(error))
            return
        self._finish(job_id, report)

    def _finish(self, job_id: str, report: BillRunReport) -> None:
        self._update(
            job_id,
            state=JobState.COMPLETED,
            finished=self.clock.now(),
            accounts=report.accounts,
            accounts_done=report.accounts,
            invoices=report.invoices,
            credit_notes=report.credit_notes,
            documents=tuple(report.documents),
            total_signed_gross=report.total_signed_gross,
        )

    def get(self, job_id: str) -> BillRunJob:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise TelbillError("billrun.not_found", f"no bill run {job_id}", ErrorKind.NOT_FOUND)
        return job

    def all(self) -> list[BillRunJob]:
        with self._lock:
            return sorted(self._jobs.values(), key=lambda j: j.started, reverse=True)


def _thread(work: Callable[[], None]) -> None:
    threading.Thread(target=work, name="telbill-bill-run", daemon=True).start()
