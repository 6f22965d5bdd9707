"""Writing a batch of rows on a second thread while the caller builds the next: PostgreSQL only.

Why: a statement import books 100,000 payments, then writes 200,000 ledger rows. On PostgreSQL the server
inserts them in its own process, on the other core, while the client only waits: handing a batch to a
thread (``COPY``, which waits for the server with the interpreter lock released) lets the client book the
next payments meanwhile (a test of 100,000 rows beside 0.6 s of booking: 1.25 → 0.8 s). On SQLite the
database works inside this process and needs the interpreter lock between rows: a second thread gains
nothing there, so SQLite writes in line.

Contract: ``WriteBehind(write)`` runs ``write(batch)`` for each ``send(batch)``, one batch at a time and in
order (a batch waits for the one before). The connection is the caller's: between ``send`` and the end of
the ``with`` block the caller must not use it (``SqlLedgers.add_all`` only builds postings meanwhile).
Leaving the block waits for the last batch; an error a batch raised is raised there, in the caller's
thread, as it was (a duplicate entry is still ``ledger.duplicate``), and later batches are not written.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import TracebackType
from typing import Generic, Self, TypeVar

B = TypeVar("B")


class WriteBehind(Generic[B]):
    def __init__(self, write: Callable[[B], None]) -> None:
        self.write = write
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def send(self, batch: B) -> None:
        self.wait()
        self.thread = threading.Thread(target=self._run, args=(batch,), name="telbill-write-behind", daemon=True)
        self.thread.start()

    def _run(self, batch: B) -> None:
        try:
            self.write(batch)
        except BaseException as error:  # handed to the caller's thread by ``wait``
            self.error = error

    def wait(self) -> None:
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        if self.error is not None:
            error, self.error = self.error, None
            raise error

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is None:
            self.wait()
        elif self.thread is not None:  # leaving on an error: the connection is free again, the batch's error lost
            self.thread.join()
            self.thread = None
