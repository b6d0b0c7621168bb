"""
# Maintenance

## Purpose
Keeps the warehouse healthy: **replay_dead_letters** parses dead-lettered records again
and publishes those a fix made readable (through the same gate); **prune_history** drops
versions in `raw.*__history` older than `HUB_HISTORY_RETENTION_DAYS` (default 400) that a
newer version of the same key supersedes, then **vacuum_hot_tables** runs
`VACUUM (ANALYZE)` on the tables merged every few minutes; **refresh_data_docs**
re-renders the stewards' Data Docs site.

## Schedule
Daily at 03:30 UTC; `HUB_MAINTENANCE_SCHEDULE` overrides it (cron, `@preset`, duration
or `none`).

## Notes
- Wiring only: the Airflow DAG comes from `reporting_hub.orchestration.dag_factory`, its tasks
  (each one call into the package) from `reporting_hub.orchestration.tasks`.
- Every task is idempotent: a second run finds nothing left to do.
- The latest version of each record is never pruned, whatever the retention says.
- Replayed batches are built by the next `build_marts` run.
"""

from reporting_hub.orchestration.dag_factory import maintenance_dag
from reporting_hub.orchestration.schedules import schedule

maintenance = maintenance_dag(__doc__, schedule("HUB_MAINTENANCE_SCHEDULE", "30 3 * * *"))
