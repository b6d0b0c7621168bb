"""What Airflow task bodies call: one function per step, settings resolved from Airflow.

DAG files stay wiring only; each task is one call into this module. Settings come
from the Airflow connections through the hooks in plugins/ (falling back to the
environment), and every heavy import (GX, dbt, odoorpc, psycopg) happens inside a
function, at run time, never when the scheduler parses a DAG. The return values go
through XCom, so they are small JSON-serialisable dicts.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reporting_hub.settings import Settings

_DURATION = re.compile(r"(\d+)\s*([smhd])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


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


def extract(stream_id: str) -> dict[str, Any]:
    """Land one batch of the stream in landing.*; the batch descriptor goes to XCom."""
    from reporting_hub import pipeline

    return pipeline.extract(stream_id, settings())


def validate(batch: dict[str, Any]) -> dict[str, Any]:
    """Run the batch's quality gate; a failed gate fails the task without retries.

    A gate verdict is deterministic for a landed batch, so retrying it would only
    delay the alert; the next scheduled run extracts a fresh batch instead.
    """
    from airflow.sdk.exceptions import AirflowFailException

    from reporting_hub import pipeline
    from reporting_hub.quality.gate import GateFailed

    try:
        return pipeline.validate(batch, settings(need_odoo=False))
    except GateFailed as exc:
        raise AirflowFailException(f"quality gate failed for {batch.get('stream')}: {exc}") from exc


def publish(batch: dict[str, Any]) -> dict[str, Any]:
    """Publish a validated batch into raw.* in one transaction."""
    from reporting_hub import pipeline

    return pipeline.publish(batch, settings(need_odoo=False))


def build_marts(select: list[str] | None = None) -> dict[str, Any]:
    """`dbt build` of the selected models (all when None); a failed model or test fails the task."""
    from reporting_hub.transform import dbt_build

    resolved = settings(need_odoo=False)
    result = dbt_build(select, resolved.warehouse_url, resolved.home)
    return {
        "select": select,
        "elapsed_seconds": result.elapsed_seconds,
        "by_status": result.by_status,
        "by_type": result.by_type,
        "warnings": result.warnings,
    }


def schedule_from_env(value: str | None, default: str) -> str | timedelta | None:
    """A DAG schedule from an env value: a cron or `@preset` as is, a duration (`300`
    seconds, `90s`, `5m`, `1h30m`, `1d`) as a timedelta, or `none` for manual runs only."""
    text = (value or default).strip()
    if text.lower() == "none":
        return None
    if text.isdigit():
        return timedelta(seconds=int(text))
    parts = _DURATION.findall(text)
    if parts and not _DURATION.sub("", text).strip():
        return sum((timedelta(**{_UNITS[unit]: int(n)}) for n, unit in parts), timedelta())
    return text
