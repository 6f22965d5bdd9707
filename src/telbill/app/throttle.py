"""Rate limiting of logins: after too many failures, a key (an e-mail, a client address) waits.

Contract: ``LoginThrottle.check(keys, now)`` raises ``AccessDenied`` (throttled, with the seconds to wait)
when any key had ``limit`` failures within the last ``window``; ``failed`` records a failure for every key;
``succeeded`` forgets the e-mail's failures (not the address's: one address guessing many accounts stays
limited). The state is in the memory of one server process — enough for a portal served by one process;
several processes each keep their own count, which multiplies the limit by their number (docs/api.md).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable
from datetime import datetime, timedelta

from telbill.app.access import AccessDenied, Denial


class LoginThrottle:
    def __init__(self, limit: int = 5, window: timedelta = timedelta(minutes=15)) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: datetime) -> deque[datetime]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def check(self, keys: Iterable[str], now: datetime) -> None:
        with self._lock:
            for key in keys:
                times = self._recent(key, now)
                if len(times) >= self.limit:
                    wait = max(1, int((times[0] + self.window - now).total_seconds()) + 1)
                    raise AccessDenied(
                        "access.throttled",
                        f"too many failed logins: try again in {wait} seconds",
                        Denial.THROTTLED,
                        retry_after=wait,
                    )

    def failed(self, keys: Iterable[str], now: datetime) -> None:
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
