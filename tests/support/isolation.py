"""Keep every test run off the developer's real Airflow home, GX folder and connections.

Airflow reads its configuration once, when `airflow` is first imported, so this runs
from the root conftest before any test module imports it. Connections are stubbed
through AIRFLOW_CONN_* so parsing needs no secrets; tests that run tasks override them.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DAGS_FOLDER = REPO_ROOT / "dags"
PLUGINS_FOLDER = REPO_ROOT / "plugins"

STUB_CONNECTIONS = {
    "AIRFLOW_CONN_WAREHOUSE": json.dumps(
        {
            "conn_type": "postgres",
            "host": "warehouse.invalid",
            "port": 5432,
            "login": "hub",
            "password": "stub",
            "schema": "warehouse",
        }
    ),
    "AIRFLOW_CONN_ODOO_DEFAULT": json.dumps(
        {
            "conn_type": "http",
            "host": "http://odoo.invalid",
            "port": 8069,
            "login": "admin",
            "password": "stub",
            "schema": "odoo",
            "extra": {"protocol": "jsonrpc"},
        }
    ),
}


def airflow_env(home: Path, dags_folder: Path = DAGS_FOLDER) -> dict[str, str]:
    """The variables an isolated Airflow needs; reused by tests that start a child process."""
    return {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(dags_folder),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(PLUGINS_FOLDER),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "True",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home}/airflow.db",
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(home / "logs"),
    }


def isolate() -> Path:
    """Point Airflow, GX and the hub's local state at a temporary folder for this run."""
    scratch = Path(tempfile.mkdtemp(prefix="hub-tests-"))
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)
    (scratch / "airflow").mkdir()
    os.environ.update(airflow_env(scratch / "airflow"))
    os.environ.update(STUB_CONNECTIONS)
    # Gate runs write results and Data Docs into a working copy under HUB_HOME, and the
    # user's own HUB_GX_ROOT must not leak in.
    os.environ.pop("HUB_GX_ROOT", None)
    os.environ["HUB_HOME"] = str(scratch / "hub")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    return scratch
