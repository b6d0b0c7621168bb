"""The main job on the embedded default: demo world + local warehouse, end to end.

`hub demo` starts the demo world in live mode and Airflow 3 standalone (demo.local_airflow)
with every DAG unpaused, prints the URLs and login, and serves until Ctrl-C or
`hub demo-stop`, printing each stream's batches as they publish. `hub demo --once` is the
headless version: the demo world in the background (or the running one), one cycle of every
DAG with `dag.test()`, then the inventory positions, KPIs, reconciliation scored against the
ground truth, and what to try next. Both say what they are doing as they go, notice at once
when a process they started dies (and show the end of its log), take their ports from
variables or pick free ones, and stop everything they started when they end.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
import warnings
from pathlib import Path

import psycopg

from reporting_hub.catalog import load_catalog
from reporting_hub.demo import world
from reporting_hub.demo.progress import ActivityWatcher, Stages
from reporting_hub.demo.report import print_results, print_score
from reporting_hub.ops.status import render, stream_status
from reporting_hub.settings import REPO_ROOT, Settings, redact_url
from reporting_hub.warehouse.migrate import migrate

STATE_DIR = world.STATE_DIR
DEMO_PID = "demo.pid"  # the running `hub demo`: `demo-stop` asks it to stop everything it started
GENERATE_HINT = "the first run generates the store: about a minute"
NEXT_STEPS = """
Next:
  hub status                      freshness, last run and rows per stream
  hub quarantine list             batches the quality gate held back, and why
  hub quality report              pass rates per stream, the open quarantine
  hub build                       rebuild every mart (dbt build)
  make demo                       the same DAGs under Airflow 3, over the live demo world
  make demo-stop                  stop a running `make demo`"""


def run_once(port: int | None = None) -> int:
    """One cycle of every DAG with dag.test(), then what a newcomer needs to see."""
    stages = Stages()
    stages.say("hub demo --once: one cycle of every DAG over the demo world, then the results")
    base = _warehouse(stages)
    with _demo_world(stages, base, port, live=False) as conn:
        env = world.env_for(conn, STATE_DIR)
        os.environ.update(env)  # the in-process tasks read their settings from the environment
        settings = Settings.from_env()
        outcomes = _run_cycle(stages, settings)
        with psycopg.connect(settings.warehouse_url) as db:
            print_results(db)
        print_score(settings.warehouse_url, world.manifest_path(conn, STATE_DIR))
        print("\nStreams:\n" + render(stream_status(settings.warehouse_url, load_catalog())))
        _print_where(settings, conn, live=False)
    print(NEXT_STEPS)
    return 0 if all(o.state == "success" for o in outcomes) else 1


def _run_cycle(stages: Stages, settings: Settings) -> list:
    """dag.test() each DAG of the cycle in turn, printing the warehouse's activity."""
    from reporting_hub.orchestration import cycle

    cycle.configure(
        settings.home / "airflow-once", settings.warehouse_url, cycle.odoo_connection(settings.odoo)
    )
    with stages.stage("loading the DAGs", "airflow dags folder: dags/"), warnings.catch_warnings():
        # Airflow's in-process execution API imports starlette's test client, which warns.
        warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
        dags = cycle.load_dags()
    outcomes = []
    with ActivityWatcher(settings.warehouse_url, stages):
        for dag_id, dag in dags.items():
            with stages.stage(f"{dag_id} (dag.test)"):
                outcome = cycle.run_dag(dag_id, dag)
            if outcome.failed_tasks:
                stages.say(f"   {dag_id}: failed tasks: {', '.join(outcome.failed_tasks)}")
            outcomes.append(outcome)
    return outcomes


def run_demo(port: int | None = None) -> int:
    """Airflow 3 standalone over the live demo world, serving until Ctrl-C or demo-stop."""
    from reporting_hub.demo import local_airflow
    from reporting_hub.orchestration.cycle import CYCLE, odoo_connection

    stages = Stages()
    stages.say("hub demo: Airflow 3 over the live demo world, until Ctrl-C or `make demo-stop`")
    base = _warehouse(stages)
    with _owning_pid_file(base.home / DEMO_PID), _demo_world(stages, base, port, True) as conn:
        env = world.env_for(conn, STATE_DIR)
        settings = Settings.from_env({**os.environ, **env})
        airflow = local_airflow.LocalAirflow(
            settings.home / "airflow",
            world.port_from_env(local_airflow.PORT_ENV, local_airflow.DEFAULT_PORT),
        )
        airflow_env = local_airflow.airflow_env(
            airflow,
            local_airflow.metadata_url(settings.home),
            settings.warehouse_url,
            odoo_connection(settings.odoo),
        )
        airflow_env.update({**env, "HUB_HOME": str(settings.home)})
        hint = f"port {airflow.port}; log {airflow.log_file}"
        with stages.stage("starting Airflow 3 standalone", hint, beat=False):
            child = local_airflow.start(airflow, airflow_env, stages.heartbeat("starting Airflow"))
        try:
            with stages.stage("registering and unpausing the DAGs"):
                local_airflow.unpause(airflow, list(CYCLE))
            _print_where(settings, conn, live=True, airflow=airflow)
            stages.say("serving; batches appear below as the DAGs publish them")
            _serve(stages, settings, [child])
        finally:
            with stages.stage("stopping Airflow"):
                local_airflow.stop(airflow)
    stages.say("stopped.")
    return 0


def _serve(stages: Stages, settings: Settings, children: list[world.Child]) -> None:
    """Watch the children and the warehouse until Ctrl-C; a dead child ends the demo loudly."""
    with ActivityWatcher(settings.warehouse_url, stages, interval=2.0):
        try:
            while True:
                for child in children:
                    child.check()
                time.sleep(1)
        except KeyboardInterrupt:
            stages.say("Ctrl-C: stopping ...")


def _warehouse(stages: Stages) -> Settings:
    with stages.stage("warehouse", "WAREHOUSE_URL, else PostgreSQL on 127.0.0.1:5432"):
        settings = Settings.from_env(need_odoo=False)
        migrate(settings.warehouse_url)
    stages.say(f"   warehouse: {redact_url(settings.warehouse_url)}")
    return settings


@contextlib.contextmanager
def _owning_pid_file(path: Path):
    """Write this process's PID for `demo-stop`, and let SIGTERM stop it like Ctrl-C."""

    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(str(os.getpid()))
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _demo_world(stages: Stages, settings: Settings, port: int | None, live: bool):
    """The running demo world, or one started here and stopped on the way out."""
    conn = world.connection(STATE_DIR)
    if conn is not None:
        mode = "live" if conn.get("live") else "not live"
        stages.say(
            f"   demo world: reusing the one at {conn['odoo_url']} ({mode}, pid {conn['pid']})"
        )
        yield conn
        return
    port = port or world.port_from_env(world.ODOO_PORT_ENV, world.DEFAULT_ODOO_PORT)
    mode = "live, trading as time passes" if live else "a fixed day"
    name = f"starting the demo world on port {port} ({mode})"
    with stages.stage(name, GENERATE_HINT, beat=False):
        child = world.start(
            STATE_DIR,
            settings.home / "logs",
            port,
            live=live,
            heartbeat=stages.heartbeat("starting the demo world"),
        )
    try:
        yield world.connection(STATE_DIR)
    finally:
        with stages.stage("stopping the demo world"):
            child.stop()


def _print_where(settings: Settings, conn: dict, live: bool, airflow: object = None) -> None:
    odoo = settings.odoo
    print("\nWhere everything is:")
    if airflow is not None:
        user, password = airflow.login() or ("admin", "?")  # type: ignore[attr-defined]
        print(f"  Airflow:    {airflow.url}  (login {user} / {password})")  # type: ignore[attr-defined]
    state = "serving until the demo stops" if live else "stopped when this command ends"
    print(f"  Odoo:       {odoo.url}  (database {odoo.db}, login admin / admin; {state})")
    print(f"  Shop API:   {conn['shop_url']}/admin/api/2024-10/orders.json")
    print(f"  Warehouse:  {redact_url(settings.warehouse_url)}")
    docs = settings.home / "expectations" / "gx" / "uncommitted" / "data_docs" / "local_site"
    print(f"  Data Docs:  file://{docs / 'index.html'}")
    print(f"  Logs:       {settings.home / 'logs'}  (dbt: {settings.home / 'dbt' / 'logs'})")


def stop_demo(home: Path | None = None, wait: float = 90) -> list[str]:
    """`hub demo-stop`: ask the running `hub demo` to stop what it started and wait for it;
    without one, SIGINT Airflow and SIGTERM the demo world by their PIDs."""
    from reporting_hub.demo import local_airflow

    home = home or Path(os.environ.get("HUB_HOME") or REPO_ROOT / ".hub")
    stopped = []
    pid = _running_pid(home / DEMO_PID)
    if pid is not None:
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + wait
        while _running_pid(home / DEMO_PID) == pid and time.monotonic() < deadline:
            time.sleep(0.5)
        stopped.append(f"hub demo (pid {pid}) and what it started")
    if local_airflow.stop(local_airflow.LocalAirflow(home / "airflow")):
        stopped.append("Airflow")
    if world.stop(STATE_DIR):
        stopped.append("demo world")
    return stopped


def _running_pid(path: Path) -> int | None:
    try:
        pid = int(path.read_text().strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid
