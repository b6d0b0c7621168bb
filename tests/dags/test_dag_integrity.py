"""Every DAG in dags/ imports cleanly and follows the house rules for production DAGs.

These are the checks a scheduler cannot make for us: a DAG that fails to import
silently stops syncing; one without retries, an owner or catchup=False misbehaves only
on its first bad day.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

EXPECTED_DAG_IDS = {
    "operational_sync",
    "finance_sync",
    "nightly_finance",
    "build_marts",
    "reconcile",
    "maintenance",
}


def test_every_dag_file_imports_without_errors(dagbag, dags_folder):
    dag_files = {str(p) for p in dags_folder.glob("*.py") if not p.name.startswith("_")}
    assert dagbag.import_errors == {}
    assert {dag.fileloc for dag in dagbag.dags.values()} == dag_files


def test_the_expected_dags_exist(dagbag):
    assert set(dagbag.dag_ids) >= EXPECTED_DAG_IDS


@pytest.fixture(params=sorted(EXPECTED_DAG_IDS))
def dag(request, dagbag):
    return dagbag.dags[request.param]


def test_dag_is_documented_tagged_and_owned(dag):
    assert dag.doc_md and all(f"## {h}" in dag.doc_md for h in ("Purpose", "Schedule", "Notes"))
    assert dag.tags
    assert all(task.owner not in ("", "airflow") for task in dag.tasks)


def test_dag_is_scheduled_without_catchup_from_a_utc_start(dag):
    assert dag.schedule is not None
    assert dag.catchup is False
    assert dag.max_active_runs == 1
    assert dag.start_date.utcoffset() == timedelta(0)


def test_every_task_retries_with_exponential_backoff(dag):
    for task in dag.tasks:
        assert task.retries >= 2, task.task_id
        assert task.retry_exponential_backoff > 0, task.task_id
        assert task.max_retry_delay is not None, task.task_id


def test_every_task_alerts_when_it_fails_for_good(dag):
    from reporting_hub.orchestration.tasks import alert_on_failure

    for task in dag.tasks:
        assert alert_on_failure in (task.on_failure_callback or []), task.task_id


def test_dag_has_no_cycles(dag):
    # topological_sort raises on a cycle; every task must appear exactly once.
    assert len(dag.topological_sort()) == len(dag.tasks)
