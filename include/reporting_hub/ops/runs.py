"""The run log: one ops.sync_runs row per batch, moved through its states."""

from __future__ import annotations

import psycopg
from psycopg import Connection


def start_run(conn: Connection, stream: str, batch_id: str, watermark_before: str | None) -> None:
    conn.execute(
        "insert into ops.sync_runs (stream, batch_id, status, watermark_before) "
        "values (%s, %s, 'running', %s)",
        (stream, batch_id, watermark_before),
    )


def mark_landed(
    conn: Connection, batch_id: str, rows: int, pages: int, watermark_after: str | None
) -> None:
    conn.execute(
        "update ops.sync_runs set status = 'landed', rows_read = %s, rows_landed = %s, "
        "pages = %s, watermark_after = %s where batch_id = %s",
        (rows, rows, pages, watermark_after, batch_id),
    )


def mark_published(conn: Connection, batch_id: str, rows: int) -> None:
    conn.execute(
        "update ops.sync_runs set status = 'published', rows_published = %s, "
        "finished_at = clock_timestamp(), "
        "seconds = extract(epoch from clock_timestamp() - started_at) where batch_id = %s",
        (rows, batch_id),
    )


def mark_failed(warehouse_url: str, batch_id: str, error: str) -> None:
    """Record a failure on its own connection, so it survives the failed transaction."""
    with psycopg.connect(warehouse_url) as conn:
        conn.execute(
            "update ops.sync_runs set status = 'failed', error = %s, "
            "finished_at = clock_timestamp(), "
            "seconds = extract(epoch from clock_timestamp() - started_at) where batch_id = %s",
            (error[:4000], batch_id),
        )


def run_of(conn: Connection, batch_id: str) -> dict | None:
    cur = conn.execute(
        "select stream, status, rows_landed, rows_published, watermark_after "
        "from ops.sync_runs where batch_id = %s",
        (batch_id,),
    )
    row = cur.fetchone()
    if row is None:
        return None
    keys = ("stream", "status", "rows_landed", "rows_published", "watermark_after")
    return dict(zip(keys, row, strict=True))
