"""
# Reconcile

## Purpose
Turns the systems' disagreements into owned exceptions: builds
`dbt_project/models/marts/reconciliation` (`marts_reconciliation.exceptions` and friends),
then diffs the open exceptions against the previous run, recording new and resolved ones
in `ops.reconciliation_exceptions` / `ops.reconciliation_runs`, and raises `ops.alerts`
for each new high- or critical-severity exception.

## Schedule
Data-aware: runs whenever `build_marts` emits a mart Asset. One run at a time.

## Notes
- Wiring only: the Airflow DAG comes from `reporting_hub.orchestration.dag_factory`, its tasks
  (each one call into the package) from `reporting_hub.orchestration.tasks`.
- The diff is against the warehouse's state, so a rerun finds nothing new and never
  alerts twice; a resolved exception that comes back counts as new.
- dbt runs in its own target folder so it can overlap a marts build safely.
"""

from reporting_hub.orchestration.dag_factory import reconcile_dag

reconcile = reconcile_dag(__doc__)
