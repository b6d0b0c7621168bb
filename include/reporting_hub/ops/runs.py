"""The run log: one ops.sync_runs row per batch, moved through its states."""

from __future__ import annotations

import psycopg
from psycopg import Connection, sql

from reporting_hub.catalog import Stream
from reporting_hub.warehouse.introspect import table_exists


def start_run(
    conn: Connection, stream: str, batch_id: str, watermark_before: str | None, kind: str = "sync"
) -> None:
    conn.execute(
        "insert into ops.sync_runs (stream, batch_id, status, watermark_before, kind) "
        "values (%s, %s, 'running', %s, %s)",
        (stream, batch_id, watermark_before, kind),
    )


def abandon_unpublished(conn: Connection, stream: Stream, superseded_by: str) -> list[str]:
    """Close batches a crash left running or landed, and free their landing rows.

    The new batch re-reads from the last published watermark, so nothing they held
    is lost; publishing them later would only move the watermark backwards.
    """
    cur = conn.execute(
        "update ops.sync_runs set status = 'failed', finished_at = clock_timestamp(), "
        "error = %s where stream = %s and kind in ('sync', 'replay') "
        "and status in ('running', 'landed') "
        "returning batch_id",
        (f"abandoned: never published, superseded by {superseded_by}", stream.id),
    )
    abandoned = [batch_id for (batch_id,) in cur]
    if abandoned and table_exists(conn, f"landing.{stream.table}"):
        conn.execute(
            sql.SQL("delete from landing.{} where _batch_id = any(%s)").format(
                sql.Identifier(stream.table)
            ),
            (abandoned,),
        )
    return abandoned


def mark_landed(
    conn: Connection,
    batch_id: str,
    rows: int,
    pages: int,
    watermark_after: str | None,
    retries: int = 0,
    dead_lettered: int = 0,
) -> None:
    conn.execute(
        "update ops.sync_runs set status = 'landed', rows_read = %s, rows_landed = %s, "
        "rows_dead_lettered = %s, pages = %s, retries = %s, watermark_after = %s "
        "where batch_id = %s",
        (rows + dead_lettered, rows, dead_lettered, pages, retries, watermark_after, batch_id),
    )


def mark_scanned(conn: Connection, batch_id: str, seen: int, deleted: int, retries: int) -> None:
    """A delete scan publishes tombstones only: it is done once they are committed."""
    conn.execute(
        "update ops.sync_runs set status = 'published', rows_read = %s, rows_deleted = %s, "
        "retries = %s, finished_at = clock_timestamp(), "
        "seconds = extract(epoch from clock_timestamp() - started_at) where batch_id = %s",
        (seen, deleted, retries, batch_id),
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
