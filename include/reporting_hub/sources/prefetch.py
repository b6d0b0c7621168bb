"""Read the next page while the current one is being written.

Keyset paging is sequential (each request needs the previous page's last key),
but fetching page N+1 can overlap with COPYing page N. At most `depth` pages
wait in memory, so memory stays flat however large the stream is.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
_DONE = object()


def prefetch(pages: Iterable[T], depth: int = 1) -> Iterator[T]:
    """Iterate `pages` in a background thread, keeping up to `depth` items ready."""
    ready: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for page in pages:
                if stop.is_set():
                    return
                ready.put((page, None))
            ready.put((_DONE, None))
        except BaseException as exc:  # handed to the consumer, which re-raises it
            ready.put((_DONE, exc))

    worker = threading.Thread(target=produce, name="page-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            page, error = ready.get()
            if error is not None:
                raise error
            if page is _DONE:
                return
            yield page
    finally:
        stop.set()
        while worker.is_alive():  # unblock a producer waiting on a full queue
            try:
                ready.get_nowait()
            except queue.Empty:
                worker.join(timeout=0.05)
