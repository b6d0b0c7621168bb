"""The one factory behind every DAG in dags/: each DAG file is its docstring and one call here.

The sync DAGs are generated from the stream catalog by sync class (`realtime`,
`near_realtime`, `nightly`): one extract -> validate -> publish task group per stream,
where a stream is extracted before the streams it references and validated after they
publish (its gate checks its ids against raw), and each publish emits its `raw.*` Asset.
`build_marts` is scheduled on those Assets, `reconcile` on the mart Assets it emits; the
Assets are defined once, in orchestration.assets; the tasks, in orchestration.tasks. This
module is wiring only, and touches neither network nor database at import: the DAG
processor imports it whenever it parses a DAG file.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, NamedTuple

import pendulum
from airflow.sdk import DAG, AssetAny, TaskGroup, dag

from reporting_hub.catalog import Stream
from reporting_hub.orchestration.assets import CATALOG, MARTS, RAW, RECONCILIATION
from reporting_hub.orchestration.tasks import (
    alert_on_failure,
    build_marts,
    extract,
    prune_history,
    publish,
    reconcile,
    refresh_data_docs,
    replay_dead_letters,
    scan_deletes,
    vacuum_hot_tables,
    validate,
)

START_DATE = pendulum.datetime(2026, 1, 1, tz="UTC")
OWNER = "data-engineering"
DEFAULT_ARGS: dict[str, Any] = {
    "owner": OWNER,
    "retries": 3,
    "retry_delay": timedelta(seconds=30),
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": timedelta(minutes=5),
    "execution_timeout": timedelta(minutes=20),
    "on_failure_callback": alert_on_failure,
}
DELETE_SCAN_CURSOR = "write_date,id"  # snapshots are re-read whole; keysets can miss deletes


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
        build_marts.override(outlets=MARTS)()

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
        reconcile.override(outlets=RECONCILIATION)()

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
