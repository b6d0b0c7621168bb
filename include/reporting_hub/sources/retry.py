"""Retries with exponential backoff and full jitter for transient source errors.

Timeouts, dropped connections, 5xx and 429 are worth another try; wrong
credentials or an unknown model are not, and fail at once. A server that says
how long to wait (`Retry-After`) is obeyed.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


class TransientError(RuntimeError):
    """A failure worth retrying; `retry_after` is the server's requested wait, if any."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


TRANSIENT = (TransientError,)  # connectors' transient errors subclass it


@dataclass
class RetryPolicy:
    attempts: int = 5
    base_seconds: float = 0.5
    cap_seconds: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)
    retries: int = 0  # retries made so far, for the run log

    def call(self, fn: Callable[[], T], what: str) -> T:
        """Run fn, retrying transient errors; the last one is raised with the attempt count."""
        for attempt in range(1, self.attempts + 1):
            try:
                return fn()
            except TRANSIENT as exc:
                if attempt == self.attempts:
                    raise type(exc)(f"{exc} (gave up after {attempt} attempts)") from exc
                delay = self.delay(attempt, getattr(exc, "retry_after", None))
                self.retries += 1
                log.warning("%s: %s; retry %d in %.2fs", what, exc, attempt, delay)
                self.sleep(delay)
        raise AssertionError("unreachable")

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Full jitter: uniform in [0, min(cap, base * 2^(attempt-1))], or the server's wish."""
        if retry_after is not None:
            return min(self.cap_seconds, retry_after)
        return self.rng.uniform(0, min(self.cap_seconds, self.base_seconds * 2 ** (attempt - 1)))
