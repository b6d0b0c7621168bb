"""An isolated Airflow for DAG tests: its own AIRFLOW_HOME, the repo's dags/ and plugins/.

Airflow reads its configuration once, when `airflow` is first imported, so everything
is set here at collection time, before any test module imports it. Connections are
stubbed through AIRFLOW_CONN_* so parsing (and any test) needs no secrets; the metadata
DB is a SQLite file in the temporary home, created only by the tests that need one.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DAGS_FOLDER = REPO_ROOT / "dags"
PLUGINS_FOLDER = REPO_ROOT / "plugins"
AIRFLOW_HOME = Path(tempfile.mkdtemp(prefix="hub-airflow-home-"))

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


def airflow_env(home: Path, dags_folder: Path) -> dict[str, str]:
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


os.environ.update(airflow_env(AIRFLOW_HOME, DAGS_FOLDER))
os.environ.update(STUB_CONNECTIONS)


@pytest.fixture(scope="session", autouse=True)
def _remove_airflow_home() -> Iterator[None]:
    yield
    shutil.rmtree(AIRFLOW_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def dags_folder() -> Path:
    return DAGS_FOLDER


@pytest.fixture(scope="session")
def isolated_airflow_env():
    """A factory of environments for child processes: an Airflow of their own."""

    def make(home: Path, dags: Path = DAGS_FOLDER) -> dict[str, str]:
        return {**os.environ, **airflow_env(home, dags), **STUB_CONNECTIONS}

    return make


@pytest.fixture(scope="session")
def dagbag():
    """The repo's dags/ parsed once, as the DAG processor would."""
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS_FOLDER))
