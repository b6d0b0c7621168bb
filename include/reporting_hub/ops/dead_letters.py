"""Dead letters: input records that could not be landed, kept with their origin and error."""

from __future__ import annotations

from collections.abc import Iterable

from psycopg import Connection

from reporting_hub.sources.base import DeadLetter


def record_dead_letters(
    conn: Connection, stream: str, batch_id: str, letters: Iterable[DeadLetter]
) -> int:
    """Insert the batch's dead letters in the landing transaction; returns how many."""
    rows = [(stream, batch_id, d.origin, d.payload, d.error, d.raw) for d in letters]
    if rows:
        with conn.cursor() as cur:
            cur.executemany(
                "insert into ops.dead_letter (stream, batch_id, origin, payload, error, "
                "payload_bytes) values (%s, %s, %s, %s, %s, %s)",
                rows,
            )
    return len(rows)
