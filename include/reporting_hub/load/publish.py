"""Publish a validated batch: raw + history + watermark + run log, in ONE transaction.

A crash anywhere leaves the warehouse as if the publish never started; a rerun
of an already published batch changes nothing.
"""

from __future__ import annotations

from psycopg import Connection, sql

from reporting_hub.catalog import Stream
from reporting_hub.load.landing import discard_batch
from reporting_hub.load.redelivery import tombstone_replaced
from reporting_hub.ops.file_ledger import confirm_files
from reporting_hub.ops.runs import mark_published, run_of
from reporting_hub.quality.quarantine import check_counts, unless_held
from reporting_hub.quality.record import PUBLISHABLE

METADATA = ("_batch_id", "_extracted_at")


class NotValidated(RuntimeError):
    """Publishing was asked for a batch that has no passing validation run."""


def publish_batch(conn: Connection, stream: Stream, batch_id: str) -> dict:
    """Merge one landed, validated batch into raw.<table>; returns the run's outcome."""
    with conn.transaction():
        # One publisher per stream at a time; a second waits and then sees the first's work.
        conn.execute("select pg_advisory_xact_lock(hashtext(%s))", (stream.id,))
        run = run_of(conn, batch_id)
        if run is None:
            raise NotValidated(f"{stream.id}: batch {batch_id} was never landed")
        if run["status"] == "published":
            return {
                "stream": stream.id,
                "batch_id": batch_id,
                "rows_published": run["rows_published"],
                "already_published": True,
            }
        _require_passing_gate(conn, stream, batch_id, run["status"])
        published = merge_batch(conn, stream, batch_id)
        check_counts(conn, batch_id, published)
        if stream.is_snapshot:
            _tombstone_absent(conn, stream, batch_id)
        tombstone_replaced(conn, stream, batch_id)  # rows a corrected file no longer has
        _advance_state(conn, stream, batch_id, run["watermark_after"])
        mark_published(conn, batch_id, published)
        confirm_files(conn, batch_id)  # files claimed by the batch are taken for good
        discard_batch(conn, stream, batch_id)
    return {
        "stream": stream.id,
        "batch_id": batch_id,
        "rows_published": published,
        "already_published": False,
    }


def merge_batch(conn: Connection, stream: Stream, batch_id: str) -> int:
    """Merge the batch's landed rows into raw.<table> and its history; returns rows merged.

    Only what is in landing is merged: rows the gate quarantined have already left it.
    """
    columns = data_columns(conn, stream)
    _append_history(conn, stream, columns, batch_id)
    return _merge_current(conn, stream, columns, batch_id)


def data_columns(conn: Connection, stream: Stream) -> list[str]:
    """The landing table's data columns, in table order."""
    cur = conn.execute(
        "select column_name from information_schema.columns "
        "where table_schema = 'landing' and table_name = %s order by ordinal_position",
        (stream.table,),
    )
    return [name for (name,) in cur if name not in METADATA]


def _require_passing_gate(conn: Connection, stream: Stream, batch_id: str, status: str) -> None:
    """Publish only after a verdict that allows it: passed, bad rows quarantined, or waived."""
    if status != "landed":
        raise NotValidated(f"{stream.id}: batch {batch_id} is {status!r}, not 'landed'")
    cur = conn.execute(
        "select outcome from ops.validation_runs where batch_id = %s "
        "order by validation_run_id desc limit 1",
        (batch_id,),
    )
    row = cur.fetchone()
    if row is None or row[0] not in PUBLISHABLE:
        state = "has not been validated" if row is None else "failed its quality gate"
        raise NotValidated(f"{stream.id}: batch {batch_id} {state}; nothing published")


def _append_history(conn: Connection, stream: Stream, columns: list[str], batch_id: str) -> None:
    """Keep every version seen: rows that differ from the current raw row (or are new)."""
    cols = sql.SQL(", ").join(map(sql.Identifier, columns))
    landed = sql.SQL(", ").join(sql.SQL("l.{}").format(sql.Identifier(c)) for c in columns)
    current = sql.SQL(", ").join(sql.SQL("r.{}").format(sql.Identifier(c)) for c in columns)
    key_match = sql.SQL(" and ").join(
        sql.SQL("r.{0} = l.{0}").format(sql.Identifier(k)) for k in stream.primary_key
    )
    conn.execute(
        sql.SQL(
            "insert into raw.{history} ({cols}, _batch_id, _extracted_at, _published_at) "
            "select {landed}, l._batch_id, l._extracted_at, now() from landing.{table} l "
            "where l._batch_id = %s and not exists (select 1 from raw.{table} r "
            "where {key_match} and ({current}) is not distinct from ({landed}))"
        ).format(
            history=sql.Identifier(f"{stream.table}__history"),
            table=sql.Identifier(stream.table),
            cols=cols,
            landed=landed,
            current=current,
            key_match=key_match,
        ),
        (batch_id,),
    )


def _merge_current(conn: Connection, stream: Stream, columns: list[str], batch_id: str) -> int:
    cols = sql.SQL(", ").join(map(sql.Identifier, columns))
    updates = sql.SQL(", ").join(
        [
            *(
                sql.SQL("{0} = excluded.{0}").format(sql.Identifier(c))
                for c in [*columns, *METADATA, "_published_at"]
                if c not in stream.primary_key
            ),
            sql.SQL("_deleted_at = null"),  # back at the source: no longer a tombstone
        ]
    )
    cur = conn.execute(
        sql.SQL(
            "insert into raw.{table} ({cols}, _batch_id, _extracted_at, _published_at) "
            "select {cols}, _batch_id, _extracted_at, now() from landing.{table} "
            "where _batch_id = %s on conflict ({key}) do update set {updates}"
        ).format(
            table=sql.Identifier(stream.table),
            cols=cols,
            key=sql.SQL(", ").join(map(sql.Identifier, stream.primary_key)),
            updates=updates,
        ),
        (batch_id,),
    )
    return cur.rowcount


def _tombstone_absent(conn: Connection, stream: Stream, batch_id: str) -> int:
    """A snapshot is the whole truth: current rows missing from it are gone at the source."""
    key_match = sql.SQL(" and ").join(
        sql.SQL("l.{0} = r.{0}").format(sql.Identifier(k)) for k in stream.primary_key
    )
    cur = conn.execute(
        sql.SQL(
            "update raw.{table} r set _deleted_at = now() where r._deleted_at is null "
            "and not exists (select 1 from landing.{table} l "
            "where l._batch_id = %s and {key_match}) {held}"
        ).format(
            table=sql.Identifier(stream.table),
            key_match=key_match,
            held=unless_held(conn, stream, batch_id, alias="r"),
        ),
        (batch_id,),
    )
    return cur.rowcount


def _advance_state(conn: Connection, stream: Stream, batch_id: str, watermark: str | None) -> None:
    """Store the batch's watermark (its connector already made sure it never moves back)."""
    conn.execute(
        sql.SQL(
            "insert into ops.stream_state (stream, watermark, last_batch_id, last_published_at, "
            "rows_total) values (%s, %s, %s, now(), "
            "(select count(*) from raw.{table} where _deleted_at is null)) "
            "on conflict (stream) do update set "
            "watermark = coalesce(excluded.watermark, ops.stream_state.watermark), "
            "last_batch_id = excluded.last_batch_id, "
            "last_published_at = excluded.last_published_at, rows_total = excluded.rows_total"
        ).format(table=sql.Identifier(stream.table)),
        (stream.id, watermark, batch_id),
    )
