"""The main job on the embedded default: demo world + local warehouse, end to end.

`hub demo` starts the demo world in live mode and Airflow 3 standalone (see
local_airflow) with every DAG unpaused, prints the Airflow URL and login, and serves
until Ctrl-C or `hub demo-stop`, then stops both by PID. `hub demo --once` is the
headless version: the demo world in the background (or the running one), one cycle of
every DAG with `dag.test()`, then the inventory positions, KPI and reconciliation
summaries and where everything lives.
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
from reporting_hub.settings import REPO_ROOT, Settings, demo_world_odoo, systems_from_env
from reporting_hub.warehouse.introspect import table_exists

log = logging.getLogger(__name__)
STATE_DIR = Path(os.environ.get("DEMO_WORLD_DIR") or REPO_ROOT / ".demo-world")
MART_SQL = """
select sku, warehouse_code, company_id, on_hand_qty, reserved_qty, available_qty
from marts_ops.fct_inventory_positions order by warehouse_code, sku
"""
KPI_SQL = """
select max(date_day) as through, sum(revenue)::numeric(14, 2) as revenue,
       sum(gross_margin)::numeric(14, 2) as gross_margin, sum(orders) as orders,
       round(sum(orders_otif)::numeric / nullif(sum(orders_due), 0), 3) as otif_rate
from marts_exec.kpi_daily
where date_day > (select max(date_day) - 30 from marts_exec.kpi_daily)
"""
EXCEPTIONS_SQL = """
select exception_type, severity, count(*), sum(value_at_risk)
from marts_reconciliation.exceptions group by 1, 2 order by 1, 2
"""


def ensure_demo_world(
    state_dir: Path,
    log_dir: Path,
    port: int,
    scale: str = "demo",
    wait: float = 600,
    live: bool = False,
) -> bool:
    """Start `hub demo-world serve` in the background unless it already answers.

    Returns whether it was started here (and so is ours to stop).
    """
    if demo_world_pid(state_dir) is not None:
        return False
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
        *(["--live"] if live else []),
    ]
    with open(log_dir / "demo-world.log", "ab") as out:
        subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if demo_world_pid(state_dir) is not None:
            return True
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


def demo_settings(port: int, live: bool) -> tuple[Settings, bool]:
    """Settings for the demo: the given Odoo, else the demo world (started if needed)."""
    settings = Settings.from_env(need_odoo=bool(os.environ.get("ODOO_URL")))
    started = False
    if not os.environ.get("ODOO_URL"):
        started = ensure_demo_world(STATE_DIR, settings.home / "logs", port, live=live)
        settings = Settings(
            settings.warehouse_url,
            demo_world_odoo(STATE_DIR),
            settings.home,
            **systems_from_env({"DEMO_WORLD_DIR": str(STATE_DIR)}),
        )
    return settings, started


def run_demo(port: int = 8069) -> int:
    """Airflow 3 standalone over the live demo world, serving until Ctrl-C or demo-stop."""
    from reporting_hub import local_airflow
    from reporting_hub.dag_cycle import CYCLE, odoo_connection
    from reporting_hub.warehouse.migrate import migrate

    settings, started = demo_settings(port, live=True)
    migrate(settings.warehouse_url)
    airflow = local_airflow.LocalAirflow(settings.home / "airflow")
    env = local_airflow.airflow_env(
        airflow,
        local_airflow.metadata_url(settings.home),
        settings.warehouse_url,
        odoo_connection(settings.odoo),
    )
    env.update({"HUB_HOME": str(settings.home), "DEMO_WORLD_DIR": str(STATE_DIR)})
    print(f"starting Airflow 3 standalone (log: {airflow.log_file}) ...", flush=True)
    try:
        pid = local_airflow.start(airflow, env)
        local_airflow.unpause(airflow, list(CYCLE))
    except BaseException:
        _stop_all(airflow, started)
        raise
    user, password = airflow.login() or ("admin", "?")
    print(f"\nAirflow:   {airflow.url}  (login {user} / {password}; pid {pid})")
    print(f"DAGs:      {', '.join(CYCLE)} (unpaused)")
    print(f"Odoo:      {settings.odoo.url} (live demo world{'' if started else ', reused'})")
    print(f"Warehouse: {_redact(settings.warehouse_url)}")
    print("Serving until Ctrl-C or `make demo-stop`.", flush=True)
    try:
        while airflow.pid() is not None:
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nstopping ...", flush=True)
    _stop_all(airflow, started)
    print("stopped.")
    return 0


def _stop_all(airflow: object, demo_world: bool) -> None:
    from reporting_hub import local_airflow

    local_airflow.stop(airflow)  # type: ignore[arg-type]
    if demo_world:
        stop_demo_world()


def stop_demo(home: Path | None = None) -> list[str]:
    """`hub demo-stop`: SIGINT to Airflow and SIGTERM to the demo world, by their PIDs."""
    from reporting_hub import local_airflow

    home = home or Path(os.environ.get("HUB_HOME") or REPO_ROOT / ".hub")
    stopped = []
    if local_airflow.stop(local_airflow.LocalAirflow(home / "airflow")):
        stopped.append("Airflow")
    if stop_demo_world():
        stopped.append("demo world")
    return stopped


def run_once(port: int = 8069) -> int:
    """One cycle of every DAG with dag.test(), then what a newcomer needs to see."""
    from reporting_hub import dag_cycle

    settings, _ = demo_settings(port, live=False)
    dag_cycle.configure(
        settings.home / "airflow-once",
        settings.warehouse_url,
        dag_cycle.odoo_connection(settings.odoo),
    )
    os.environ.setdefault("DEMO_WORLD_DIR", str(STATE_DIR))
    outcomes = dag_cycle.run_cycle(dag_cycle.load_dags())
    print("\nDAG runs (dag.test):")
    for o in outcomes:
        failed = f"  failed: {', '.join(o.failed_tasks)}" if o.failed_tasks else ""
        print(f"  {o.dag_id:<18} {o.state:<8} {o.seconds:>6.1f}s{failed}")
    with psycopg.connect(settings.warehouse_url) as conn:
        _print_results(conn)
    _print_score(settings.warehouse_url, STATE_DIR)
    catalog = load_catalog()
    print("\nStreams:\n" + render(stream_status(settings.warehouse_url, catalog)))
    print(f"\nWarehouse: {_redact(settings.warehouse_url)}")
    print(f"Odoo:      {settings.odoo.url} (database {settings.odoo.db}, {settings.odoo.protocol})")
    print(f"Logs:      {settings.home / 'logs'}  (dbt: {settings.home / 'dbt' / 'logs'})")
    print("Stop the demo world with `make demo-stop`.")
    return 0 if all(o.state == "success" for o in outcomes) else 1


def _print_results(conn: psycopg.Connection) -> None:
    """Inventory positions, then the KPI and reconciliation summaries when those marts exist."""
    if table_exists(conn, "marts_ops.fct_inventory_positions"):
        _print_positions(conn.execute(MART_SQL).fetchall())
    if table_exists(conn, "marts_exec.kpi_daily"):
        print("\nKPIs (marts_exec.kpi_daily, last 30 days):")
        cur = conn.execute(KPI_SQL)
        names = [c.name for c in cur.description or []]
        for row in cur.fetchall():
            print("  " + "  ".join(f"{n}={v}" for n, v in zip(names, row, strict=True)))
    if table_exists(conn, "marts_reconciliation.exceptions"):
        rows = conn.execute(EXCEPTIONS_SQL).fetchall()
        print(f"\nReconciliation exceptions (marts_reconciliation.exceptions): {len(rows)} kinds")
        for exception_type, severity, count, value in rows:
            print(f"  {exception_type:<28} {severity or '-':<9} {count:>5}  {value or 0:>14,.2f}")


def _print_score(warehouse_url: str, state_dir: Path) -> None:
    """Precision and recall of the exceptions against the demo world's ground truth."""
    from reporting_hub.scoring import report, score

    connection = state_dir / "connection.json"
    if os.environ.get("ODOO_URL") or not connection.exists():
        return  # a real Odoo has no manifest to score against
    manifest = Path(json.loads(connection.read_text())["manifest"])
    manifest = manifest if manifest.is_absolute() else state_dir / manifest.name
    with psycopg.connect(warehouse_url) as conn:
        if not table_exists(conn, "marts_reconciliation.exceptions"):
            return
    print("\n" + report(score(warehouse_url, manifest)))


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
