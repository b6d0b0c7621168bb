"""The Airflow tasks: each body resolves settings once, translates errors once, calls one function.

The DAG factory wires these; nothing else sits between a task and the package function
it runs. Settings come from the Airflow connections through the hooks in plugins/
(laid over the environment), and every heavy import (GX, dbt, odoorpc, psycopg) happens
inside a task at run time, never when the DAG processor parses a file. Return values go
through XCom, so they are small JSON-serialisable dicts.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from airflow.sdk import get_current_context, task

if TYPE_CHECKING:
    from airflow.sdk import Context

    from reporting_hub.settings import Settings

log = logging.getLogger(__name__)


def settings(need_odoo: bool = True) -> Settings:
    """The run's Settings: Airflow connections `warehouse` and `odoo_default`, else env.

    Only extraction talks to Odoo; the other steps pass need_odoo=False so they neither
    need nor look up an Odoo configuration.
    """
    try:
        from reporting_hub_hooks import hub_settings
    except ModuleNotFoundError as exc:
        if exc.name != "reporting_hub_hooks":
            raise
        # Airflow puts its plugins folder on sys.path; missing, it is a deployment error.
        raise ModuleNotFoundError(
            "reporting_hub_hooks is not importable: point AIRFLOW__CORE__PLUGINS_FOLDER "
            "at the repository's plugins/ folder"
        ) from exc
    return hub_settings(need_odoo=need_odoo)


@task
def extract(stream_id: str) -> dict[str, Any]:
    """Land one batch of the stream in landing.*; the batch descriptor goes to XCom."""
    from reporting_hub import pipeline

    return pipeline.extract(stream_id, settings())


# More tries than the default: on a first start a gate may wait for another DAG's publish.
@task(retries=6)
def validate(batch: dict[str, Any]) -> dict[str, Any]:
    """Run the batch's quality gate; a failed gate fails the task without retries.

    A gate verdict is deterministic for a landed batch, so retrying it would only
    delay the alert; the next scheduled run extracts a fresh batch instead. A referenced
    stream that has never published (synced by another DAG, first start) is retried.
    """
    from airflow.sdk.exceptions import AirflowFailException

    from reporting_hub import pipeline
    from reporting_hub.quality.gate import GateFailed

    try:
        # TargetsNotPublished passes through: retryable, unlike a verdict.
        return pipeline.validate(batch, settings(need_odoo=False))
    except GateFailed as exc:
        raise AirflowFailException(f"quality gate failed for {batch.get('stream')}: {exc}") from exc


@task
def publish(batch: dict[str, Any]) -> dict[str, Any]:
    """Publish a validated batch into raw.* in one transaction."""
    from reporting_hub import pipeline

    return pipeline.publish(batch, settings(need_odoo=False))


@task
def scan_deletes(stream_id: str) -> dict[str, Any]:
    """Tombstone the raw rows of records deleted at the source (an Odoo id scan)."""
    from reporting_hub import pipeline
    from reporting_hub.ops.stream_state import never_published

    resolved = settings()
    if never_published(resolved.warehouse_url, stream_id):
        return {"stream": stream_id, "skipped": "never published: nothing to tombstone"}
    return pipeline.scan_deletes(stream_id, resolved)


@task(trigger_rule="all_done")
def refresh_data_docs() -> dict[str, str]:
    """Render the Data Docs site once, after a cycle's gates, for the stewards."""
    from reporting_hub.orchestration.maintenance import refresh_data_docs as refresh

    return refresh(settings(need_odoo=False).warehouse_url)


@task
def build_marts() -> dict[str, Any]:
    """`dbt build` of the models downstream of the streams that changed, then their tests.

    The triggering asset events name the raw tables that were published; the warehouse's
    run log adds any change an earlier failed build left unbuilt (see orchestration.marts).
    """
    from reporting_hub.orchestration.marts import build_changed

    context = get_current_context()
    return build_changed(settings(need_odoo=False), run_key(context), event_streams(context))


@task
def reconcile() -> dict[str, Any]:
    """Build the reconciliation marts and diff their exceptions against the last run."""
    from reporting_hub.orchestration.reconcile import reconcile as run

    return run(settings(need_odoo=False), run_key(get_current_context()))


@task
def replay_dead_letters() -> dict[str, Any]:
    """Parse again and publish the dead-lettered records that a fix made readable."""
    from reporting_hub.orchestration.maintenance import replay_dead_letters as replay

    return replay(settings())


@task
def prune_history() -> dict[str, int]:
    """Drop superseded history versions older than the retention period."""
    from reporting_hub.orchestration.maintenance import prune_history as prune

    return prune(settings(need_odoo=False).warehouse_url)


@task
def vacuum_hot_tables() -> list[str]:
    """VACUUM (ANALYZE) the tables merged every few minutes."""
    from reporting_hub.orchestration.maintenance import vacuum_hot_tables as vacuum

    return vacuum(settings(need_odoo=False).warehouse_url)


def run_key(context: Context) -> str:
    """`<dag_id>/<run_id>`: what the ops tables record a run under."""
    return f"{context['dag'].dag_id}/{context['run_id']}"


def event_streams(context: Context) -> list[str]:
    """Stream ids of the raw Assets whose events triggered this run (none for manual runs)."""
    from reporting_hub.orchestration.assets import RAW

    by_name = {asset.name: stream for stream, asset in RAW.items()}
    events = context.get("triggering_asset_events") or {}
    return sorted({by_name[a.name] for a in events if getattr(a, "name", None) in by_name})


def alert_on_failure(context: Context) -> None:
    """on_failure_callback: one `ops.alerts` row (and webhook) per failed task try.

    A callback must never raise: a warehouse that cannot take the alert is logged instead,
    so the task's own failure stays what Airflow reports.
    """
    import psycopg

    from reporting_hub.ops.alerts import notify, raise_alert

    if _is_gate_failure(context.get("exception")):
        return  # the gate has already alerted, with the evidence
    ti = context.get("task_instance") or context.get("ti")
    stream = (getattr(ti, "task_id", "") or "").partition(".")[0].replace("__", ".", 1)
    message = (
        f"{context['dag'].dag_id}.{getattr(ti, 'task_id', '?')} failed "
        f"(run {context.get('run_id')}, try {getattr(ti, 'try_number', '?')}): "
        f"{context.get('exception')}"
    )
    try:
        with psycopg.connect(settings(need_odoo=False).warehouse_url) as conn:
            alert = raise_alert(conn, "error", stream if "." in stream else None, None, message)
        notify(alert)
    except Exception:  # the alert path must not mask the task's failure
        log.exception("could not record the failure alert: %s", message)


def _is_gate_failure(exc: BaseException | None) -> bool:
    from reporting_hub.quality.gate import GateFailed

    return isinstance(getattr(exc, "__cause__", None), GateFailed)
