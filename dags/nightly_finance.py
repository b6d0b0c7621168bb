"""
# Nightly finance

## Purpose
The once-a-day part of the hybrid schedule: every `nightly` stream of
`include/reporting_hub/streams.yml` (currencies, companies, journal items, stock
valuation, the WMS item master, bank statements) through extract -> validate -> publish,
and a **delete scan** of every Odoo keyset stream: Odoo deletions leave no trace in a
`write_date` read, so the ids at the source are compared with `raw.*` and the missing ones
tombstoned. Each publish and each scan emits its `raw.*` Asset for `build_marts`.

## Schedule
Daily at `HUB_NIGHTLY_HOUR` (UTC, default 2). The timetable has data intervals: each run
covers the day before it (`data_interval_start` .. `data_interval_end`), and a first start
runs the latest complete day at once.

## Notes
- Wiring only: the Airflow DAG comes from `reporting_hub.orchestration.dag_factory`, its tasks
  (each one call into the package) from `reporting_hub.orchestration.tasks`.
- Extraction is incremental from each stream's watermark, so a rerun of the same day
  converges (idempotent merge, tombstones only for ids still missing).
- Journal items reference invoices (finance sync): their gate reads whatever that DAG last
  published; streams referenced within this DAG are published first.
- A task that fails for good writes `ops.alerts`; retries back off exponentially.
"""

from reporting_hub.orchestration.dag_factory import sync_dag
from reporting_hub.orchestration.schedules import nightly_schedule

nightly_finance = sync_dag(
    "nightly_finance",
    "nightly",
    doc_md=__doc__,
    schedule=nightly_schedule("HUB_NIGHTLY_HOUR", 2),
    tags=["finance", "nightly", "deletes", "bank"],
    delete_scans=True,
)
