"""
# Operational sync

## Purpose
Keeps the operational picture a few minutes fresh: every `realtime` stream of
`include/reporting_hub/streams.yml`, whatever its system (Odoo masters, stock, sales,
purchases and moves; WMS stock snapshots and confirmations; shop orders; carrier events),
is written, audited, published. **extract** lands one batch in `landing.*`, **validate**
runs the stream's quality gate on exactly that batch, **publish** merges it into `raw.*`
and advances the watermark in one transaction and emits the stream's `raw.*` Asset, which
schedules `build_marts`. After every gate, **refresh_data_docs** renders the stewards' site.

## Schedule
Every 5 minutes; `HUB_OPERATIONAL_SCHEDULE` overrides it with a cron, an `@preset`, a
duration (`10m`, `1h`) or `none`. One run at a time and no catch-up: each run resumes
from the stream's watermark (snapshots are re-read whole), so a skipped slot loses nothing.

## Notes
- Wiring only: the Airflow DAG comes from `reporting_hub.orchestration.dag_factory`, its tasks
  (each one call into the package) from `reporting_hub.orchestration.tasks`.
- One task group per stream, generated from the catalog by the DAG factory: a new
  stream is a catalog entry, not DAG code.
- A stream is **validated after the streams it references are published** (its gate
  checks its ids against `raw`) and **extracted before them**, so their batches contain
  every id its batch points to.
- A failed gate fails its task at once, without retries, and publishes nothing for that
  stream (nor for the streams that reference it); the others still publish. `build_marts`
  then holds back the models downstream of the failed stream.
- Retries back off exponentially; a task that fails for good writes `ops.alerts`.
- Connections: `warehouse` and `odoo_default` (environment variables as fallback).
"""

from reporting_hub.orchestration.dag_factory import sync_dag
from reporting_hub.orchestration.schedules import schedule

operational_sync = sync_dag(
    "operational_sync",
    "realtime",
    doc_md=__doc__,
    schedule=schedule("HUB_OPERATIONAL_SCHEDULE", "5m"),
    tags=["operational", "odoo", "wms", "shop", "carrier"],
)
