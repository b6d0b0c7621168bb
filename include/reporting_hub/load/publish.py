"""Publish a validated batch: raw + history + watermark + run log, in ONE transaction.

A crash anywhere leaves the warehouse as if the publish never started; a rerun
of an already published batch changes nothing.
"""

from __future__ import annotations

from psycopg import Connection, sql

from reporting_hub.catalog import Stream
from reporting_hub.load.landing import discard_batch
from reporting_hub.load.watermark import Watermark, later
from reporting_hub.ops.runs import mark_published, run_of

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
        columns = data_columns(conn, stream)
        _append_history(conn, stream, columns, batch_id)
        published = _merge_current(conn, stream, columns, batch_id)
        if stream.is_snapshot:
            _drop_absent(conn, stream, batch_id)
        _advance_state(conn, stream, batch_id, run["watermark_after"])
        mark_published(conn, batch_id, published)
        discard_batch(conn, stream, batch_id)
    return {
        "stream": stream.id,
        "batch_id": batch_id,
        "rows_published": published,
        "already_published": False,
    }


def data_columns(conn: Connection, stream: Stream) -> list[str]:
    """The landing table's data columns, in table order."""
    cur = conn.execute(
        "select column_name from information_schema.columns "
        "where table_schema = 'landing' and table_name = %s order by ordinal_position",
        (stream.table,),
    )
    return [name for (name,) in cur if name not in METADATA]


def _require_passing_gate(conn: Connection, stream: Stream, batch_id: str, status: str) -> None:
    if status != "landed":
        raise NotValidated(f"{stream.id}: batch {batch_id} is {status!r}, not 'landed'")
    cur = conn.execute(
        "select success from ops.validation_runs where batch_id = %s "
        "order by validation_run_id desc limit 1",
        (batch_id,),
    )
    row = cur.fetchone()
    if row is None or not row[0]:
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
        sql.SQL("{0} = excluded.{0}").format(sql.Identifier(c))
        for c in [*columns, *METADATA, "_published_at"]
        if c not in stream.primary_key
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


def _drop_absent(conn: Connection, stream: Stream, batch_id: str) -> None:
    """A snapshot is the whole truth: current rows missing from it are gone at the source."""
    key_match = sql.SQL(" and ").join(
        sql.SQL("l.{0} = r.{0}").format(sql.Identifier(k)) for k in stream.primary_key
    )
    conn.execute(
        sql.SQL(
            "delete from raw.{table} r where not exists "
            "(select 1 from landing.{table} l where l._batch_id = %s and {key_match})"
        ).format(table=sql.Identifier(stream.table), key_match=key_match),
        (batch_id,),
    )


def _advance_state(conn: Connection, stream: Stream, batch_id: str, watermark: str | None) -> None:
    cur = conn.execute("select watermark from ops.stream_state where stream = %s", (stream.id,))
    row = cur.fetchone()
    current = Watermark.parse(row[0]) if row else None
    advanced = later(current, Watermark.parse(watermark))
    conn.execute(
        sql.SQL(
            "insert into ops.stream_state (stream, watermark, last_batch_id, last_published_at, "
            "rows_total) values (%s, %s, %s, now(), (select count(*) from raw.{table})) "
            "on conflict (stream) do update set watermark = excluded.watermark, "
            "last_batch_id = excluded.last_batch_id, "
            "last_published_at = excluded.last_published_at, rows_total = excluded.rows_total"
        ).format(table=sql.Identifier(stream.table)),
        (stream.id, str(advanced) if advanced else None, batch_id),
    )
