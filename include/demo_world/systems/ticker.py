"""Run a few jobs every few seconds in a background thread (live mode's file drops)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class Ticker:
    """Calls each job every `interval_s` until stopped; a failing job is logged, not fatal."""

    def __init__(self, jobs: list[Callable[[], object]], interval_s: float = 5.0) -> None:
        self.jobs = jobs
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="demo-world-ticker", daemon=True)

    def start(self) -> Ticker:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            for job in self.jobs:
                try:
                    job()
                except Exception:
                    log.exception("live drop failed: %s", job)
