"""Reading the simulation's tables for the systems: existence checks, as-of, streamed rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from demo_world.store import Store


def iter_rows(store: Store, sql: str, params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
    """Rows as dicts, streamed: a bench store's history does not fit comfortably in memory."""
    with store.connection() as conn:
        cur = conn.execute(sql, params)
        names = [d[0] for d in cur.description or ()]
        for row in cur:
            yield dict(zip(names, row, strict=True))


def has_table(store: Store, table: str) -> bool:
    """Whether the simulation wrote this table (older stores predate the non-Odoo systems)."""
    rows = store.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table])
    return bool(rows)


def store_as_of(store: Store) -> dt.datetime:
    """The end of the generated history: the static world's "now"."""
    return dt.datetime.strptime(store.meta()["as_of"], "%Y-%m-%dT%H:%M:%SZ")
