"""What the Airflow DAGs do beyond write-audit-publish, as plain functions over the warehouse.

`marts`: build only the dbt models downstream of what changed; `reconcile`: diff the
reconciliation exceptions against the previous run and alert; `maintenance`: dead-letter
replay, history retention, Data Docs, vacuum. Each is testable without a scheduler and
idempotent for its interval: running it twice leaves the warehouse as running it once.
"""
