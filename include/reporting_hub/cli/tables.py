"""Plain-text tables for the CLI: left-aligned columns, two spaces apart."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any


def render_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """The rows under their headers; `(none)` under the header when there are none."""
    table = [tuple(headers), *(tuple(cell(v) for v in row) for row in rows)]
    widths = [max(len(row[i]) for row in table) for i in range(len(headers))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in table]
    if not rows:
        lines.append("(none)")
    return "\n".join(line.rstrip() for line in lines)


def cell(value: Any) -> str:
    """One value as the tables print it: `-` for nothing, times to the second, JSON cut short."""
    if value is None:
        return "-"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, list | dict):
        return json.dumps(value, default=str, separators=(",", ":"))[:80]
    return str(value)
