"""dbt build time of the whole project at demo scale: full, then incremental after a ~1% delta.

The demo world trades one simulated day (about 1% more order lines), the streams re-sync,
and the same project builds again; incremental models merge only what changed. The
sync times are printed beside the builds as the baseline a cycle also pays.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
import uuid
from pathlib import Path

import psycopg

from demo_world.generate import AS_OF
from demo_world.live import LiveTrader
from demo_world.server import start_server
from reporting_hub import pipeline
from reporting_hub.catalog import load_catalog
from reporting_hub.demo.world import settings_for
from reporting_hub.settings import REPO_ROOT
from reporting_hub.transform.dbt import dbt_build
from reporting_hub.warehouse.locate import drop_database, ensure_database, server_url, with_database

ORDER_LINES = "select count(*) from marts_ops.fct_order_lines"


def timed(label: str, fn):
    started = time.perf_counter()
    result = fn()
    print(f"{label:<28}{time.perf_counter() - started:>8.1f}s")
    return result


def main() -> None:
    admin = server_url(REPO_ROOT / ".hub")
    database = f"hub_bench_{uuid.uuid4().hex[:8]}"
    ensure_database(admin, database)
    url = with_database(admin, database)
    scratch = Path(tempfile.mkdtemp(prefix="hub-bench-marts-"))
    world = start_server(scratch / "world", scale="demo", port=0)
    settings = settings_for(world, url, scratch / "hub")
    streams = list(load_catalog().streams)
    try:
        timed("sync, full", lambda: pipeline.sync_many(streams, settings))
        result = timed("dbt build, full", lambda: dbt_build(None, url, settings.home))
        with psycopg.connect(url) as conn:
            before = conn.execute(ORDER_LINES).fetchone()[0]
        day = AS_OF + dt.timedelta(hours=24)
        LiveTrader(world.store_path).step(day)
        world.drop_until(day)
        timed("sync, delta", lambda: pipeline.sync_many(streams, settings))
        timed("dbt build, incremental", lambda: dbt_build(None, url, settings.home))
        with psycopg.connect(url) as conn:
            after = conn.execute(ORDER_LINES).fetchone()[0]
        print(
            f"nodes: {sum(result.by_status.values())}; order lines {before:,} -> {after:,} "
            f"(+{(after - before) / before:.1%})"
        )
    finally:
        world.stop()
        drop_database(admin, database)


if __name__ == "__main__":
    main()
