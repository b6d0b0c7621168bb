"""The quality gate's share of a sync cycle at demo scale: extract vs validate vs publish.

Every Odoo stream of the catalog is synced twice against the demo world (`demo` scale,
in its own process as a real Odoo would be): the first cycle loads everything, the
second is the steady state (snapshots whole again, incremental streams their look-back
window). Each step is timed on its own; the figure is validate / (extract + validate +
publish) over the cycle. GX's import and context set-up are paid once per process and
reported apart, because a long-lived worker pays them once.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import uuid
from pathlib import Path

from reporting_hub import pipeline
from reporting_hub.catalog import load_catalog
from reporting_hub.demo import world
from reporting_hub.quality.context import GX_ROOT_ENV, seed_gx_root
from reporting_hub.settings import REPO_ROOT, Settings
from reporting_hub.warehouse.locate import drop_database, ensure_database, server_url, with_database

SCALE = "demo"
CYCLES = ("full load", "steady state")


def warm_up_gx() -> float:
    """Seconds to import GX and open the file context: a once-per-process cost."""
    started = time.perf_counter()
    import great_expectations  # noqa: F401

    return time.perf_counter() - started


def cycle(settings: Settings, catalog, stream_ids: list[str]) -> list[tuple]:
    """(stream, rows, extract s, validate s, publish s) per stream, in catalog order."""
    rows = []
    for stream_id in stream_ids:
        t0 = time.perf_counter()
        try:
            batch = pipeline.extract(stream_id, settings, catalog)
        except Exception as exc:  # a model the demo world does not serve yet
            print(f"  {stream_id}: skipped ({str(exc)[:70]})")
            continue
        t1 = time.perf_counter()
        pipeline.validate(batch, settings, catalog)
        t2 = time.perf_counter()
        pipeline.publish(batch, settings, catalog)
        t3 = time.perf_counter()
        rows.append((stream_id, batch["rows_landed"], t1 - t0, t2 - t1, t3 - t2))
    return rows


def report(name: str, rows: list[tuple]) -> None:
    print(f"\n{name}:")
    print(f"{'stream':<28}{'rows':>9}{'extract s':>11}{'validate s':>12}{'publish s':>11}")
    for stream_id, n, extract, validate, publish in rows:
        print(f"{stream_id:<28}{n:>9,}{extract:>11.2f}{validate:>12.2f}{publish:>11.2f}")
    extract, validate, publish = (sum(r[i] for r in rows) for i in (2, 3, 4))
    total = extract + validate + publish
    print(
        f"{'total':<28}{sum(r[1] for r in rows):>9,}{extract:>11.2f}{validate:>12.2f}"
        f"{publish:>11.2f}\ngate share of the cycle: {validate / total:.0%} "
        f"({validate:.1f} s of {total:.1f} s)"
    )


def scratch_gx_root() -> Path:
    """A copy of expectations/ for the bench's gate runs: the working tree stays untouched."""
    root = seed_gx_root(Path(tempfile.mkdtemp(prefix="hub-bench-gx-")))
    os.environ[GX_ROOT_ENV] = str(root)
    return root


def main() -> None:
    gx_root = scratch_gx_root()
    catalog = load_catalog()
    admin = server_url(REPO_ROOT / ".hub")
    database = f"hub_bench_{uuid.uuid4().hex[:8]}"
    ensure_database(admin, database)
    state = Path(tempfile.gettempdir()) / f"hub-bench-demo-world-{SCALE}"
    started = time.perf_counter()
    child = world.start(state, REPO_ROOT / ".hub" / "logs", world.free_port(), scale=SCALE)
    print(f"demo world scale={SCALE}: ready in {time.perf_counter() - started:.1f}s")
    settings = world.settings_from_connection(
        world.connection(state), with_database(admin, database), REPO_ROOT / ".hub" / "bench", state
    )
    print(f"GX import (once per process): {warm_up_gx():.1f}s")
    streams = [s.id for s in catalog.for_source("odoo")]
    try:
        for name in CYCLES:
            report(name, cycle(settings, catalog, streams))
    finally:
        child.stop()
        drop_database(admin, database)
        shutil.rmtree(gx_root, ignore_errors=True)


if __name__ == "__main__":
    main()
