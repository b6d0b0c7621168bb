"""
# Build marts

## Purpose
Rebuilds the governed marts from what changed: `dbt build` (models, then their tests) of
the models downstream of every stream published since the last successful build
(`source:<system>.<table>+`), never of a stream whose latest sync failed or that has not
published yet (those lineages are excluded, so no mart mixes a stale input with fresh
ones). Reconciliation models are left to `reconcile`. Emits the mart Assets.

## Schedule
Data-aware: any `raw.*` Asset event (a publish or a delete scan in a sync DAG) starts a
run; events arriving during a run start the next one. One run at a time.

## Notes
- Wiring only: the Airflow DAG comes from `reporting_hub.orchestration.dag_factory`, its tasks
  (each one call into the package) from `reporting_hub.orchestration.tasks`.
- The triggering asset events name what changed; the warehouse's run log
  (`ops.sync_runs`, `ops.mart_builds`) is the record, so a failed build loses nothing and
  a manual run builds what a scheduled one would.
- A failed model or test fails the task (retried with backoff, then `ops.alerts`).
"""

from reporting_hub.orchestration.dag_factory import build_marts_dag

build_marts = build_marts_dag(__doc__)
