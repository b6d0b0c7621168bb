"""The recipe for running a DAG in-process with `dag.test()` against a real PostgreSQL.

Proved on a stub DAG in a temporary dags folder, in a fresh interpreter, because
Airflow reads its configuration (AIRFLOW_HOME, dags folder, metadata DB) once, at
import. The steps are the ones an end-to-end test of the real DAG takes:

1. before importing airflow: AIRFLOW_HOME (temporary), AIRFLOW__CORE__DAGS_FOLDER (the
   folder holding the DAG file: dag.test() finds it through the dags-folder bundle),
   AIRFLOW__CORE__PLUGINS_FOLDER (the repo's plugins/, for the connection hooks),
   AIRFLOW__DATABASE__SQL_ALCHEMY_CONN (a SQLite file is enough), AIRFLOW_CONN_* for
   the connections the tasks use;
2. create the metadata DB: `airflow.utils.db.initdb()` (under a second on SQLite);
   without it dag.test() fails with "no such table";
3. load the DAG through DagBag, set every task's retries to 0 (dag.test() otherwise
   waits out each retry delay), call `dag.test()` and assert on the returned run.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

STUB_DAGS = """
import pendulum
from airflow.sdk import dag, task

import stub_calls

ARGS = dict(schedule=None, start_date=pendulum.datetime(2026, 1, 1, tz="UTC"), catchup=False,
            default_args={"owner": "tests", "retries": 3})


@task
def record(note: str) -> dict:
    return stub_calls.record(note)


@task
def explode() -> None:
    raise RuntimeError("stub failure")


@dag(**ARGS)
def stub_records():
    record("written by dag.test")


@dag(**ARGS)
def stub_fails():
    explode()


stub_records()
stub_fails()
"""

# The stub task body: one call that resolves settings the way the real tasks do
# (Airflow connection `warehouse` through the plugins' hooks) and writes to PostgreSQL.
STUB_CALLS = """
import psycopg

from reporting_hub.orchestration import tasks as airflow_tasks


def record(note: str) -> dict:
    url = airflow_tasks.settings(need_odoo=False).warehouse_url
    with psycopg.connect(url) as conn:
        conn.execute("create table if not exists dag_test_notes (note text)")
        conn.execute("insert into dag_test_notes values (%s)", (note,))
    return {"recorded": note}
"""

RUN_DAGS = """
import json, os, sys, time

started = time.perf_counter()
from airflow.dag_processing.dagbag import DagBag
from airflow.utils import db

imported = time.perf_counter()
db.initdb()
migrated = time.perf_counter()
dags = DagBag(dag_folder=os.environ["AIRFLOW__CORE__DAGS_FOLDER"]).dags
states, seconds = {}, {}
for dag_id in ("stub_records", "stub_fails"):
    dag = dags[dag_id]
    for task in dag.tasks:
        task.retries = 0
    t = time.perf_counter()
    states[dag_id] = str(dag.test().state)
    seconds[dag_id] = round(time.perf_counter() - t, 2)
print(json.dumps({"states": states, "seconds": seconds,
                  "import": round(imported - started, 2), "initdb": round(migrated - imported, 2)}))
"""


@pytest.fixture
def warehouse_url(tmp_path) -> Iterator[str]:
    """A throwaway database on the PostgreSQL the project finds (or starts) for tests."""
    psycopg = pytest.importorskip("psycopg")
    from reporting_hub.warehouse.locate import server_url, with_database

    server = server_url(tmp_path / "hub-home")
    name = f"dag_test_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'create database "{name}"')
    try:
        yield with_database(server, name)
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'drop database if exists "{name}" with (force)')


def test_dag_test_runs_a_dag_in_process_against_postgres(
    isolated_airflow_env, tmp_path: Path, warehouse_url: str
):
    import psycopg

    dags = tmp_path / "dags"
    dags.mkdir()
    (dags / "stub_dags.py").write_text(textwrap.dedent(STUB_DAGS))
    (tmp_path / "stub_calls.py").write_text(textwrap.dedent(STUB_CALLS))
    env = isolated_airflow_env(tmp_path / "airflow-home", dags)
    env["AIRFLOW_CONN_WAREHOUSE"] = json.dumps(
        {"conn_type": "postgres", "extra": {"url": warehouse_url}}
    )
    env["PYTHONPATH"] = str(tmp_path)

    proc = subprocess.run(
        [sys.executable, "-c", RUN_DAGS],
        env=env,
        cwd=tmp_path,
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["states"] == {"stub_records": "success", "stub_fails": "failed"}, result
    with psycopg.connect(warehouse_url) as conn:
        notes = conn.execute("select note from dag_test_notes").fetchall()
    assert notes == [("written by dag.test",)]
