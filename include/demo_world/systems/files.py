"""Delivering CSV files the way an SFTP drop does: a reader never sees half a file.

Every file is written under a temporary `.part` name, flushed to disk and then renamed into place;
a consumer that lists `*.csv` only ever finds complete files. A file already delivered under its
final name is left alone, so restarting the world does not rewrite history.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from demo_world.faults import Injector

PART_SUFFIX = ".part"


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
    path: Path, lines: list[str], delimiter: str = ",", injector: Injector | None = None
) -> bool:
    """Write `lines` to `path` atomically; False when the file was already delivered."""
    if path.exists():
        return False
    if injector is not None:
        lines = injector.malform(lines, delimiter)
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + PART_SUFFIX)
    with open(part, "w", encoding="utf-8", newline="") as out:
        out.write("".join(f"{line}\n" for line in lines))
        out.flush()
        os.fsync(out.fileno())
    os.replace(part, path)
    return True
