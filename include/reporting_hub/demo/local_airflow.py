"""Airflow 3 on this machine: `airflow standalone` for the demo, sized for a small box.

Standalone runs the API server, scheduler, DAG processor and triggerer with the
LocalExecutor. Here it listens on 127.0.0.1 only, keeps its metadata in a PostgreSQL
database `airflow` on the server the warehouse was located on (SQLite cannot take the
scheduler's concurrent writers), runs at most four tasks at once (two cores), notices DAG
file changes within 30 s, and starts the DAGs unpaused. Tasks reach the API server through
`execution_api_server_url`. It is started so that SIGINT is not ignored (a process started
in the background inherits SIGINT as ignored) and its PID is written to a file: a clean
stop is SIGINT to that PID, after which the whole tree exits (SIGTERM orphans children).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reporting_hub.demo.world import Child, ChildDied, die_with_parent
from reporting_hub.settings import REPO_ROOT
from reporting_hub.warehouse.locate import ensure_database, server_url, with_database

log = logging.getLogger(__name__)
METADATA_DATABASE = "airflow"
DEFAULT_PORT = 8080
PORT_ENV = "HUB_AIRFLOW_PORT"
PARALLELISM = 4  # two cores: a few tasks at once keep the scheduler itself responsive
REFRESH_INTERVAL_S = 30
PASSWORDS_FILE = "simple_auth_manager_passwords.json.generated"
# Exec'd by the launcher: restores SIGINT's default action, then becomes `airflow standalone`.
LAUNCH = "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); " + (
    "os.execv(sys.argv[1], sys.argv[1:])"
)


@dataclass(frozen=True)
class LocalAirflow:
    """Where a local Airflow lives and how to reach it."""

    home: Path
    port: int = DEFAULT_PORT

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid_file(self) -> Path:
        return self.home / "standalone.pid"

    @property
    def log_file(self) -> Path:
        return self.home / "standalone.log"

    def pid(self) -> int | None:
        """The PID of the running standalone started from this home, else None."""
        try:
            pid = int(self.pid_file.read_text().strip())
            os.kill(pid, 0)
        except (OSError, ValueError):
            return None
        return pid

    def login(self) -> tuple[str, str] | None:
        """(user, password) of the admin, from the file standalone generates on first start."""
        path = self.home / PASSWORDS_FILE
        if not path.exists():
            return None
        users = json.loads(path.read_text())
        return next(iter(users.items()), None)


def metadata_url(hub_home: Path) -> str:
    """SQLAlchemy URL of the `airflow` database on the located PostgreSQL (created if needed)."""
    server = os.environ.get("HUB_AIRFLOW_DB_SERVER") or server_url(hub_home)
    ensure_database(server, METADATA_DATABASE)
    url = with_database(server, METADATA_DATABASE)
    return url.replace("postgresql://", "postgresql+psycopg2://", 1)


def airflow_env(
    airflow: LocalAirflow, metadata: str, warehouse_url: str, odoo_conn: dict[str, Any] | None
) -> dict[str, str]:
    """The environment of every Airflow process: config, connections, the hub's settings."""
    env = {
        "AIRFLOW_HOME": str(airflow.home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO_ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO_ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__PARALLELISM": str(PARALLELISM),
        "AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG": str(PARALLELISM),
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{airflow.url}/execution/",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata,
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(airflow.port),
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": str(REFRESH_INTERVAL_S),
        "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "True",
        "AIRFLOW_CONN_WAREHOUSE": json.dumps(
            {"conn_type": "postgres", "extra": {"url": warehouse_url}}
        ),
        "GX_ANALYTICS_ENABLED": "false",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    if odoo_conn:
        env["AIRFLOW_CONN_ODOO_DEFAULT"] = json.dumps(odoo_conn)
    return env


def start(
    airflow: LocalAirflow,
    env: dict[str, str],
    heartbeat: Callable[[float], None] | None = None,
    wait: float = 240,
) -> Child:
    """Start standalone in its own session, write the PID file, wait until it is healthy.

    It gets SIGINT (its clean stop) if this process dies; if it exits while starting,
    ChildDied says so at once with the end of its log.
    """
    if airflow.pid() is not None:
        raise RuntimeError(f"Airflow already runs from {airflow.home} (pid {airflow.pid()})")
    airflow.home.mkdir(parents=True, exist_ok=True)
    executable = str(Path(sys.executable).parent / "airflow")
    with open(airflow.log_file, "ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", LAUNCH, executable, "standalone"],
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=lambda: die_with_parent(signal.SIGINT),  # noqa: PLW1509 (see world._PRCTL)
        )
    airflow.pid_file.write_text(str(proc.pid))
    child = Child("airflow standalone", proc, airflow.log_file)
    started = time.monotonic()
    while time.monotonic() - started < wait:
        try:
            child.check()
        except ChildDied:
            airflow.pid_file.unlink(missing_ok=True)
            raise
        if healthy(airflow) and airflow.login():
            return child
        if heartbeat:
            heartbeat(time.monotonic() - started)
        time.sleep(1)
    stop(airflow)
    raise ChildDied(f"Airflow was not healthy within {wait:.0f}s; see {airflow.log_file}")


def healthy(airflow: LocalAirflow) -> bool:
    """The API server answers and reports a healthy scheduler."""
    try:
        with urllib.request.urlopen(f"{airflow.url}/api/v2/monitor/health", timeout=2) as r:
            body = json.load(r)
    except (OSError, ValueError):
        return False
    return body.get("scheduler", {}).get("status") == "healthy"


def api(airflow: LocalAirflow, method: str, path: str, body: Any = None) -> Any:
    """One call to the REST API (v2) as the generated admin."""
    user, password = airflow.login() or ("admin", "")
    token = _post_json(f"{airflow.url}/auth/token", {"username": user, "password": password})
    request = urllib.request.Request(
        f"{airflow.url}/api/v2{path}",
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={
            "Authorization": f"Bearer {token['access_token']}",
            "Content-Type": "application/json",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def unpause(airflow: LocalAirflow, dag_ids: list[str], wait: float = 180) -> list[str]:
    """Wait until the DAG processor has registered every DAG, then unpause the paused ones."""
    deadline = time.monotonic() + wait
    while True:
        try:
            dags = {d["dag_id"]: d for d in api(airflow, "GET", "/dags?limit=100")["dags"]}
        except (OSError, ValueError):
            dags = {}
        missing = sorted(set(dag_ids) - set(dags))
        if not missing:
            break
        if time.monotonic() > deadline:
            raise RuntimeError(f"DAGs not registered within {wait:.0f}s: {', '.join(missing)}")
        time.sleep(2)
    paused = [d for d in dag_ids if dags[d]["is_paused"]]
    for dag_id in paused:
        api(airflow, "PATCH", f"/dags/{dag_id}", {"is_paused": False})
    return paused


def stop(airflow: LocalAirflow, wait: float = 15) -> bool:
    """SIGINT to the standalone PID, wait for the tree to exit; SIGTERM the group if it hangs.

    Standalone often keeps running tasks past SIGINT; every task is idempotent (an
    interrupted batch is abandoned and re-read by the next run), so a short wait is safe.
    """
    pid = airflow.pid()
    if pid is None:
        airflow.pid_file.unlink(missing_ok=True)
        return False
    os.kill(pid, signal.SIGINT)
    if not _wait_exit(pid, wait):
        log.warning("airflow standalone (pid %d) ignored SIGINT; terminating its group", pid)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGTERM)
        _wait_exit(pid, 10)
    airflow.pid_file.unlink(missing_ok=True)
    return True


def _wait_exit(pid: int, wait: float) -> bool:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)  # reap it when it is our child
            if done == pid:
                return True
        except ChildProcessError:
            pass
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.5)
    return False


def _post_json(url: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)
