"""Progress of long extractions: pages and rows in the log, and live on a terminal."""

from __future__ import annotations

import logging
import sys
import time

log = logging.getLogger("reporting_hub.progress")
_LOG_EVERY_SECONDS = 10.0
_last_logged: dict[str, float] = {}


def page(stream: str, pages: int, rows: int) -> None:
    """Report a landed page: a live line on a TTY, an INFO line every few seconds in logs."""
    if sys.stderr.isatty():
        sys.stderr.write(f"\r{stream}: {pages:,} pages, {rows:,} rows")
        sys.stderr.flush()
    now = time.monotonic()
    if now - _last_logged.get(stream, 0.0) >= _LOG_EVERY_SECONDS or pages == 1:
        _last_logged[stream] = now
        log.info("%s: %d pages, %d rows landed so far", stream, pages, rows)


def done(stream: str, pages: int, rows: int) -> None:
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K")
        sys.stderr.flush()
    log.info("%s: landed %d rows in %d pages", stream, rows, pages)
