"""One full cycle of every DAG, in-process with `dag.test()`: headless demo and CI.

The same DAG files the scheduler runs, in the order the data flows (syncs, then the
marts they trigger, then reconciliation and maintenance), against a throwaway SQLite
metadata database: `dag.test()` needs one, but no scheduler, API server or executor.
Airflow reads its configuration once, at first import, so `configure()` must run before
anything imports airflow.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reporting_hub.settings import REPO_ROOT, reveal

# The order data flows in: syncs publish raw, build_marts reads raw, reconcile reads marts.
CYCLE = (
    "operational_sync",
    "finance_sync",
    "nightly_finance",
    "build_marts",
    "reconcile",
    "maintenance",
)


@dataclass(frozen=True)
class DagOutcome:
    dag_id: str
    state: str
    seconds: float
    failed_tasks: tuple[str, ...]


def configure(
    airflow_home: Path, warehouse_url: str, odoo_conn: dict[str, Any] | None
) -> dict[str, str]:
    """Point this process's (not yet imported) Airflow at the repo's DAGs and a SQLite DB."""
    airflow_home.mkdir(parents=True, exist_ok=True)
    env = {
        "AIRFLOW_HOME": str(airflow_home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO_ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO_ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{airflow_home}/airflow.db",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
        "AIRFLOW_CONN_WAREHOUSE": json.dumps(
            {"conn_type": "postgres", "extra": {"url": warehouse_url}}
        ),
    }
    if odoo_conn:
        env["AIRFLOW_CONN_ODOO_DEFAULT"] = json.dumps(odoo_conn)
    os.environ.update(env)
    return env


def load_dags(dag_ids: tuple[str, ...] = CYCLE) -> dict[str, Any]:
    """The DAGs from the dags folder, with retries off (dag.test() would wait them out)."""
    from airflow.dag_processing.dagbag import DagBag
    from airflow.utils import db

    db.initdb()
    bag = DagBag(dag_folder=os.environ["AIRFLOW__CORE__DAGS_FOLDER"])
    if bag.import_errors:
        raise RuntimeError(f"DAG import errors: {bag.import_errors}")
    dags = {dag_id: bag.dags[dag_id] for dag_id in dag_ids}
    for dag in dags.values():
        for task in dag.tasks:
            task.retries = 0
    return dags


def run_cycle(dags: dict[str, Any]) -> list[DagOutcome]:
    """dag.test() each DAG in turn; a failed DAG does not stop the ones after it."""
    return [run_dag(dag_id, dag) for dag_id, dag in dags.items()]


def run_dag(dag_id: str, dag: Any) -> DagOutcome:
    """One dag.test() run, with the tasks that did not succeed."""
    started = time.monotonic()
    run = dag.test()
    failed = tuple(sorted(ti.task_id for ti in run.get_task_instances() if ti.state != "success"))
    return DagOutcome(dag_id, str(run.state), round(time.monotonic() - started, 1), failed)


def odoo_connection(odoo: Any) -> dict[str, Any]:
    """The `odoo_default` connection for OdooSettings (the hooks read it back)."""
    return {
        "conn_type": "http",
        "login": odoo.user,
        "password": reveal(odoo.password),
        "schema": odoo.db,
        "extra": {"url": odoo.url, "protocol": odoo.protocol, "api_key": reveal(odoo.api_key)},
    }
