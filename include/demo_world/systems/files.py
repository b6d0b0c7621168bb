"""Delivering CSV files the way an SFTP drop does, or the way a partner writing in place does.

By default every file is written under a temporary `.part` name, flushed to disk and then renamed
into place, so a consumer that lists `*.csv` only ever finds complete files. A partner with the
in-place habit writes under the final name instead, in pieces, so the file grows for a moment.
Files are written in the encoding asked for (`utf-16` and `utf-8-sig` with a BOM), and carry the
modification time of when they were delivered, so history looks delivered long ago. A file
already delivered under its final name is left alone, so restarting the world does not rewrite
history.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from demo_world.faults import Injector

PART_SUFFIX = ".part"
IN_PLACE_PIECES, IN_PLACE_PAUSE_S = 4, 0.3  # a file written in place grows for about a second
HISTORY_AGE_S = 60.0


@dataclass(frozen=True)
class Delivery:
    """How one file is written: its encoding, in place or not, and when it was delivered."""

    encoding: str = "utf-8"
    in_place: bool = False
    delivered_at: float | None = None  # epoch seconds for its mtime; None: now


def history_time(due: dt.datetime, as_of: dt.datetime | None) -> float | None:
    """The mtime of a file due at `due` (simulated) when the world's present is `as_of`.

    History is delivered at start but happened before it: its files are dated that long
    before the real now (a minute at least: the world starts a little after its history).
    Files due after `as_of` (live mode) are dated when written.
    """
    if as_of is None or due > as_of:
        return None
    return time.time() - max(HISTORY_AGE_S, (as_of - due).total_seconds())


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]], delimiter: str) -> list[str]:
    """The header and rows as CSV lines (no terminators); None is empty, 5.0 is written 5."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return buf.getvalue().splitlines()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def deliver(
    path: Path,
    lines: list[str],
    delimiter: str = ",",
    injector: Injector | None = None,
    how: Delivery = Delivery(),
) -> bool:
    """Write `lines` to `path` (atomically, unless in place); False when already delivered.

    An empty `lines` is a 0-byte file. Characters the encoding lacks are written as `?`,
    as legacy exports do.
    """
    if path.exists():
        return False
    if injector is not None and lines:
        lines = injector.malform(lines, delimiter)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = "".join(f"{line}\n" for line in lines).encode(how.encoding, errors="replace")
    if how.in_place:
        _write_growing(path, data)
    else:
        part = path.with_name(path.name + PART_SUFFIX)
        _write(part, data)
        os.replace(part, path)
    if how.delivered_at is not None:
        os.utime(path, (how.delivered_at, how.delivered_at))
    return True


def _write(path: Path, data: bytes) -> None:
    with open(path, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


def _write_growing(path: Path, data: bytes) -> None:
    """Under the final name, a piece at a time: a reader may find it half written."""
    step = max(1, -(-len(data) // IN_PLACE_PIECES))
    with open(path, "wb") as out:
        for start in range(0, len(data), step):
            out.write(data[start : start + step])
            out.flush()
            if start + step < len(data):
                time.sleep(IN_PLACE_PAUSE_S)
