"""Extract rate of the sync engine against a bare odoorpc loop, and landing against raw COPY.

Baselines run in the same process on the same data: a bare odoorpc `search_read`
loop over the same fields and pages (what any script would do), and a plain
psycopg COPY of the same records into an untyped table. Ratios are engine/baseline.
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from pathlib import Path

import odoorpc
import psycopg

from reporting_hub import pipeline
from reporting_hub.catalog import load_catalog
from reporting_hub.demo import world
from reporting_hub.load.columns import columns_of
from reporting_hub.load.landing import copy_rows
from reporting_hub.load.tables import ensure_tables
from reporting_hub.settings import REPO_ROOT, Settings
from reporting_hub.sources.odoo import extract as odoo
from reporting_hub.sources.odoo.connect import connect
from reporting_hub.warehouse.locate import drop_database, ensure_database, server_url, with_database

# HUB_BENCH_SCALE=demo measures the demo world; the default is the one-year bench world.
SCALE = os.environ.get("HUB_BENCH_SCALE", "bench")


def bare_odoorpc(url: str, stream) -> tuple[int, float]:
    """What a hand-written script does: login, then keyset-paged search_read, same pages."""
    host, port = url.removeprefix("http://").split(":")
    started = time.perf_counter()
    client = odoorpc.ODOO(host, port=int(port))
    client.login("demo", "admin", "admin")
    by_id = stream.is_snapshot
    kwargs = {
        "fields": list(stream.fields),
        "limit": stream.page_size,
        "order": "id asc" if by_id else "write_date asc, id asc",
        "context": {"active_test": False},
    }
    rows, domain = 0, []
    while True:
        page = client.execute_kw(stream.object, "search_read", [domain], kwargs)
        rows += len(page)
        if len(page) < stream.page_size:
            return rows, time.perf_counter() - started
        last = page[-1]
        domain = (
            [("id", ">", last["id"])]
            if by_id
            else [
                "|",
                ("write_date", ">", last["write_date"]),
                "&",
                ("write_date", "=", last["write_date"]),
                ("id", ">", last["id"]),
            ]
        )


def landing_vs_raw_copy(settings: Settings, stream) -> tuple[float, float, int]:
    """Seconds to land pre-fetched records: the engine (convert + typed COPY) vs a bare COPY.

    The bare COPY writes the same already-converted values as text into an untyped
    table, so the ratio is what typing and the landing table's index cost.
    """
    client = connect(settings.odoo)
    shape = odoo.describe(client, stream)
    columns, convert = columns_of(shape.mappings), shape.converter()
    pages = list(odoo.read_pages(client, stream, None, odoo.read_context(client)))
    rows = sum(len(p) for p in pages)
    with psycopg.connect(settings.warehouse_url) as conn:
        ensure_tables(conn, stream, columns)
        started = time.perf_counter()
        for page in pages:
            copy_rows(conn, stream, columns, [convert(r) for r in page], "bench")
        engine = time.perf_counter() - started
        converted = [[str(v) for v in convert(r)] for page in pages for r in page]
        names = [c.name for c in columns]
        conn.execute(f"create temp table bare ({', '.join(f'{n} text' for n in names)})")
        started = time.perf_counter()
        with conn.cursor() as cur, cur.copy("copy bare from stdin") as copy:
            for row in converted:
                copy.write_row(row)
        bare = time.perf_counter() - started
        conn.rollback()
    return engine, bare, rows


def main() -> None:
    catalog = load_catalog()
    admin = server_url(REPO_ROOT / ".hub")
    database = f"hub_bench_{uuid.uuid4().hex[:8]}"
    ensure_database(admin, database)
    state = Path(tempfile.gettempdir()) / "hub-bench-demo-world"
    started = time.perf_counter()
    # A separate process, as a real Odoo is: in-process, server and client share one GIL.
    child = world.start(state, REPO_ROOT / ".hub" / "logs", world.free_port(), scale=SCALE)
    settings = world.settings_from_connection(
        world.connection(state), with_database(admin, database), REPO_ROOT / ".hub" / "bench", state
    )
    odoo_settings = settings.odoo
    print(
        f"demo world scale={SCALE}: ready in {time.perf_counter() - started:.1f}s "
        f"(generated once, then reused from {state})"
    )
    try:
        print(
            f"{'stream':<22}{'rows':>9}{'bare rows/s':>13}{'engine rows/s':>15}{'ratio':>7}"
            f"{'gate s':>8}{'publish s':>10}"
        )
        for stream in catalog.for_source("odoo"):  # catalog order: reference targets first
            stream_id = stream.id
            rows, bare_s = bare_odoorpc(odoo_settings.url, stream)
            t0 = time.perf_counter()
            batch = pipeline.extract(stream_id, settings, catalog)
            t1 = time.perf_counter()
            pipeline.validate(batch, settings, catalog)
            t2 = time.perf_counter()
            pipeline.publish(batch, settings, catalog)
            t3 = time.perf_counter()
            assert batch["rows_landed"] == rows, (batch["rows_landed"], rows)
            print(
                f"{stream_id:<22}{rows:>9,}{rows / bare_s:>13,.0f}{rows / (t1 - t0):>15,.0f}"
                f"{bare_s / (t1 - t0):>7.2f}{t2 - t1:>8.2f}{t3 - t2:>10.2f}"
            )
        engine, bare, rows = landing_vs_raw_copy(settings, catalog.get("odoo.stock_quant"))
        print(
            f"landing {rows:,} quants: engine COPY {rows / engine:,.0f} rows/s, "
            f"bare text COPY {rows / bare:,.0f} rows/s, ratio {bare / engine:.2f}"
        )
    finally:
        child.stop()
        drop_database(admin, database)


if __name__ == "__main__":
    main()
