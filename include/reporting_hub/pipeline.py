"""Write-audit-publish for one stream: extract -> validate -> publish.

Each step is a separate call so Airflow can run them as separate tasks; the
batch dict passed between them is small and JSON-serialisable (it goes
through XCom). The warehouse, not the dict, is the source of truth.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import psycopg

from reporting_hub.catalog import Catalog, Stream, load_catalog
from reporting_hub.load.deletes import tombstone_missing
from reporting_hub.load.duplicates import settle_duplicates
from reporting_hub.load.landing import copy_rows
from reporting_hub.load.publish import publish_batch
from reporting_hub.load.tables import ensure_tables
from reporting_hub.ops import progress
from reporting_hub.ops.alerts import notify
from reporting_hub.ops.dead_letters import record_dead_letters
from reporting_hub.ops.runs import (
    abandon_unpublished,
    mark_failed,
    mark_landed,
    mark_scanned,
    start_run,
)
from reporting_hub.ops.source_fields import record_source_fields
from reporting_hub.ops.stream_state import require_published
from reporting_hub.settings import Settings, SettingsError
from reporting_hub.sources.base import connector_for
from reporting_hub.sources.odoo.connect import connect_with_retries
from reporting_hub.sources.odoo.extract import scan_ids
from reporting_hub.sources.prefetch import prefetch
from reporting_hub.warehouse.migrate import migrate

log = logging.getLogger(__name__)


def extract(stream_id: str, settings: Settings, catalog: Catalog | None = None) -> dict[str, Any]:
    """Read the stream's new pages from the source and COPY them into landing as one batch."""
    stream = (catalog or load_catalog()).get(stream_id)
    migrate(settings.warehouse_url)
    batch_id = new_batch_id(stream)
    with psycopg.connect(settings.warehouse_url) as conn:
        abandon_unpublished(conn, stream, batch_id)
        watermark_before = _stored_watermark(conn, stream)
        start_run(conn, stream.id, batch_id, watermark_before)
    try:
        rows, pages, watermark_after = _land(stream, settings, batch_id, watermark_before)
    except Exception as exc:
        mark_failed(settings.warehouse_url, batch_id, f"extract: {exc}")
        raise
    return {
        "stream": stream.id,
        "batch_id": batch_id,
        "rows_landed": rows,
        "pages": pages,
        "watermark_before": watermark_before,
        "watermark_after": watermark_after,
    }


def validate(batch: dict[str, Any], settings: Settings, catalog: Catalog | None = None) -> dict:
    """Gate exactly this batch: pass it, quarantine its bad rows, or block it.

    A blocked batch is quarantined whole, keeps the watermark, raises an alert and
    raises GateFailed, so nothing of it is published and the task fails.
    """
    from reporting_hub.quality.audit import audit_batch

    catalog = catalog or load_catalog()
    stream = catalog.get(batch["stream"])
    require_published(settings.warehouse_url, stream.id, catalog)
    audit = audit_batch(stream, batch["batch_id"], settings.warehouse_url)
    return {
        "stream": stream.id,
        "batch_id": batch["batch_id"],
        "success": True,
        "evaluated": audit.result.evaluated,
        "outcome": audit.outcome,
        "rows_quarantined": audit.rows_quarantined,
    }


def publish(batch: dict[str, Any], settings: Settings, catalog: Catalog | None = None) -> dict:
    """Merge the validated batch into raw and advance the watermark, in one transaction."""
    stream = (catalog or load_catalog()).get(batch["stream"])
    with psycopg.connect(settings.warehouse_url) as conn:
        outcome = publish_batch(conn, stream, batch["batch_id"])
    log.info(
        "%s: published %d rows from %s", stream.id, outcome["rows_published"], batch["batch_id"]
    )
    return outcome


def sync(stream_id: str, settings: Settings, catalog: Catalog | None = None) -> dict[str, Any]:
    """The three steps in a row, for one stream."""
    return sync_many([stream_id], settings, catalog)[0]


class SyncFailed(RuntimeError):
    """Some streams failed; the others were published. Carries each outcome."""

    def __init__(self, outcomes: list[dict[str, Any]]):
        self.outcomes = outcomes
        failed = [f"{o['stream']}: {o['error']}" for o in outcomes if o.get("error")]
        super().__init__(f"{len(failed)} stream(s) failed:\n" + "\n".join(failed))


def sync_many(
    stream_ids: list[str], settings: Settings, catalog: Catalog | None = None
) -> list[dict[str, Any]]:
    """Sync several streams: extract referrers before their targets, publish in catalog order.

    Extracting a quant batch before the product batch means every product a quant
    points to is in the product batch, so a product created between the two reads
    cannot fail the quant gate. A failing stream does not stop the others; the
    failures are raised together at the end.
    """
    catalog = catalog or load_catalog()
    order = [s for s in catalog.streams if s in set(stream_ids)]  # targets before referrers
    batches: dict[str, dict[str, Any]] = {}
    outcomes: dict[str, dict[str, Any]] = {}
    own_seconds: dict[str, float] = {}
    for stream_id in reversed(order):
        with _timed(own_seconds, stream_id):
            try:
                batches[stream_id] = extract(stream_id, settings, catalog)
            except Exception as exc:
                outcomes[stream_id] = {"stream": stream_id, "error": str(exc), "exception": exc}
    for stream_id in (s for s in order if s in batches):
        with _timed(own_seconds, stream_id):
            try:
                validate(batches[stream_id], settings, catalog)
                outcomes[stream_id] = {
                    **batches[stream_id],
                    **publish(batches[stream_id], settings, catalog),
                }
            except Exception as exc:
                outcomes[stream_id] = {**batches[stream_id], "error": str(exc), "exception": exc}
    if batches:
        _refresh_docs(settings.warehouse_url)
    results = [{**outcomes[s], "seconds": round(own_seconds[s], 3)} for s in order]
    errors = [o for o in results if o.get("error")]
    if len(errors) == 1 and len(results) == 1:
        raise errors[0]["exception"]
    if errors:
        raise SyncFailed(results)
    return results


def _refresh_docs(warehouse_url: str) -> None:
    """Data Docs are a view for stewards: a failure to render them must not fail the sync."""
    from reporting_hub.quality.docs import refresh_data_docs

    try:
        refresh_data_docs(warehouse_url)
    except Exception:
        log.warning("could not rebuild Data Docs", exc_info=True)


@contextmanager
def _timed(totals: dict[str, float], key: str) -> Iterator[None]:
    """Add the block's wall time to totals[key]: a stream's own time across its steps."""
    started = time.monotonic()
    try:
        yield
    finally:
        totals[key] = totals.get(key, 0.0) + time.monotonic() - started


def scan_deletes(stream_id: str, settings: Settings, catalog: Catalog | None = None) -> dict:
    """Tombstone raw rows whose records were deleted in Odoo (ids only, paged)."""
    stream = (catalog or load_catalog()).get(stream_id)
    if stream.source != "odoo" or settings.odoo is None:
        raise SettingsError(f"{stream.id}: delete scans read ids from Odoo; none configured")
    migrate(settings.warehouse_url)
    batch_id = new_batch_id(stream).replace(stream.table, f"{stream.table}-deletes", 1)
    with psycopg.connect(settings.warehouse_url) as conn:
        start_run(conn, stream.id, batch_id, None, kind="delete_scan")
    try:
        client = connect_with_retries(settings.odoo)
        with psycopg.connect(settings.warehouse_url) as conn:
            scan_started = conn.execute("select now()").fetchone()[0]
            seen, deleted = tombstone_missing(conn, stream, scan_ids(client, stream), scan_started)
            mark_scanned(conn, batch_id, seen, deleted, client.retries)
    except Exception as exc:
        mark_failed(settings.warehouse_url, batch_id, f"delete scan: {exc}")
        raise
    log.info("%s: %d ids at the source, %d rows tombstoned", stream.id, seen, deleted)
    return {"stream": stream.id, "batch_id": batch_id, "ids_seen": seen, "rows_deleted": deleted}


def new_batch_id(stream: Stream) -> str:
    """Sortable, unique, and readable in logs: stream, UTC time, random suffix."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    return f"{stream.table}-{stamp}-{uuid.uuid4().hex[:8]}"


def _land(
    stream: Stream, settings: Settings, batch_id: str, watermark_before: str | None
) -> tuple[int, int, str | None]:
    extraction = connector_for(stream.source)(stream, settings, watermark_before)
    rows = pages = 0
    with psycopg.connect(settings.warehouse_url) as conn:
        ensure_tables(conn, stream, extraction.columns)
        record_source_fields(conn, stream.id, extraction.unloaded_fields)
        for page in prefetch(extraction.pages):
            rows += copy_rows(conn, stream, extraction.columns, page, batch_id)
            pages += 1
            progress.page(stream.id, pages, rows)
        progress.done(stream.id, pages, rows)
        dead = record_dead_letters(conn, stream.id, batch_id, extraction.dead_letters)
        watermark = extraction.watermark()
        mark_landed(conn, batch_id, rows, pages, watermark, extraction.retries(), dead)
        settled = settle_duplicates(conn, stream, batch_id)  # before the gate's key check
    if settled.alert is not None:
        notify(settled.alert)
    return rows, pages, watermark


def _stored_watermark(conn: psycopg.Connection, stream: Stream) -> str | None:
    cur = conn.execute("select watermark from ops.stream_state where stream = %s", (stream.id,))
    row = cur.fetchone()
    return row[0] if row else None
