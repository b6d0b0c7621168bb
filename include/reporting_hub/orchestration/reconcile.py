"""Reconcile: rebuild the reconciliation marts, diff their exceptions against the last run.

`marts_reconciliation.exceptions` holds the exceptions open *now*; stewards need what
changed: which are new since the previous run and which were resolved. The state lives in
ops.reconciliation_exceptions (every exception ever seen, open or resolved), so the diff
survives restarts and a rerun of the same interval finds nothing new and alerts nothing
twice. New high-severity exceptions raise `ops.alerts` (and the webhook, when configured).
"""

from __future__ import annotations

import logging
from typing import Any

import psycopg

from reporting_hub.ops.alerts import Alert, notify, raise_alert
from reporting_hub.orchestration.marts import RECONCILIATION, RECONCILIATION_DIR
from reporting_hub.settings import Settings
from reporting_hub.transform.dbt import DBT_PROJECT_DIR
from reporting_hub.warehouse.introspect import table_exists
from reporting_hub.warehouse.migrate import migrate

log = logging.getLogger(__name__)
EXCEPTIONS = "marts_reconciliation.exceptions"
# Severities (case-insensitive) that alert when an exception first appears, and how loud.
ALERT_SEVERITY = {"high": "error", "critical": "critical"}
# One alert per new exception up to this many per run, then one summary alert.
MAX_ALERTS = 25

SNAPSHOT_SQL = f"""
create temp table current_exceptions on commit drop as
select exception_id::text as exception_id, exception_type::text as exception_type,
       to_jsonb(exception_keys) as exception_keys, severity::text as severity,
       owner::text as owner, cause::text as cause, value_at_risk::numeric as value_at_risk
from {EXCEPTIONS}
"""
# Inserted, or reopened after having been resolved: both are new to the stewards.
NEW_SQL = """
insert into ops.reconciliation_exceptions as e (exception_id, exception_type, exception_keys,
    severity, owner, cause, value_at_risk, status, first_run_id)
select c.exception_id, c.exception_type, c.exception_keys, c.severity, c.owner, c.cause,
       c.value_at_risk, 'open', %(run)s
from current_exceptions c
on conflict (exception_id) do update set status = 'open', resolved_at = null,
    resolved_run_id = null, first_seen_at = now(), last_seen_at = now(),
    first_run_id = %(run)s, severity = excluded.severity, value_at_risk = excluded.value_at_risk
where e.status = 'resolved'
returning exception_id, exception_type, exception_keys, severity, owner, value_at_risk
"""
SEEN_SQL = """
update ops.reconciliation_exceptions e set last_seen_at = now(), severity = c.severity,
    owner = c.owner, value_at_risk = c.value_at_risk
from current_exceptions c where c.exception_id = e.exception_id and e.status = 'open'
"""
RESOLVED_SQL = """
update ops.reconciliation_exceptions e set status = 'resolved', resolved_at = now(),
    resolved_run_id = %(run)s
where e.status = 'open'
  and not exists (select 1 from current_exceptions c where c.exception_id = e.exception_id)
"""


def reconcile(settings: Settings, run_key: str) -> dict[str, Any]:
    """Build marts/reconciliation (when it has models), then diff and alert."""
    built = build_reconciliation(settings)
    migrate(settings.warehouse_url)
    with psycopg.connect(settings.warehouse_url) as conn:
        if not table_exists(conn, EXCEPTIONS):
            log.warning("%s does not exist yet: nothing to diff", EXCEPTIONS)
            return {"built": built, "skipped": f"{EXCEPTIONS} does not exist"}
        outcome, alerts = diff_exceptions(conn, run_key)
    for alert in alerts:
        notify(alert)
    return {"built": built, **outcome}


def build_reconciliation(settings: Settings) -> dict[str, Any] | None:
    """`dbt build` of the reconciliation models, in a dbt home of its own.

    Its own target folder, because build_marts may run dbt at the same time and two dbt
    processes must not share one target (partial-parse cache, manifest).
    """
    if not any((DBT_PROJECT_DIR / RECONCILIATION_DIR).rglob("*.sql")):
        return None
    from reporting_hub.transform.dbt import dbt_build

    result = dbt_build([RECONCILIATION], settings.warehouse_url, settings.home / "reconcile")
    return {"by_status": result.by_status, "seconds": result.elapsed_seconds}


def diff_exceptions(conn: psycopg.Connection, run_key: str) -> tuple[dict[str, Any], list[Alert]]:
    """Record this run's open exceptions; return the counts and the alerts raised (uncommitted
    until the caller's transaction commits, like every alert)."""
    run_id = conn.execute(
        "insert into ops.reconciliation_runs (run_key, open_count, new_count, resolved_count) "
        "values (%s, 0, 0, 0) returning recon_run_id",
        (run_key,),
    ).fetchone()[0]
    conn.execute(SNAPSHOT_SQL)
    new = conn.execute(NEW_SQL, {"run": run_id}).fetchall()
    conn.execute(SEEN_SQL)
    resolved = conn.execute(RESOLVED_SQL, {"run": run_id}).rowcount
    open_count = conn.execute("select count(*) from current_exceptions").fetchone()[0]
    alerts = _alert_new(conn, new)
    conn.execute(
        "update ops.reconciliation_runs set open_count = %s, new_count = %s, "
        "resolved_count = %s, alerted = %s where recon_run_id = %s",
        (open_count, len(new), resolved, len(alerts), run_id),
    )
    outcome = {"run_id": run_id, "open": open_count, "new": len(new), "resolved": resolved}
    return {**outcome, "alerted": len(alerts)}, alerts


def _alert_new(conn: psycopg.Connection, new: list[tuple]) -> list[Alert]:
    high = [row for row in new if str(row[3] or "").lower() in ALERT_SEVERITY]
    alerts = [
        raise_alert(
            conn,
            ALERT_SEVERITY[str(severity).lower()],
            None,
            None,
            f"new {severity} reconciliation exception {exception_type} {keys}: owner {owner}, "
            f"value at risk {value}",
        )
        for _, exception_type, keys, severity, owner, value in high[:MAX_ALERTS]
    ]
    if len(high) > MAX_ALERTS:
        levels = {ALERT_SEVERITY[str(row[3]).lower()] for row in high}
        worst = "critical" if "critical" in levels else "error"
        message = f"{len(high) - MAX_ALERTS} more new high-severity reconciliation exceptions"
        alerts.append(raise_alert(conn, worst, None, None, message))
    return alerts
