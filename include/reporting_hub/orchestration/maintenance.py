"""Housekeeping the DAGs leave behind: dead letters, history, Data Docs, table bloat.

Each function is safe to run any number of times. History retention is conservative: it
only deletes versions older than the retention period that a newer version of the same
key has superseded, so the latest version of every record (deleted ones included) stays,
whatever the policy says.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import psycopg
from psycopg import sql

from reporting_hub.catalog import Catalog, Stream, load_catalog
from reporting_hub.settings import Settings
from reporting_hub.warehouse.introspect import table_exists
from reporting_hub.warehouse.migrate import migrate

log = logging.getLogger(__name__)
RETENTION_ENV = "HUB_HISTORY_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 400  # more than a year: a fiscal year-end restatement stays visible
HOT_SYNC_CLASSES = ("realtime", "near_realtime")
HOT_OPS_TABLES = ("ops.sync_runs", "ops.stream_state", "ops.validation_runs", "ops.alerts")


def replay_dead_letters(settings: Settings, catalog: Catalog | None = None) -> dict[str, Any]:
    """Replay the open dead letters of every stream that has some; one stream's failure
    does not stop the others, and the failures are raised together at the end."""
    try:
        from reporting_hub.ops.replay import list_letters, replay
    except ImportError:  # the replay engine is optional in older deployments
        return {"skipped": "dead-letter replay is not available"}
    catalog = catalog or load_catalog()
    streams = sorted({letter.stream for letter in list_letters(settings.warehouse_url)})
    outcomes, errors = [], []
    for stream in streams:
        try:
            outcomes.append(replay(stream, settings, catalog))
        except Exception as exc:
            errors.append(f"{stream}: {exc}")
    if errors:
        raise RuntimeError("dead-letter replay failed for " + "; ".join(errors))
    return {"streams": streams, "outcomes": outcomes}


def retention_days(env: dict[str, str] | None = None) -> int:
    """Days of superseded history to keep: HUB_HISTORY_RETENTION_DAYS, else the default."""
    value = (os.environ if env is None else env).get(RETENTION_ENV) or DEFAULT_RETENTION_DAYS
    days = int(value)
    if days < 1:
        raise ValueError(f"{RETENTION_ENV}={value}: keep at least one day of history")
    return days


def prune_history(
    warehouse_url: str, catalog: Catalog | None = None, keep_days: int | None = None
) -> dict[str, int]:
    """Delete superseded versions older than keep_days from every raw.<table>__history."""
    keep_days = retention_days() if keep_days is None else keep_days
    deleted: dict[str, int] = {}
    with psycopg.connect(warehouse_url) as conn:
        for stream in (catalog or load_catalog()).streams.values():
            table = f"{stream.table}__history"
            if table_exists(conn, f"raw.{table}"):
                deleted[stream.id] = _prune(conn, stream, table, keep_days)
    log.info("history retention (%d days): %s", keep_days, deleted)
    return deleted


def _prune(conn: psycopg.Connection, stream: Stream, table: str, keep_days: int) -> int:
    same_key = sql.SQL(" and ").join(
        sql.SQL("n.{k} is not distinct from h.{k}").format(k=sql.Identifier(k))
        for k in stream.primary_key
    )
    query = sql.SQL(
        "delete from raw.{t} h where h._published_at < now() - make_interval(days => %s) "
        "and exists (select 1 from raw.{t} n where {same_key} "
        "and n._published_at > h._published_at)"
    ).format(t=sql.Identifier(table), same_key=same_key)
    return conn.execute(query, (keep_days,)).rowcount


def refresh_data_docs(warehouse_url: str) -> dict[str, str]:
    """Re-render the stewards' Data Docs site from the stored validation results."""
    from reporting_hub.quality.docs import refresh_data_docs as render

    return {"index": str(render(warehouse_url))}


def vacuum_hot_tables(warehouse_url: str, catalog: Catalog | None = None) -> list[str]:
    """VACUUM (ANALYZE) the tables rewritten every few minutes: merges leave dead rows."""
    migrate(warehouse_url)
    streams = [
        s for s in (catalog or load_catalog()).streams.values() if s.sync_class in HOT_SYNC_CLASSES
    ]
    names = [f"{schema}.{s.table}" for s in streams for schema in ("raw", "landing")]
    done = []
    with psycopg.connect(warehouse_url, autocommit=True) as conn:  # VACUUM refuses a transaction
        for name in [*names, *HOT_OPS_TABLES]:
            if not table_exists(conn, name):
                continue
            schema, table = name.split(".")
            conn.execute(
                sql.SQL("vacuum (analyze) {}.{}").format(
                    sql.Identifier(schema), sql.Identifier(table)
                )
            )
            done.append(name)
    return done
