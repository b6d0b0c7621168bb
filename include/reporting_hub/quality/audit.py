"""The gate's decision on one batch: publish it whole, publish all but its bad rows, or block it.

Row-level failures (a row breaks a key, not-null, bounds, status or reference check)
under `row_failure_policy: quarantine` move just those rows to quarantine.<table>; the
rest publishes. Anything else that fails blocks the whole batch into quarantine: a
batch-level failure (schema drift, volume outside the band of recent runs, an empty
snapshot, a check that could not run), more bad rows than the stream allows, row
failures under `block`, or SQL that isolates fewer rows than GX counted. The move, the
verdict, the counts and the alert are one transaction; the webhook follows the commit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import psycopg

from reporting_hub.catalog import Stream
from reporting_hub.ops.alerts import Alert, notify, raise_alert
from reporting_hub.ops.runs import mark_failed
from reporting_hub.quality.gate import GateFailed, GateResult, evaluate
from reporting_hub.quality.quarantine import (
    BadRows,
    check_counts,
    count_bad_rows,
    quarantine_rows,
    store_counts,
)
from reporting_hub.quality.record import record_verdict
from reporting_hub.quality.results import describe
from reporting_hub.quality.unexpected import RowCheck, row_check


@dataclass(frozen=True)
class Audit:
    """What the gate did with a batch: outcome, rows held back, and why if blocked."""

    result: GateResult
    outcome: str  # passed | rows_quarantined | blocked
    rows_quarantined: int
    alert: Alert | None = None


def audit_batch(stream: Stream, batch_id: str, warehouse_url: str) -> Audit:
    """Judge the batch and act on the verdict; raises GateFailed when it is blocked."""
    result = evaluate(stream, batch_id, warehouse_url)
    with psycopg.connect(warehouse_url) as conn, conn.transaction():
        conn.execute("select pg_advisory_xact_lock(hashtext(%s))", (stream.id,))
        audit = _act(conn, stream, result)
    if audit.alert is not None:
        notify(audit.alert)
    if audit.outcome == "blocked":
        mark_failed(warehouse_url, batch_id, "quality gate: " + "; ".join(audit.result.failures))
        raise GateFailed(audit.result)
    return audit


def _act(conn: psycopg.Connection, stream: Stream, result: GateResult) -> Audit:
    failed = [e for e in result.results if not e["success"]]
    row_failures = [e for e in failed if e["level"] == "row"]
    checks = [row_check(e, stream) for e in row_failures]
    bad = count_bad_rows(conn, stream, result.batch_id, checks) if checks else None
    blockers = [_reason(e["expectation"], describe(e)) for e in failed if e["level"] == "batch"]
    if bad is not None:
        blockers += _isolation_reasons(checks, row_failures, bad)
        blockers += _row_reasons(stream, bad)
    if blockers:
        quarantine_rows(conn, stream, result.batch_id, checks, blockers)
        result = replace(result, failures=_merged(result.failures, blockers))
        outcome = "blocked"
    elif checks:
        quarantine_rows(conn, stream, result.batch_id, checks)
        outcome = "rows_quarantined"
    else:
        outcome = "passed"
    held = store_counts(conn, stream, result.batch_id)
    if outcome == "blocked":
        check_counts(conn, result.batch_id, published=0)
    record_verdict(conn, result, outcome, held)
    alert = _alert(conn, result, outcome, held, bad) if outcome != "passed" else None
    return Audit(result, outcome, held, alert)


def _reason(expectation: str, detail: str) -> dict[str, Any]:
    return {"expectation": expectation, "level": "batch", "detail": detail}


def _isolation_reasons(
    checks: list[RowCheck], entries: list[dict[str, Any]], bad: BadRows
) -> list[dict[str, Any]]:
    """Quarantine only what SQL can name: fewer rows than GX counted blocks the batch."""
    reasons = []
    for check, entry, isolated in zip(checks, entries, bad.per_check, strict=True):
        counted = entry["unexpected_count"] or 0
        if isolated < counted:
            reasons.append(
                _reason(
                    "rows_isolated",
                    f"{check.expectation} on {check.column}: GX counted {counted} rows, "
                    f"SQL isolated {isolated}",
                )
            )
    return reasons


def _row_reasons(stream: Stream, bad: BadRows) -> list[dict[str, Any]]:
    """Row failures block the batch under `block`, or when there are too many of them."""
    share = stream.checks.max_bad_row_share
    if bad.bad_rows > share * bad.total_rows:
        detail = (
            f"{bad.bad_rows} of {bad.total_rows} rows failed row checks, above the "
            f"{share:.0%} allowed (checks.max_bad_row_share)"
        )
        return [_reason("max_bad_row_share", detail)]
    if stream.row_failure_policy == "block":
        detail = f"row_failure_policy is block and {bad.bad_rows} rows failed row checks"
        return [_reason("row_failure_policy", detail)]
    return []


def _merged(failures: list[str], blockers: list[dict[str, Any]]) -> list[str]:
    return [*failures, *(b["detail"] for b in blockers if b["detail"] not in failures)]


def _alert(
    conn: psycopg.Connection, result: GateResult, outcome: str, held: int, bad: BadRows | None
) -> Alert:
    if outcome == "blocked":
        message = (
            f"{result.stream}: batch {result.batch_id} blocked, {held} rows quarantined, "
            f"nothing published: " + "; ".join(result.failures)
        )
        return raise_alert(conn, "error", result.stream, result.batch_id, message)
    total = bad.total_rows if bad else held
    message = (
        f"{result.stream}: {held} of {total} rows of batch {result.batch_id} quarantined, "
        f"the rest publishes: " + "; ".join(result.failures)
    )
    return raise_alert(conn, "warning", result.stream, result.batch_id, message)
