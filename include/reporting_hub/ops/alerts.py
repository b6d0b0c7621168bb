"""Alerts: always a row in ops.alerts, plus a JSON POST to a webhook when one is configured.

The row is written in the caller's transaction, so an alert exists exactly when the
event it reports does; the webhook is sent after commit and never fails the caller: a
monitoring outage must not block data, so a failed POST is logged and left at that.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.request
from dataclasses import asdict, dataclass
from datetime import datetime

from psycopg import Connection

log = logging.getLogger(__name__)
WEBHOOK_ENV = "HUB_ALERT_WEBHOOK_URL"
WEBHOOK_TIMEOUT_S = 3.0
SEVERITIES = ("info", "warning", "error", "critical")


@dataclass(frozen=True)
class Alert:
    alert_id: int
    severity: str
    stream: str | None
    batch_id: str | None
    message: str
    created_at: datetime


def raise_alert(
    conn: Connection, severity: str, stream: str | None, batch_id: str | None, message: str
) -> Alert:
    """Record an alert in the current transaction; send it with `notify` after commit."""
    if severity not in SEVERITIES:
        raise ValueError(f"alert severity {severity!r}: expected one of {', '.join(SEVERITIES)}")
    alert_id, created_at = conn.execute(
        "insert into ops.alerts (severity, stream, batch_id, message) values (%s, %s, %s, %s) "
        "returning alert_id, created_at",
        (severity, stream, batch_id, message[:4000]),
    ).fetchone()
    return Alert(alert_id, severity, stream, batch_id, message, created_at)


def notify(alert: Alert, webhook_url: str | None = None) -> bool:
    """POST the alert as JSON to the webhook (argument, else HUB_ALERT_WEBHOOK_URL).

    Returns whether it was delivered; no webhook configured counts as not delivered.
    """
    url = webhook_url or os.environ.get(WEBHOOK_ENV)
    if not url:
        return False
    if not url.startswith(("http://", "https://")):
        log.warning(
            "%s=%r is not an http(s) URL: alert %d not sent", WEBHOOK_ENV, url, alert.alert_id
        )
        return False
    body = json.dumps({**asdict(alert), "created_at": alert.created_at.isoformat()}).encode()
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_S) as response:
            response.read()
        return True
    except Exception as exc:  # any failure: log it, never fail the gate or the steward
        log.warning("alert %d not delivered to webhook: %s", alert.alert_id, exc)
        return False


def acknowledge(
    conn: Connection, actor: str, *, alert_id: int | None = None, batch_id: str | None = None
) -> int:
    """Mark one alert, or every alert of a batch, as seen; returns how many were open."""
    if (alert_id is None) == (batch_id is None):
        raise ValueError("acknowledge one alert_id or one batch_id")
    column = "alert_id" if alert_id is not None else "batch_id"
    cur = conn.execute(
        "update ops.alerts set acknowledged = true, acknowledged_at = now(), "
        f"acknowledged_by = %s where {column} = %s and not acknowledged",
        (actor, alert_id if alert_id is not None else batch_id),
    )
    return cur.rowcount
