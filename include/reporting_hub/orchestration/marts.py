"""Build only the marts downstream of what changed, and none downstream of a failed stream.

What changed is read from the warehouse, not only from the Airflow asset events that
triggered the run: every stream published since the start of the last successful build.
A failed build therefore loses no change (the next one picks it up), and a manual run
or `dag.test()` builds exactly what a scheduled one would. A stream whose latest sync
failed, or that never published, is held back: the models downstream of it are excluded
even when another stream that feeds them changed, so no mart mixes a stale or missing
input with fresh ones. Streams map to dbt sources through the source YAMLs (`raw.<table>`
-> `source:<source>.<table>`); a stream no model reads selects nothing.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psycopg
import yaml

from reporting_hub.catalog import Catalog, load_catalog
from reporting_hub.settings import Settings
from reporting_hub.transform.dbt import DBT_PROJECT_DIR
from reporting_hub.warehouse.migrate import migrate

log = logging.getLogger(__name__)
RECONCILIATION_DIR = "models/marts/reconciliation"
RECONCILIATION = f"path:{RECONCILIATION_DIR}"
SEEDS = "resource_type:seed"
EVERYTHING = "fqn:*"

CHANGED_SQL = """
select distinct stream from ops.sync_runs
where status = 'published' and (rows_published > 0 or coalesce(rows_deleted, 0) > 0)
  and finished_at > coalesce(
      (select max(started_at) from ops.mart_builds where status = 'success'), '-infinity')
"""
# A stream is held back when its latest sync run failed or it has never published.
FAILED_SQL = """
select distinct on (stream) stream, status = 'failed'
from ops.sync_runs where kind = 'sync' and status in ('published', 'failed')
order by stream, started_at desc
"""
FIRST_SQL = "select max(build_id) from ops.mart_builds where status = 'success'"
PUBLISHED_SQL = "select stream from ops.stream_state where last_published_at is not null"


@dataclass(frozen=True)
class BuildPlan:
    """Which streams' changes a build covers, which it holds back, and the dbt selection."""

    streams: tuple[str, ...]
    held_back: tuple[str, ...]
    select: tuple[str, ...]
    exclude: tuple[str, ...]


def dbt_sources(project_dir: Path = DBT_PROJECT_DIR) -> dict[str, str]:
    """`raw.<table>` -> `<source>.<table>` for every dbt source table declared on schema raw."""
    found: dict[str, str] = {}
    for path in sorted((project_dir / "models").rglob("*.yml")):
        doc = yaml.safe_load(path.read_text()) or {}
        for source in doc.get("sources") or []:
            if source.get("schema", source["name"]) != "raw":
                continue
            for table in source.get("tables") or []:
                identifier = table.get("identifier", table["name"])
                found[f"raw.{identifier}"] = f"{source['name']}.{table['name']}"
    return found


def plan_build(
    conn: psycopg.Connection,
    catalog: Catalog,
    event_streams: Iterable[str] = (),
    sources: dict[str, str] | None = None,
) -> BuildPlan:
    """The selection for one build: changed streams' lineage minus held-back streams'."""
    sources = dbt_sources() if sources is None else sources
    by_stream = {
        s.id: sources[f"raw.{s.table}"]
        for s in catalog.streams.values()
        if f"raw.{s.table}" in sources
    }
    changed = {r[0] for r in conn.execute(CHANGED_SQL)} | set(event_streams)
    first = conn.execute(FIRST_SQL).fetchone()[0] is None
    failed = {stream for stream, is_failed in conn.execute(FAILED_SQL) if is_failed}
    published = {r[0] for r in conn.execute(PUBLISHED_SQL)}
    held = sorted(s for s in by_stream if s in failed or s not in published)
    streams = sorted(s for s in changed if s in by_stream and s not in held)
    return BuildPlan(
        streams=tuple(streams),
        held_back=tuple(held),
        # Seeds (status maps, tolerances) are inputs of the models, not of the sources.
        select=_selection(streams, by_stream, first),
        exclude=(*(f"source:{by_stream[s]}+" for s in held), RECONCILIATION),
    )


def _selection(streams: list[str], by_stream: dict[str, str], first: bool) -> tuple[str, ...]:
    """The lineages of the changed streams; everything on the very first build, because some
    models read no raw source (a date spine, views over ops.*) and would never be built."""
    if not streams:
        return ()
    if first:
        return (EVERYTHING,)
    # Seeds (status maps, tolerances) are inputs of the models, not of the sources.
    return (*(f"source:{by_stream[s]}+" for s in streams), SEEDS)


def build_changed(
    settings: Settings,
    run_key: str,
    event_streams: Iterable[str] = (),
    catalog: Catalog | None = None,
) -> dict[str, Any]:
    """Plan, record in ops.mart_builds, and run `dbt build` of the plan (models and tests)."""
    from reporting_hub.transform.dbt import dbt_build

    migrate(settings.warehouse_url)
    with psycopg.connect(settings.warehouse_url) as conn:
        plan = plan_build(conn, catalog or load_catalog(), event_streams)
        status = "running" if plan.select else "skipped"
        build_id = conn.execute(
            "insert into ops.mart_builds (run_key, status, streams, held_back, selected, "
            "excluded, finished_at) values (%s, %s, %s, %s, %s, %s, "
            "case when %s = 'skipped' then now() end) returning build_id",
            (run_key, status, *_arrays(plan), status),
        ).fetchone()[0]
    outcome: dict[str, Any] = {"build_id": build_id, **asdict(plan)}
    if not plan.select:
        log.info("nothing to build: no buildable stream changed (held back: %s)", plan.held_back)
        return {**outcome, "status": "skipped"}
    try:
        result = dbt_build(
            list(plan.select), settings.warehouse_url, settings.home, exclude=list(plan.exclude)
        )
    except Exception as exc:
        _finish(settings.warehouse_url, build_id, "failed", None, str(exc))
        raise
    nodes = {"by_status": result.by_status, "by_type": result.by_type}
    _finish(settings.warehouse_url, build_id, "success", nodes, None)
    return {**outcome, "status": "success", **nodes, "seconds": result.elapsed_seconds}


def _arrays(plan: BuildPlan) -> tuple[list[str], ...]:
    return list(plan.streams), list(plan.held_back), list(plan.select), list(plan.exclude)


def _finish(url: str, build_id: int, status: str, nodes: dict | None, error: str | None) -> None:
    with psycopg.connect(url) as conn:
        conn.execute(
            "update ops.mart_builds set status = %s, finished_at = now(), nodes = %s, "
            "error = %s where build_id = %s",
            (status, json.dumps(nodes) if nodes else None, error and error[:4000], build_id),
        )
