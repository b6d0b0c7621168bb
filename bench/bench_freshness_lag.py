"""Freshness lag: from a new sale order line in the demo Odoo to its row in the marts.

Run it beside a running `make demo` (Airflow standalone on its schedules, the demo world
trading live). It watches the demo Odoo's store for new `sale.order.line` records (the
live trader commits about once a second), notes the wall-clock time each commit is first
seen, and polls the warehouse until the line appears in `raw.odoo__sale_order_line`,
`staging.stg_odoo__sale_order_lines` and `marts_ops.fct_order_lines` (each that exists).
One change is one commit (a poll that sees new lines); its lag to a table is the time
until its newest line is there. Prints median and worst per table over `--changes`
changes (10 by default), taken at least `--spacing` seconds apart (default 30) so they
fall at different points of the 5-minute sync cycle. Without a running `make demo` it
says so and returns.

    python -m bench.bench_freshness_lag [--changes 10] [--spacing 30] [--timeout-minutes 60]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from reporting_hub.demo.local_airflow import LocalAirflow
from reporting_hub.settings import REPO_ROOT

TARGETS = {
    "raw": ("raw.odoo__sale_order_line", "id"),
    "staging": ("staging.stg_odoo__sale_order_lines", "sale_order_line_id"),
    "mart": ("marts_ops.fct_order_lines", "sale_order_line_id"),
}
POLL_S = 1.0


@dataclass
class Change:
    line_id: int
    seen_at: float
    arrived: dict[str, float] = field(default_factory=dict)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv or [])
    conn_file = args.state_dir / "connection.json"
    airflow = LocalAirflow(args.hub_home / "airflow")
    if not conn_file.exists() or airflow.pid() is None:
        print("no running `make demo` (Airflow + live demo world): start it, then run this")
        return 0
    store = json.loads(conn_file.read_text())["store"]
    warehouse = args.warehouse_url or _warehouse_url()
    changes = watch(Path(store), warehouse, args.changes, args.spacing, args.timeout_minutes * 60)
    report(changes)
    return 0


def watch(
    store: Path, warehouse_url: str, wanted: int, spacing: float, timeout: float
) -> list[Change]:
    """Record commits as they appear in the store, then when each reaches each table."""
    source = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    last_id = _max_line(source)
    changes: list[Change] = []
    deadline = time.monotonic() + timeout
    with psycopg.connect(warehouse_url, autocommit=True) as wh:
        print(f"watching {store.name} from line {last_id}", flush=True)
        while time.monotonic() < deadline:
            # Tables appear with the first build that creates them: look each time.
            tables = {k: v for k, v in TARGETS.items() if _exists(wh, v[0])}
            newest = _max_line(source)
            spaced = not changes or time.time() - changes[-1].seen_at >= spacing
            if newest > last_id and len(changes) < wanted and spaced:
                changes.append(Change(newest, time.time()))
                last_id = newest
            _check_arrivals(wh, tables, changes)
            if len(changes) >= wanted and all(len(c.arrived) == len(tables) for c in changes):
                break
            time.sleep(POLL_S)
    return changes


def report(changes: list[Change]) -> None:
    """Median and worst lag per table, in seconds, over the changes that arrived."""
    print(f"\nlag from a new sale order line in Odoo to its row, over {len(changes)} changes:")
    for name, (table, _) in TARGETS.items():
        lags = [c.arrived[name] - c.seen_at for c in changes if name in c.arrived]
        if not lags:
            print(f"  {table:<40} not reached (table missing or timeout)")
            continue
        print(
            f"  {table:<40} median {statistics.median(lags):6.0f}s  worst {max(lags):6.0f}s"
            f"  ({len(lags)}/{len(changes)} arrived)"
        )


def _check_arrivals(
    wh: psycopg.Connection, tables: dict[str, tuple[str, str]], changes: list[Change]
) -> None:
    now = time.time()
    for name, (table, column) in tables.items():
        pending = [c.line_id for c in changes if name not in c.arrived]
        if not pending:
            continue
        found = {
            r[0]
            for r in wh.execute(
                f"select {column} from {table} where {column} = any(%s)",
                (pending,),
            )
        }
        for change in changes:
            if change.line_id in found and name not in change.arrived:
                change.arrived[name] = now


def _max_line(source: sqlite3.Connection) -> int:
    return source.execute("select coalesce(max(id), 0) from sale_order_line").fetchone()[0]


def _exists(wh: psycopg.Connection, table: str) -> bool:
    return wh.execute("select to_regclass(%s)", (table,)).fetchone()[0] is not None


def _warehouse_url() -> str:
    from reporting_hub.settings import Settings

    return Settings.from_env(need_odoo=False).warehouse_url


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--changes", type=int, default=10)
    parser.add_argument("--spacing", type=float, default=30, help="seconds between changes")
    parser.add_argument("--timeout-minutes", type=float, default=60)
    parser.add_argument(
        "--hub-home", type=Path, default=Path(os.environ.get("HUB_HOME") or REPO_ROOT / ".hub")
    )
    parser.add_argument(
        "--state-dir",
        type=Path,
        default=Path(os.environ.get("DEMO_WORLD_DIR") or REPO_ROOT / ".demo-world"),
    )
    parser.add_argument("--warehouse-url", default=os.environ.get("WAREHOUSE_URL"))
    return parser


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
