"""Rows/s of each non-Odoo connector at demo scale, against a bare baseline over the same data.

Engine: `pipeline.extract` (read, type, dead-letter check, COPY into landing) and the full
`sync` (plus the quality gate and publish). Baselines, in the same process on the same
data: `csv.reader` over the same files, and a bare `httpx` loop over the same shop pages
and carrier cursor pages (what a hand-written script would do). Ratio = engine / baseline.
"""

from __future__ import annotations

import csv
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx

from reporting_hub import pipeline
from reporting_hub.catalog import Stream, load_catalog
from reporting_hub.settings import REPO_ROOT, Settings, ShopSettings
from reporting_hub.sources.http import next_link
from reporting_hub.warehouse.locate import drop_database, ensure_database, server_url, with_database

SCALE = "demo"


def bare_csv(folder: Path, stream: Stream) -> int:
    """Rows of the files by csv.reader in the stream's encoding (no BOMs, types or checks)."""
    rows, trailer = 0, stream.file_format.trailer
    for path in sorted(folder.glob(stream.pattern or "*.csv")):
        encoding = stream.file_format.encoding or "utf-8"
        with open(path, newline="", encoding=encoding) as handle:
            records = csv.reader(handle, delimiter=stream.delimiter)
            rows += sum(1 for r in records if not trailer or r[:1] != [trailer.marker]) - 1
    return rows


def bare_shop(world, stream: Stream) -> int:
    url = world.shop_url + (stream.endpoint or "")
    params: dict | None = {"status": "any", "limit": stream.page_size}
    rows = 0
    with httpx.Client(headers={"X-Shopify-Access-Token": world.shop_token}) as client:
        while url:
            response = client.get(url, params=params)
            if response.status_code == 429:
                time.sleep(float(response.headers.get("Retry-After", "1")))
                continue
            rows += len(response.json()["orders"])
            url, params = next_link(response.headers.get("Link")), None
    return rows


def bare_carrier(world, stream: Stream) -> int:
    rows, cursor, more = 0, None, True
    with httpx.Client() as client:
        while more:
            params = {"limit": stream.page_size, **({"since": cursor} if cursor else {})}
            response = client.get(world.carrier_url + (stream.endpoint or ""), params=params)
            rows += len(response.text.splitlines())
            cursor = response.headers["X-Next-Cursor"]
            more = response.headers.get("X-Has-More") == "true"
    return rows


def timed(fn: Callable[[], int]) -> tuple[int, float]:
    started = time.perf_counter()
    rows = fn()
    return rows, time.perf_counter() - started


def baseline_for(world, stream: Stream) -> Callable[[], int]:
    if stream.source == "wms":
        return lambda: bare_csv(world.wms_inbox, stream)
    if stream.source == "bank":
        return lambda: bare_csv(world.bank_dir, stream)
    if stream.source == "shop":
        return lambda: bare_shop(world, stream)
    return lambda: bare_carrier(world, stream)


def main() -> None:
    from demo_world.server import start_server

    state = Path(tempfile.mkdtemp(prefix="bench-connectors-"))
    world = start_server(state, scale=SCALE, port=0)
    admin = server_url(REPO_ROOT / ".hub")
    name = f"hub_bench_{uuid.uuid4().hex[:8]}"
    ensure_database(admin, name)
    settings = Settings(
        with_database(admin, name),
        None,
        state / "hub",
        shop=ShopSettings(world.shop_url, world.shop_token),
        carrier_url=world.carrier_url,
        wms_inbox=world.wms_inbox,
        bank_dir=world.bank_dir,
    )
    catalog = load_catalog()
    try:
        print(f"scale {SCALE}; rows/s (engine extract, engine sync incl. gate+publish, bare)")
        for stream in (s for s in catalog.streams.values() if s.source != "odoo"):
            base_rows, base_s = timed(baseline_for(world, stream))
            started = time.perf_counter()
            batch = pipeline.extract(stream.id, settings, catalog)
            extract_s = time.perf_counter() - started
            pipeline.validate(batch, settings, catalog)
            pipeline.publish(batch, settings, catalog)
            sync_s = time.perf_counter() - started
            rows = batch["rows_landed"]
            print(
                f"  {stream.id:22} {rows:>7,} rows  extract {rows / extract_s:>9,.0f}/s  "
                f"sync {rows / sync_s:>8,.0f}/s  bare {base_rows / base_s:>9,.0f}/s  "
                f"extract/bare {rows / extract_s / (base_rows / base_s):.2f}"
            )
    finally:
        world.stop()
        drop_database(admin, name)


if __name__ == "__main__":
    main()
