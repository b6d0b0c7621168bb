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
from reporting_hub.load.columns import columns_of, row_converter
from reporting_hub.load.landing import copy_page
from reporting_hub.load.publish import publish_batch
from reporting_hub.load.tables import ensure_tables
from reporting_hub.load.watermark import Watermark, later
from reporting_hub.ops.runs import mark_failed, mark_landed, start_run
from reporting_hub.settings import Settings, SettingsError
from reporting_hub.sources import odoo
from reporting_hub.sources.odoo_client import connect
from reporting_hub.sources.prefetch import prefetch
from reporting_hub.warehouse.migrate import migrate

log = logging.getLogger(__name__)


def extract(stream_id: str, settings: Settings, catalog: Catalog | None = None) -> dict[str, Any]:
    """Read the stream's new pages from the source and COPY them into landing as one batch."""
    stream = (catalog or load_catalog()).get(stream_id)
    migrate(settings.warehouse_url)
    batch_id = new_batch_id(stream)
    with psycopg.connect(settings.warehouse_url) as conn:
        watermark_before = _stored_watermark(conn, stream)
        start_run(conn, stream.id, batch_id, str(watermark_before) if watermark_before else None)
    try:
        rows, pages, watermark_after = _land(stream, settings, batch_id, watermark_before)
    except Exception as exc:
        mark_failed(settings.warehouse_url, batch_id, f"extract: {exc}")
        raise
    log.info("%s: landed %d rows in %d pages as %s", stream.id, rows, pages, batch_id)
    return {
        "stream": stream.id,
        "batch_id": batch_id,
        "rows_landed": rows,
        "pages": pages,
        "watermark_before": str(watermark_before) if watermark_before else None,
        "watermark_after": str(watermark_after) if watermark_after else None,
    }


def validate(batch: dict[str, Any], settings: Settings, catalog: Catalog | None = None) -> dict:
    """Run the stream's quality gate on exactly this batch; a failure publishes nothing."""
    from reporting_hub.quality.gate import enforce, run_gate

    catalog = catalog or load_catalog()
    stream = catalog.get(batch["stream"])
    _require_published_targets(stream, catalog, settings.warehouse_url)
    result = run_gate(stream, batch["batch_id"], settings.warehouse_url)
    if not result.success:
        mark_failed(
            settings.warehouse_url, batch["batch_id"], "quality gate: " + "; ".join(result.failures)
        )
    enforce(result)
    return {
        "stream": stream.id,
        "batch_id": batch["batch_id"],
        "success": True,
        "evaluated": result.evaluated,
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
    results = [{**outcomes[s], "seconds": round(own_seconds[s], 3)} for s in order]
    errors = [o for o in results if o.get("error")]
    if len(errors) == 1 and len(results) == 1:
        raise errors[0]["exception"]
    if errors:
        raise SyncFailed(results)
    return results


@contextmanager
def _timed(totals: dict[str, float], key: str) -> Iterator[None]:
    """Add the block's wall time to totals[key]: a stream's own time across its steps."""
    started = time.monotonic()
    try:
        yield
    finally:
        totals[key] = totals.get(key, 0.0) + time.monotonic() - started


def new_batch_id(stream: Stream) -> str:
    """Sortable, unique, and readable in logs: stream, UTC time, random suffix."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    return f"{stream.table}-{stamp}-{uuid.uuid4().hex[:8]}"


def _land(
    stream: Stream, settings: Settings, batch_id: str, watermark_before: Watermark | None
) -> tuple[int, int, Watermark | None]:
    if settings.odoo is None:
        raise SettingsError(
            f"{stream.id}: no Odoo configured (set ODOO_URL or start the demo world)"
        )
    client = connect(settings.odoo)
    mappings = odoo.describe(client, stream)
    columns = columns_of(mappings)
    convert = row_converter(mappings)
    context = odoo.read_context(client)
    rows = pages = 0
    watermark = watermark_before
    with psycopg.connect(settings.warehouse_url) as conn:
        ensure_tables(conn, stream, columns)
        for page in prefetch(odoo.read_pages(client, stream, watermark_before, context)):
            rows += copy_page(conn, stream, columns, convert, page, batch_id)
            pages += 1
            watermark = later(watermark, odoo.last_watermark(page))
            log.info("%s: page %d, %d rows so far", stream.id, pages, rows)
        mark_landed(conn, batch_id, rows, pages, str(watermark) if watermark else None)
    return rows, pages, watermark


def _require_published_targets(stream: Stream, catalog: Catalog, warehouse_url: str) -> None:
    """A reference check against a raw table that was never published can only mislead."""
    targets = sorted(set(stream.checks.references.values()) - {stream.id})
    if not targets:
        return
    with psycopg.connect(warehouse_url) as conn:
        for target in targets:
            table = f"raw.{catalog.get(target).table}"
            if conn.execute("select to_regclass(%s)", (table,)).fetchone()[0] is None:
                raise SettingsError(
                    f"{stream.id} references {target}, which has never been published: "
                    f"sync {target} first (or sync them together with `hub sync --all`)"
                )


def _stored_watermark(conn: psycopg.Connection, stream: Stream) -> Watermark | None:
    if stream.is_snapshot:
        return None
    cur = conn.execute("select watermark from ops.stream_state where stream = %s", (stream.id,))
    row = cur.fetchone()
    return Watermark.parse(row[0]) if row else None
