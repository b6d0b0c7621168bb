"""Wire a stream's suite and landing batches into a saved checkpoint.

GX checks that a checkpoint's parts are saved before it runs, so they live in the
file context; each is looked up by name and rewritten only when it changed. Data Docs
are rebuilt once per sync cycle (quality/docs.py), not by each checkpoint: a rebuild
costs more than the validation itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reporting_hub.catalog import Stream
from reporting_hub.quality.context import landing_batches
from reporting_hub.quality.suites import build_suite, save_suite

if TYPE_CHECKING:
    from great_expectations import Checkpoint, ExpectationSuite, ValidationDefinition
    from great_expectations.core.batch_definition import BatchDefinition
    from great_expectations.data_context import FileDataContext

SAMPLE_SIZE = 5


def result_format(stream: Stream) -> dict[str, Any]:
    """Counts plus a few offending keys per expectation, computed in the database.

    Sample values are left out: GX sorts them to rank the most common, and numeric NaN
    values cannot be ordered, which turns a clean "NaN found" into an exception.
    """
    return {
        "result_format": "SUMMARY",
        "partial_unexpected_count": SAMPLE_SIZE,
        "unexpected_index_column_names": list(stream.primary_key),
        "exclude_unexpected_values": True,
    }


def prepare_checkpoint(context: FileDataContext, stream: Stream) -> Checkpoint:
    """The stream's checkpoint: its suite over landing.<table>, one `_batch_id` at a time."""
    suite = save_suite(context, build_suite(stream))
    definition = _validation_definition(context, stream, suite, landing_batches(context, stream))
    return _checkpoint(context, stream, definition)


def _validation_definition(
    context: FileDataContext,
    stream: Stream,
    suite: ExpectationSuite,
    batches: BatchDefinition,
) -> ValidationDefinition:
    import great_expectations as gx
    from great_expectations.exceptions import DataContextError

    try:
        stored = context.validation_definitions.get(stream.id)
    except DataContextError:
        stored = None
    if stored is not None and stored.suite.id == suite.id and stored.data.id == batches.id:
        return stored
    return context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=stream.id, data=batches, suite=suite)
    )


def _checkpoint(
    context: FileDataContext, stream: Stream, definition: ValidationDefinition
) -> Checkpoint:
    import great_expectations as gx
    from great_expectations.exceptions import DataContextError

    wanted = gx.Checkpoint(
        name=stream.id,
        validation_definitions=[definition],
        actions=[],
        result_format=result_format(stream),
    )
    try:
        stored = context.checkpoints.get(stream.id)
    except DataContextError:
        stored = None
    if stored is not None and _shape(stored) == _shape(wanted):
        return stored
    context.checkpoints.add_or_update(wanted)
    # Read it back: only a checkpoint loaded from the store resolves the datasource's
    # ${WAREHOUSE_URL}; the in-memory one hands GX 1.24's engine an unresolved ConfigStr.
    return context.checkpoints.get(stream.id)


def _shape(checkpoint: Checkpoint) -> tuple:
    return (
        [(d.name, d.id) for d in checkpoint.validation_definitions],
        [a.name for a in checkpoint.actions],
        checkpoint.result_format,
    )
