"""The one factory behind every DAG in dags/: each DAG file is its docstring and one call here.

The sync DAGs are generated from the stream catalog by sync class (`realtime`,
`near_realtime`, `nightly`): one extract -> validate -> publish task group per stream,
where a stream is extracted before the streams it references and validated after they
publish (its gate checks its ids against raw), and each publish emits its `raw.*` Asset.
`build_marts` is scheduled on those Assets, `reconcile` on the mart Assets it emits; the
Assets are defined once, in reporting_hub.assets. Every task body is one call into
reporting_hub.airflow_tasks, and nothing here touches the network or a database at
import: this module is imported whenever the DAG processor parses a DAG file.
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any, NamedTuple

import pendulum
from airflow.sdk import (
    DAG,
    AssetAny,
    CronDataIntervalTimetable,
    TaskGroup,
    dag,
    get_current_context,
    task,
)

from reporting_hub import airflow_tasks
from reporting_hub.assets import CATALOG, MARTS, RAW, RECONCILIATION
from reporting_hub.catalog import Stream

START_DATE = pendulum.datetime(2026, 1, 1, tz="UTC")
OWNER = "data-engineering"
DEFAULT_ARGS: dict[str, Any] = {
    "owner": OWNER,
    "retries": 3,
    "retry_delay": timedelta(seconds=30),
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": timedelta(minutes=5),
    "execution_timeout": timedelta(minutes=20),
    "on_failure_callback": airflow_tasks.alert_on_failure,
}
DELETE_SCAN_CURSOR = "write_date,id"  # snapshots are re-read whole; keysets can miss deletes


@task
def extract(stream_id: str) -> dict[str, Any]:
    return airflow_tasks.extract(stream_id)


# More tries than the default: on a first start a gate may wait for another DAG's publish.
@task(retries=6)
def validate(batch: dict[str, Any]) -> dict[str, Any]:
    return airflow_tasks.validate(batch)


@task
def publish(batch: dict[str, Any]) -> dict[str, Any]:
    return airflow_tasks.publish(batch)


@task
def scan_deletes(stream_id: str) -> dict[str, Any]:
    return airflow_tasks.scan_deletes(stream_id)


@task(trigger_rule="all_done")
def refresh_data_docs() -> dict[str, str]:
    return airflow_tasks.refresh_data_docs()


@task(outlets=MARTS)
def build_marts() -> dict[str, Any]:
    return airflow_tasks.build_marts(get_current_context())


@task(outlets=RECONCILIATION)
def reconcile() -> dict[str, Any]:
    return airflow_tasks.reconcile(get_current_context())


@task
def replay_dead_letters() -> dict[str, Any]:
    return airflow_tasks.replay_dead_letters()


@task
def prune_history() -> dict[str, int]:
    return airflow_tasks.prune_history()


@task
def vacuum_hot_tables() -> list[str]:
    return airflow_tasks.vacuum_hot_tables()


class StreamTasks(NamedTuple):
    extract: Any
    validate: Any
    publish: Any


def streams_of(sync_class: str) -> list[Stream]:
    """The catalog's streams of one sync class, in catalog order."""
    return [s for s in CATALOG.streams.values() if s.sync_class == sync_class]


def delete_scan_streams() -> list[Stream]:
    """Every Odoo keyset stream: deletions leave no trace in a `write_date` read."""
    return [
        s for s in CATALOG.streams.values() if s.source == "odoo" and s.cursor == DELETE_SCAN_CURSOR
    ]


def sync_stream(stream: Stream) -> StreamTasks:
    """The extract -> validate -> publish group of one stream; publish emits its raw Asset."""
    with TaskGroup(group_id=stream.table, tooltip=f"{stream.object} -> raw.{stream.table}"):
        landed = extract(stream.id)
        validated = validate(landed)
        published = publish.override(outlets=[RAW[stream.id]])(validated)
    return StreamTasks(landed, validated, published)


def sync_streams(streams: list[Stream]) -> dict[str, StreamTasks]:
    """Groups for the streams, ordered by their references within the DAG.

    A referenced stream in another DAG (another sync class) is not waited for: it syncs on
    its own schedule, and the gate's reference check reads whatever it last published.
    """
    tasks = {stream.id: sync_stream(stream) for stream in streams}
    for stream in streams:
        for target in sorted(set(stream.checks.references.values()) - {stream.id}):
            if target in tasks:
                tasks[stream.id].extract >> tasks[target].extract
                tasks[target].publish >> tasks[stream.id].validate
    return tasks


def scan_streams(tasks: dict[str, StreamTasks]) -> None:
    """A delete scan per Odoo keyset stream, after that stream's publish when in this DAG."""
    with TaskGroup(group_id="delete_scans", tooltip="tombstone records deleted in Odoo"):
        for stream in delete_scan_streams():
            scan = scan_deletes.override(task_id=stream.table, outlets=[RAW[stream.id]])(stream.id)
            if stream.id in tasks:
                tasks[stream.id].publish >> scan


def sync_dag(
    dag_id: str,
    sync_class: str,
    *,
    doc_md: str,
    schedule: Any,
    tags: list[str],
    delete_scans: bool = False,
) -> DAG:
    """A write-audit-publish DAG for every stream of one sync class, then Data Docs."""

    @dag(
        dag_id=dag_id,
        doc_md=doc_md,
        schedule=schedule,
        start_date=START_DATE,
        catchup=False,
        max_active_runs=1,
        dagrun_timeout=timedelta(minutes=60 if delete_scans else 30),
        tags=["sync", "write-audit-publish", *tags],
        default_args=DEFAULT_ARGS,
    )
    def sync() -> None:
        tasks = sync_streams(streams_of(sync_class))
        [t.validate for t in tasks.values()] >> refresh_data_docs()
        if delete_scans:
            scan_streams(tasks)

    return sync()


def build_marts_dag(doc_md: str) -> DAG:
    """dbt build of what changed, whenever any raw Asset is published."""

    @dag(
        dag_id="build_marts",
        doc_md=doc_md,
        schedule=AssetAny(*RAW.values()),
        start_date=START_DATE,
        catchup=False,
        max_active_runs=1,
        dagrun_timeout=timedelta(minutes=30),
        tags=["dbt", "marts", "data-aware"],
        default_args=DEFAULT_ARGS,
    )
    def marts() -> None:
        build_marts()

    return marts()


def reconcile_dag(doc_md: str) -> DAG:
    """The reconciliation marts and their exception diff, whenever a mart is rebuilt."""

    @dag(
        dag_id="reconcile",
        doc_md=doc_md,
        schedule=AssetAny(*MARTS),
        start_date=START_DATE,
        catchup=False,
        max_active_runs=1,
        dagrun_timeout=timedelta(minutes=30),
        tags=["dbt", "reconciliation", "alerts", "data-aware"],
        default_args=DEFAULT_ARGS,
    )
    def reconciliation() -> None:
        reconcile()

    return reconciliation()


def maintenance_dag(doc_md: str, schedule: Any) -> DAG:
    """Dead-letter replay, history retention then vacuum, and a Data Docs refresh."""

    @dag(
        dag_id="maintenance",
        doc_md=doc_md,
        schedule=schedule,
        start_date=START_DATE,
        catchup=False,
        max_active_runs=1,
        dagrun_timeout=timedelta(hours=2),
        tags=["maintenance", "retention"],
        default_args=DEFAULT_ARGS,
    )
    def housekeeping() -> None:
        replay_dead_letters()
        prune_history() >> vacuum_hot_tables()
        refresh_data_docs.override(trigger_rule="all_success")()

    return housekeeping()


def schedule(env_var: str, default: str) -> Any:
    """A schedule from the environment (see airflow_tasks.schedule_from_env)."""
    return airflow_tasks.schedule_from_env(os.environ.get(env_var), default)


def nightly_schedule(env_var: str = "HUB_NIGHTLY_HOUR", default: int = 2) -> Any:
    """Once a day at the configured UTC hour, each run covering the day before it.

    A data-interval timetable, so a run's data_interval_start/end are its window, and so
    a first start runs the latest complete day at once instead of waiting for the hour.
    """
    hour = int(os.environ.get(env_var) or default)
    if not 0 <= hour <= 23:
        raise ValueError(f"{env_var}={hour}: expected an hour from 0 to 23 (UTC)")
    return CronDataIntervalTimetable(f"0 {hour} * * *", timezone="UTC")
