"""The quality gate of write-audit-publish: validate one landed batch, record the verdict.

`run_gate` runs the stream's GX checkpoint on exactly one `_batch_id` of
landing.<table>, in PostgreSQL, and writes the outcome to ops.validation_runs (which
publish reads). `enforce` is what the pipeline calls next: a failed gate raises, so
nothing is published and the task fails loudly instead of logging and moving on.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reporting_hub.catalog import Stream
from reporting_hub.quality.checkpoints import SAMPLE_SIZE, prepare_checkpoint
from reporting_hub.quality.context import BATCH_COLUMN, get_context, gx_root
from reporting_hub.quality.results import describe, summarize
from reporting_hub.quality.retention import prune_results
from reporting_hub.quality.samples import sample_rows
from reporting_hub.quality.sql import landing_table

if TYPE_CHECKING:
    from great_expectations import Checkpoint
    from great_expectations.checkpoint import CheckpointResult
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

log = logging.getLogger(__name__)
EMPTY_BATCH = "batch_has_rows"
# Results kept per suite in GX's local store (and so in Data Docs); see retention.py.
KEEP_RESULTS = 10


@dataclass(frozen=True)
class GateResult:
    """The verdict on one batch, with one sentence per failed expectation."""

    success: bool
    stream: str
    batch_id: str
    suite: str
    evaluated: int
    failed: int
    failures: list[str] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)


class GateFailed(RuntimeError):
    """A batch failed its quality gate; `result` holds the evidence."""

    def __init__(self, result: GateResult) -> None:
        self.result = result
        listed = "; ".join(result.failures) or "no expectation details"
        super().__init__(
            f"{result.stream} batch {result.batch_id} failed {result.failed} of "
            f"{result.evaluated} expectations in suite {result.suite}: {listed}"
        )


def enforce(result: GateResult) -> GateResult:
    """Raise GateFailed unless the gate passed; returns the result for chaining."""
    if not result.success:
        raise GateFailed(result)
    return result


def run_gate(stream: Stream, batch_id: str, warehouse_url: str) -> GateResult:
    """Validate `landing.<table>` rows of one batch with the stream's suite; record it."""
    root = gx_root()
    checkpoint = _prepared_checkpoint(stream, warehouse_url, root)
    try:
        outcome = _run(checkpoint, batch_id)
    except _no_batch_error() as exc:
        log.info("%s: %s", stream.id, exc)
        result = _empty_batch(stream, batch_id)
    else:
        result = _verdict(stream, batch_id, warehouse_url, outcome)
        prune_results(root, stream.quality_suite, KEEP_RESULTS)
    record(warehouse_url, result)
    log.info(
        "%s batch %s: %s (%d/%d expectations failed)",
        stream.id,
        batch_id,
        "passed" if result.success else "FAILED",
        result.failed,
        result.evaluated,
    )
    return result


def record(warehouse_url: str, result: GateResult) -> None:
    """One ops.validation_runs row per gate run; publish trusts the latest one."""
    import psycopg
    from psycopg.types.json import Jsonb

    with psycopg.connect(warehouse_url) as conn:
        conn.execute(
            "insert into ops.validation_runs "
            "(batch_id, stream, suite, success, evaluated, failed, results) "
            "values (%s, %s, %s, %s, %s, %s, %s)",
            (
                result.batch_id,
                result.stream,
                result.suite,
                result.success,
                result.evaluated,
                result.failed,
                Jsonb(result.results),
            ),
        )


_lock = threading.Lock()
_checkpoints: dict[tuple[str, str, str], tuple[Stream, Checkpoint]] = {}


def _prepared_checkpoint(stream: Stream, warehouse_url: str, root: Path) -> Checkpoint:
    """The stream's checkpoint, set up once per process, URL and catalog version."""
    key = (str(root), warehouse_url, stream.id)
    with _lock:
        cached = _checkpoints.get(key)
        if cached is None or cached[0] != stream:
            context = get_context(warehouse_url, root)
            cached = _checkpoints[key] = (stream, prepare_checkpoint(context, stream))
    return cached[1]


def _run(checkpoint: Checkpoint, batch_id: str) -> CheckpointResult:
    from great_expectations.core.run_identifier import RunIdentifier

    return checkpoint.run(
        batch_parameters={BATCH_COLUMN: batch_id}, run_id=RunIdentifier(run_name=batch_id)
    )


def _verdict(
    stream: Stream, batch_id: str, warehouse_url: str, outcome: CheckpointResult
) -> GateResult:
    (suite_result,) = outcome.run_results.values()

    def fetch_rows(config: ExpectationConfiguration) -> list[dict]:
        query = config.kwargs["unexpected_rows_query"]
        return sample_rows(warehouse_url, stream, batch_id, query, SAMPLE_SIZE)

    entries = summarize(suite_result.results, stream.primary_key, fetch_rows)
    stats = suite_result.statistics
    return GateResult(
        success=bool(suite_result.success),
        stream=stream.id,
        batch_id=batch_id,
        suite=stream.quality_suite,
        evaluated=int(stats["evaluated_expectations"]),
        failed=int(stats["unsuccessful_expectations"]),
        failures=[describe(e) for e in entries if not e["success"]],
        results=entries,
    )


def _empty_batch(stream: Stream, batch_id: str) -> GateResult:
    """No rows landed: fine for an incremental stream, a failure for a snapshot.

    Publishing an empty snapshot would remove every row from raw, so it is blocked.
    """
    if not stream.is_snapshot:
        return GateResult(True, stream.id, batch_id, stream.quality_suite, 0, 0)
    sentence = (
        f"{landing_table(stream)} has no rows for batch {batch_id}: publishing an empty "
        "snapshot would remove every published row"
    )
    entry = {
        "expectation": EMPTY_BATCH,
        "column": None,
        "kwargs": {"min_rows": 1},
        "success": False,
        "observed_value": 0,
        "element_count": 0,
        "unexpected_count": None,
        "sample_keys": [],
        "sample_values": [],
        "error": None,
    }
    return GateResult(False, stream.id, batch_id, stream.quality_suite, 1, 1, [sentence], [entry])


def _no_batch_error() -> type[Exception]:
    from great_expectations.exceptions.exceptions import NoAvailableBatchesError

    return NoAvailableBatchesError
