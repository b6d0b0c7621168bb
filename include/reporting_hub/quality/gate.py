"""The quality gate of write-audit-publish: validate one landed batch, record the verdict.

`evaluate` checks the batch's columns against the declaration (drift), then runs the
stream's GX checkpoint on exactly one `_batch_id` of landing.<table>, in PostgreSQL, with
the volume band of recent runs as suite parameters. `run_gate` also records the verdict
in ops.validation_runs; `quality.audit` decides what to publish and quarantine from it.
`enforce` (quality.verdict) turns a failed verdict into an error, so the task fails loudly.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reporting_hub.catalog import Stream
from reporting_hub.quality.checkpoints import SAMPLE_SIZE, prepare_checkpoint
from reporting_hub.quality.context import BATCH_COLUMN, get_context, gx_root
from reporting_hub.quality.record import record_verdict
from reporting_hub.quality.results import batch_entry, describe, summarize
from reporting_hub.quality.retention import prune_results
from reporting_hub.quality.samples import sample_rows
from reporting_hub.quality.schema import schema_entry
from reporting_hub.quality.sql import landing_table
from reporting_hub.quality.verdict import GateFailed, GateResult, enforce
from reporting_hub.quality.volume import volume_parameters

if TYPE_CHECKING:
    from great_expectations import Checkpoint
    from great_expectations.checkpoint import CheckpointResult
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

__all__ = ["GateFailed", "GateResult", "enforce", "evaluate", "record", "run_gate"]
log = logging.getLogger(__name__)
EMPTY_BATCH = "batch_has_rows"
# Results kept per suite in GX's local store (and so in Data Docs); see retention.py.
KEEP_RESULTS = 10


def run_gate(stream: Stream, batch_id: str, warehouse_url: str) -> GateResult:
    """Validate `landing.<table>` rows of one batch with the stream's suite; record it."""
    result = evaluate(stream, batch_id, warehouse_url)
    record(warehouse_url, result)
    return result


def evaluate(stream: Stream, batch_id: str, warehouse_url: str) -> GateResult:
    """The verdict on one batch: schema first (drift skips the suite), then the suite."""
    import psycopg

    with psycopg.connect(warehouse_url) as conn:
        schema = schema_entry(conn, stream)
        parameters = volume_parameters(conn, stream)
    if schema is not None and not schema["success"]:
        result = _drifted(stream, batch_id, schema)
    else:
        result = _validate(stream, batch_id, warehouse_url, parameters)
        if schema is not None and result.evaluated:
            result = _with_entry(result, schema)
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
    """One ops.validation_runs row per gate run (plus its results); publish trusts the latest."""
    import psycopg

    with psycopg.connect(warehouse_url) as conn:
        record_verdict(conn, result, "passed" if result.success else "failed")


def _validate(
    stream: Stream, batch_id: str, warehouse_url: str, parameters: dict[str, Any]
) -> GateResult:
    root = gx_root()
    checkpoint = _prepared_checkpoint(stream, warehouse_url, root)
    try:
        outcome = _run(checkpoint, batch_id, parameters)
    except _no_batch_error() as exc:
        log.info("%s: %s", stream.id, exc)
        return _empty_batch(stream, batch_id)
    prune_results(root, stream.quality_suite, KEEP_RESULTS)
    return _verdict(stream, batch_id, warehouse_url, outcome)


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


def _run(checkpoint: Checkpoint, batch_id: str, parameters: dict[str, Any]) -> CheckpointResult:
    from great_expectations.core.run_identifier import RunIdentifier

    return checkpoint.run(
        batch_parameters={BATCH_COLUMN: batch_id},
        expectation_parameters=parameters or None,
        run_id=RunIdentifier(run_name=batch_id),
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


def _drifted(stream: Stream, batch_id: str, schema: dict[str, Any]) -> GateResult:
    """Drift alone decides: the suite's column checks would only restate it, or error."""
    suite = stream.quality_suite
    return GateResult(False, stream.id, batch_id, suite, 1, 1, [describe(schema)], [schema])


def _with_entry(result: GateResult, entry: dict[str, Any]) -> GateResult:
    """The result with one more (batch-level) entry counted in."""
    failed = not entry["success"]
    return replace(
        result,
        success=result.success and not failed,
        evaluated=result.evaluated + 1,
        failed=result.failed + failed,
        failures=[*([describe(entry)] if failed else []), *result.failures],
        results=[entry, *result.results],
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
    entry = {**batch_entry(EMPTY_BATCH, False, 0, {"min_rows": 1}), "element_count": 0}
    return GateResult(False, stream.id, batch_id, stream.quality_suite, 1, 1, [sentence], [entry])


def _no_batch_error() -> type[Exception]:
    from great_expectations.exceptions.exceptions import NoAvailableBatchesError

    return NoAvailableBatchesError
