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
from typing import Any, TypeVar

from reporting_hub.settings import OdooSettings
from reporting_hub.sources.odoo_client import (
    OdooAuthError,
    OdooClient,
    OdooTransientError,
    connect,
)

log = logging.getLogger(__name__)
T = TypeVar("T")


class TransientError(RuntimeError):
    """A failure worth retrying; `retry_after` is the server's requested wait, if any."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


TRANSIENT = (TransientError, OdooTransientError)


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


class RetryingClient:
    """An OdooClient whose calls are retried on transient errors."""

    def __init__(self, client: OdooClient, policy: RetryPolicy | None = None):
        self._client = client
        self._policy = policy or RetryPolicy()
        self._answered = False

    @property
    def server_version(self) -> tuple[int, int]:
        return self._client.server_version

    @property
    def retries(self) -> int:
        return self._policy.retries

    def execute(self, model: str, method: str, **kwargs: Any) -> Any:
        what = f"{model}.{method}"
        try:
            result = self._policy.call(lambda: self._client.execute(model, method, **kwargs), what)
        except OdooAuthError:
            if not self._answered:
                raise  # never authenticated: the credentials are wrong, fail fast
            # It worked a moment ago: the session expired. Log in again, once.
            log.warning("%s: access denied after earlier success; logging in again", what)
            self._policy.retries += 1
            self._policy.call(self._client.relogin, f"login again for {what}")
            result = self._policy.call(lambda: self._client.execute(model, method, **kwargs), what)
        self._answered = True
        return result


def connect_with_retries(
    settings: OdooSettings, policy: RetryPolicy | None = None
) -> RetryingClient:
    """Log in to Odoo, retrying a server that is briefly away, and wrap the client."""
    policy = policy or RetryPolicy()
    client = policy.call(lambda: connect(settings), f"login to {settings.url}")
    return RetryingClient(client, policy)
