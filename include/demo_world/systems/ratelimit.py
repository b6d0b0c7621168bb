"""A leaky bucket per API client, the rate limit Shopify's REST Admin API enforces.

Each request pours one unit in; the bucket leaks at a fixed rate; a request that would overflow it
is refused with the seconds until a unit has leaked, which the API sends as `Retry-After`.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    level: int  # units in the bucket after this request (the "32" of "32/40")
    capacity: int
    retry_after_s: float = 0.0


class LeakyBucket:
    """Thread-safe buckets keyed by client; Shopify's standard plan is 40 deep, leaking 2/s."""

    def __init__(
        self,
        capacity: int = 40,
        leak_per_s: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.capacity = capacity
        self.leak_per_s = leak_per_s
        self._clock = clock
        self._levels: dict[str, tuple[float, float]] = {}  # key -> (level, at)
        self._lock = threading.Lock()

    def take(self, key: str) -> Verdict:
        """Pour one request for `key` into its bucket, or refuse it."""
        with self._lock:
            now = self._clock()
            level, at = self._levels.get(key, (0.0, now))
            level = max(0.0, level - (now - at) * self.leak_per_s)
            if level + 1 > self.capacity:
                self._levels[key] = (level, now)
                wait = (level + 1 - self.capacity) / self.leak_per_s
                return Verdict(False, round(level), self.capacity, wait)
            self._levels[key] = (level + 1, now)
            return Verdict(True, math.ceil(level + 1), self.capacity)
