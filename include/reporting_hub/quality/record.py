"""The gate's verdict in the warehouse: one ops.validation_runs row, one result per expectation.

Publish reads the latest run's `outcome`; stewards and the quality report read the
per-expectation rows of ops.validation_results.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from psycopg import Connection
from psycopg.types.json import Jsonb

if TYPE_CHECKING:
    from reporting_hub.quality.verdict import GateResult

# Outcomes after which a batch may be published (the rows left in landing).
PUBLISHABLE = ("passed", "rows_quarantined", "waived")

RESULT_SQL = """
insert into ops.validation_results (validation_run_id, batch_id, stream, expectation,
    column_name, level, success, observed_value, unexpected_count, sample_keys, error, kwargs)
values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
"""


def record_verdict(
    conn: Connection, result: GateResult, outcome: str, rows_quarantined: int = 0
) -> int:
    """Insert the run and its results; returns the validation_run_id."""
    (run_id,) = conn.execute(
        "insert into ops.validation_runs (batch_id, stream, suite, success, evaluated, failed, "
        "results, outcome, rows_quarantined) values (%s, %s, %s, %s, %s, %s, %s, %s, %s) "
        "returning validation_run_id",
        (
            result.batch_id,
            result.stream,
            result.suite,
            result.success,
            result.evaluated,
            result.failed,
            Jsonb(result.results),
            outcome,
            rows_quarantined,
        ),
    ).fetchone()
    with conn.cursor() as cur:
        cur.executemany(
            RESULT_SQL,
            [
                (
                    run_id,
                    result.batch_id,
                    result.stream,
                    entry["expectation"],
                    entry["column"],
                    entry.get("level", "batch"),
                    entry["success"],
                    Jsonb(entry["observed_value"]),
                    entry["unexpected_count"],
                    Jsonb(entry["sample_keys"]),
                    entry["error"],
                    Jsonb(entry["kwargs"]),
                )
                for entry in result.results
            ],
        )
    return run_id
