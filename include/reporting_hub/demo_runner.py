"""The main job on the embedded default: demo world + local warehouse, end to end.

`hub demo` starts the demo world in the background (or reuses the running one),
syncs every Odoo stream through the quality gate, builds the marts and prints
the inventory positions and where everything lives.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg

from reporting_hub.catalog import load_catalog
from reporting_hub.ops.status import render, stream_status
from reporting_hub.pipeline import sync_many
from reporting_hub.settings import REPO_ROOT, Settings, demo_world_odoo

log = logging.getLogger(__name__)
STATE_DIR = REPO_ROOT / ".demo-world"
MART_SQL = """
select sku, warehouse_code, company_id, on_hand_qty, reserved_qty, available_qty
from marts_ops.fct_inventory_positions order by warehouse_code, sku
"""


def ensure_demo_world(
    state_dir: Path, log_dir: Path, port: int, scale: str = "demo", wait: float = 600
) -> None:
    """Start `hub demo-world serve` in the background unless it already answers."""
    if demo_world_pid(state_dir) is not None:
        return
    log_dir.mkdir(parents=True, exist_ok=True)
    (state_dir / "connection.json").unlink(missing_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "demo_world",
        "serve",
        "--port",
        str(port),
        "--scale",
        scale,
        "--state-dir",
        str(state_dir),
    ]
    with open(log_dir / "demo-world.log", "ab") as out:
        subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if demo_world_pid(state_dir) is not None:
            return
        time.sleep(0.3)
    raise RuntimeError(
        f"demo world did not start within {wait:.0f}s; see {log_dir / 'demo-world.log'}"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo_world_pid(state_dir: Path) -> int | None:
    """The pid of a demo world that is running and answering, else None."""
    path = state_dir / "connection.json"
    if not path.exists():
        return None
    conn = json.loads(path.read_text())
    try:
        os.kill(conn["pid"], 0)
        urllib.request.urlopen(f"{conn['odoo_url']}/web/webclient/version_info", timeout=2).close()
    except (OSError, KeyError):
        return None
    return conn["pid"]


def stop_demo_world(state_dir: Path = STATE_DIR) -> bool:
    pid = demo_world_pid(state_dir)
    if pid is None:
        return False
    os.kill(pid, signal.SIGTERM)
    return True


def run_demo(port: int = 8069) -> int:
    """Run the inventory slice end to end and print what a newcomer needs to see."""
    settings = Settings.from_env(need_odoo=bool(os.environ.get("ODOO_URL")))
    log_dir = settings.home / "logs"
    if not os.environ.get("ODOO_URL"):
        ensure_demo_world(STATE_DIR, log_dir, port)
        settings = Settings(settings.warehouse_url, demo_world_odoo(STATE_DIR), settings.home)
    catalog = load_catalog()
    streams = [s.id for s in catalog.for_source("odoo")]
    for outcome in sync_many(streams, settings, catalog):
        print(
            f"  {outcome['stream']:<24} {outcome['rows_landed']:>7,} landed  "
            f"{outcome['rows_published']:>7,} published  {outcome['seconds']:.2f}s"
        )
    from reporting_hub.transform import dbt_build

    dbt_build(["+fct_inventory_positions"], settings.warehouse_url, settings.home)
    with psycopg.connect(settings.warehouse_url) as conn:
        rows = conn.execute(MART_SQL).fetchall()
    _print_positions(rows)
    print("\nStreams:\n" + render(stream_status(settings.warehouse_url, catalog)))
    print(f"\nWarehouse: {_redact(settings.warehouse_url)}")
    print(f"Odoo:      {settings.odoo.url} (database {settings.odoo.db}, {settings.odoo.protocol})")
    print(f"Logs:      {log_dir}  (dbt: {settings.home / 'dbt' / 'logs'})")
    print("Stop the demo world with `make demo-stop`.")
    return 0


def _print_positions(rows: list[tuple]) -> None:
    print(f"\nInventory positions (marts_ops.fct_inventory_positions): {len(rows)} rows")
    print(
        f"  {'warehouse':<9} {'sku':<12} {'company':>7} {'on hand':>10} {'reserved':>10} "
        f"{'available':>10}"
    )
    shown = rows[:25]
    for sku, wh, company, on_hand, reserved, available in shown:
        print(
            f"  {wh:<9} {sku or '-':<12} {company:>7} {on_hand:>10,.2f} {reserved:>10,.2f} "
            f"{available:>10,.2f}"
        )
    if len(rows) > len(shown):
        print(f"  ... and {len(rows) - len(shown)} more")


def _redact(url: str) -> str:
    head, at, tail = url.rpartition("@")
    if not at or ":" not in head.split("//", 1)[-1]:
        return url
    scheme, _, creds = head.partition("//")
    return f"{scheme}//{creds.split(':', 1)[0]}:***@{tail}"
