"""Fields the source offers but the catalog does not load: reported, never loaded.

A new field on the server is news for the data engineer (maybe worth a column),
not a reason to change the warehouse on the fly.
"""

from __future__ import annotations

import logging

from psycopg import Connection

log = logging.getLogger(__name__)


def record_source_fields(conn: Connection, stream: str, unloaded: dict[str, str]) -> list[str]:
    """Upsert the unloaded fields; return (and log) the ones never seen before."""
    known = {
        name
        for (name,) in conn.execute(
            "select field from ops.source_fields where stream = %s", (stream,)
        )
    }
    with conn.cursor() as cur:
        cur.executemany(
            "insert into ops.source_fields (stream, field, field_type) values (%s, %s, %s) "
            "on conflict (stream, field) do update set last_seen_at = now(), "
            "field_type = excluded.field_type",
            [(stream, name, kind) for name, kind in sorted(unloaded.items())],
        )
    new = sorted(set(unloaded) - known)
    if known and new:
        log.warning("%s: new source field(s) not loaded: %s", stream, ", ".join(new))
    return new
