"""Dead-letter replay: parse dead-lettered records again and publish what now parses.

After a parser or catalog fix, the records a connector could not land are read back
from ops.dead_letter, converted by their source's `parse_dead_letter`, and landed as
a new batch that goes through the same gate and publish as any other. Every attempt
counts; a record that parses is marked replayed with the batch that published it.
Dead letters of batches that never published are superseded — the re-read of that
input dead-letters them again — so they are dismissed instead of replayed twice.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg import Connection

from reporting_hub import pipeline
from reporting_hub.catalog import Catalog, Stream, load_catalog
from reporting_hub.load.landing import copy_rows
from reporting_hub.load.tables import ensure_tables
from reporting_hub.ops.runs import mark_failed, mark_landed, start_run
from reporting_hub.settings import Settings
from reporting_hub.sources.base import CONNECTORS, DeadLetter
from reporting_hub.sources.values import columns_of
from reporting_hub.warehouse.migrate import migrate

log = logging.getLogger(__name__)
Parse = Callable[[Stream, Settings, DeadLetter], list[Any]]


@dataclass(frozen=True)
class Letter:
    dead_letter_id: int
    stream: str
    batch_id: str
    batch_status: str | None
    origin: str
    payload: str
    error: str
    attempts: int
    status: str
    created_at: datetime
    payload_bytes: bytes | None = None


LETTER_SQL = """
select d.dead_letter_id, d.stream, d.batch_id, r.status, d.origin, d.payload, d.error,
       d.attempts, d.status, d.created_at, d.payload_bytes
from ops.dead_letter d left join ops.sync_runs r on r.batch_id = d.batch_id
where (%(stream)s::text is null or d.stream = %(stream)s) and d.status = any(%(statuses)s)
order by d.dead_letter_id
"""


def list_letters(
    warehouse_url: str, stream: str | None = None, statuses: tuple[str, ...] = ("open",)
) -> list[Letter]:
    """Dead letters by status (open ones by default), with their batch's run status."""
    migrate(warehouse_url)
    with psycopg.connect(warehouse_url) as conn:
        cur = conn.execute(LETTER_SQL, {"stream": stream, "statuses": list(statuses)})
        return [Letter(*row) for row in cur]


def replay_all(
    settings: Settings, stream: str | None = None, catalog: Catalog | None = None
) -> list[dict[str, Any]]:
    """Replay the open dead letters of one stream, or of every stream that has some."""
    catalog = catalog or load_catalog()
    streams = (
        [stream] if stream else sorted({x.stream for x in list_letters(settings.warehouse_url)})
    )
    return [replay(catalog.get(s).id, settings, catalog) for s in streams]


def replay(stream_id: str, settings: Settings, catalog: Catalog | None = None) -> dict[str, Any]:
    """Land the stream's open dead letters that now parse as one batch, gate and publish it."""
    catalog = catalog or load_catalog()
    stream = catalog.get(stream_id)
    parse = parser_for(stream)
    migrate(settings.warehouse_url)
    with psycopg.connect(settings.warehouse_url) as conn:
        dismissed = dismiss_superseded(conn, stream.id)
    letters = list_letters(settings.warehouse_url, stream.id)
    parsed, failing = _parse_all(stream, settings, letters, parse)
    _record_failures(settings.warehouse_url, failing)
    outcome = {"stream": stream.id, "dismissed": dismissed, "still_failing": len(failing)}
    if not parsed:
        return {**outcome, "batch_id": None, "replayed": 0, "rows_published": 0}
    batch_id = pipeline.new_batch_id(stream).replace(stream.table, f"{stream.table}-replay", 1)
    ids = [letter.dead_letter_id for letter, _ in parsed]
    _land(stream, settings, batch_id, [row for _, row in parsed])
    batch = {"stream": stream.id, "batch_id": batch_id}
    try:
        pipeline.validate(batch, settings, catalog)
        published = pipeline.publish(batch, settings, catalog)
    except Exception:
        _count_attempt(settings.warehouse_url, ids, None)
        raise
    _count_attempt(settings.warehouse_url, ids, batch_id)
    log.info("%s: replayed %d dead letters in %s", stream.id, len(ids), batch_id)
    return {
        **outcome,
        "batch_id": batch_id,
        "replayed": len(ids),
        "rows_published": published["rows_published"],
    }


def parser_for(stream: Stream) -> Parse:
    """The source's `parse_dead_letter`, found beside its `open_extraction`."""
    module = CONNECTORS[stream.source].partition(":")[0]
    parse = getattr(importlib.import_module(module), "parse_dead_letter", None)
    if parse is None:
        raise ValueError(f"{stream.id}: source {stream.source!r} cannot replay dead letters")
    return parse


def dismiss_superseded(conn: Connection, stream: str) -> int:
    """Letters of batches that failed: their input is read again, dead-lettering it anew."""
    cur = conn.execute(
        "update ops.dead_letter d set status = 'dismissed', resolved_at = now(), "
        "error = d.error || ' [superseded: batch never published]' "
        "where d.stream = %s and d.status = 'open' and exists (select 1 from ops.sync_runs r "
        "where r.batch_id = d.batch_id and r.status = 'failed')",
        (stream,),
    )
    return cur.rowcount


def _parse_all(
    stream: Stream, settings: Settings, letters: list[Letter], parse: Parse
) -> tuple[list[tuple[Letter, list[Any]]], list[tuple[Letter, str]]]:
    """Split letters of published batches into rows that parse now and those that still fail."""
    parsed, failing = [], []
    for letter in letters:
        if letter.batch_status != "published":
            continue  # its batch may still publish, or be superseded: leave it for later
        try:
            letter_ = DeadLetter(letter.payload, letter.error, letter.origin, letter.payload_bytes)
            row = parse(stream, settings, letter_)
        except ValueError as exc:
            failing.append((letter, str(exc)))
            continue
        parsed.append((letter, row))
    return parsed, failing


def _land(stream: Stream, settings: Settings, batch_id: str, rows: list[list[Any]]) -> None:
    columns = columns_of(stream)
    with psycopg.connect(settings.warehouse_url) as conn:
        start_run(conn, stream.id, batch_id, None, kind="replay")
    try:
        with psycopg.connect(settings.warehouse_url) as conn:
            ensure_tables(conn, stream, columns)
            landed = copy_rows(conn, stream, columns, rows, batch_id)
            mark_landed(conn, batch_id, landed, 1, None)
    except Exception as exc:
        mark_failed(settings.warehouse_url, batch_id, f"replay: {exc}")
        raise


def _count_attempt(warehouse_url: str, ids: list[int], batch_id: str | None) -> None:
    """One more attempt each; with a batch, the letters are replayed (published there)."""
    with psycopg.connect(warehouse_url) as conn:
        conn.execute(
            "update ops.dead_letter set attempts = attempts + 1, "
            "status = case when %(batch)s::text is null then status else 'replayed' end, "
            "resolved_at = case when %(batch)s::text is null then resolved_at else now() end, "
            "replayed_batch_id = coalesce(%(batch)s, replayed_batch_id) "
            "where dead_letter_id = any(%(ids)s)",
            {"batch": batch_id, "ids": ids},
        )


def _record_failures(warehouse_url: str, failing: list[tuple[Letter, str]]) -> None:
    """Still unparseable: one more attempt, and today's reason (it may have changed)."""
    with psycopg.connect(warehouse_url) as conn, conn.cursor() as cur:
        cur.executemany(
            "update ops.dead_letter set attempts = attempts + 1, error = %s "
            "where dead_letter_id = %s",
            [(error, letter.dead_letter_id) for letter, error in failing],
        )
