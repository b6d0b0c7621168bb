"""
# Odoo operational sync

## Purpose
Keeps the warehouse's operational picture of Odoo (products, locations, warehouses,
stock quants) a few minutes fresh. Every `realtime` Odoo stream of
`include/reporting_hub/streams.yml` is written, audited, published: **extract** lands one
batch in `landing.*`, **validate** runs the stream's quality gate on exactly that batch,
**publish** merges it into `raw.*` and advances the watermark in one transaction. Then
**build_marts** runs `dbt build` of everything downstream of the Odoo sources, including
`marts_ops.fct_inventory_positions`.

## Schedule
Every 5 minutes; `HUB_OPERATIONAL_SCHEDULE` overrides it with a cron, an `@preset`, a
duration (`10m`, `1h`) or `none`. One run at a time and no catch-up: each run resumes
from the stream's watermark (quants are re-read whole), so a skipped slot loses nothing.

## Notes
- One task group per stream, generated from the catalog: a new stream is a catalog
  entry, not DAG code.
- Order comes from the catalog's `checks.references`. A stream is **validated after the
  streams it references are published**, because its gate checks its ids against `raw`
  (quants against products and locations). It is also **extracted before them**, so
  their batches contain every id its batch points to (a product created between the two
  reads cannot fail the quant gate).
- A failed gate fails its task at once, without retries, and publishes nothing for that
  stream; `build_marts` then does not run, so the marts never mix in unvalidated data.
  Other streams still publish. Failures and quarantined rows are in `ops.*`.
- Each publish task emits its `raw.*` Asset; `build_marts` emits the mart Assets.
- Connections: `warehouse` and `odoo_default` (environment variables as fallback).
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any, NamedTuple

import pendulum
from airflow.sdk import TaskGroup, dag, task

from reporting_hub import airflow_tasks
from reporting_hub.assets import CATALOG, INVENTORY_POSITIONS, RAW
from reporting_hub.catalog import Stream

SOURCE = "odoo"
SYNC_CLASS = "realtime"
STREAMS = [s for s in CATALOG.for_source(SOURCE) if s.sync_class == SYNC_CLASS]


@task
def extract(stream_id: str) -> dict[str, Any]:
    return airflow_tasks.extract(stream_id)


@task
def validate(batch: dict[str, Any]) -> dict[str, Any]:
    return airflow_tasks.validate(batch)


@task
def publish(batch: dict[str, Any]) -> dict[str, Any]:
    return airflow_tasks.publish(batch)


@task(outlets=[INVENTORY_POSITIONS])
def build_marts(select: list[str]) -> dict[str, Any]:
    return airflow_tasks.build_marts(select)


class StreamTasks(NamedTuple):
    extract: Any
    validate: Any
    publish: Any


def sync_stream(stream: Stream) -> StreamTasks:
    """The extract -> validate -> publish group of one stream; publish emits its raw Asset."""
    with TaskGroup(group_id=stream.table, tooltip=f"{stream.object} -> raw.{stream.table}"):
        landed = extract(stream.id)
        validated = validate(landed)
        published = publish.override(outlets=[RAW[stream.id]])(validated)
    return StreamTasks(landed, validated, published)


@dag(
    dag_id="odoo_operational_sync",
    doc_md=__doc__,
    schedule=airflow_tasks.schedule_from_env(os.environ.get("HUB_OPERATIONAL_SCHEDULE"), "5m"),
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(minutes=30),
    tags=["odoo", "sync", "write-audit-publish", "dbt"],
    default_args={
        "owner": "data-engineering",
        "retries": 3,
        "retry_delay": timedelta(seconds=30),
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": timedelta(minutes=5),
        "execution_timeout": timedelta(minutes=20),
    },
)
def odoo_operational_sync() -> None:
    tasks = {stream.id: sync_stream(stream) for stream in STREAMS}
    for stream in STREAMS:
        for target in set(stream.checks.references.values()) - {stream.id}:
            if target in tasks:
                tasks[stream.id].extract >> tasks[target].extract
                tasks[target].publish >> tasks[stream.id].validate
    [t.publish for t in tasks.values()] >> build_marts([f"source:{SOURCE}+"])


odoo_operational_sync()
