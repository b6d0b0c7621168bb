"""The expected row-count band of a stream's next batch, from its recent published batches.

The bounds reach the suite as parameters (suites.VOLUME_MIN / VOLUME_MAX), so the
committed suite stays fixed while the band follows the data. With fewer than
`min_runs` batches published there is no band: the bounds are open.
"""

from __future__ import annotations

import math
import statistics

from psycopg import Connection

from reporting_hub.catalog import Stream
from reporting_hub.quality.suites import VOLUME_MAX, VOLUME_MIN

HISTORY_SQL = (
    "select rows_landed from ops.sync_runs where stream = %s and kind = 'sync' "
    "and status = 'published' order by run_id desc limit %s"
)


def volume_parameters(conn: Connection, stream: Stream) -> dict[str, int | None]:
    """Suite parameters for the volume check; {} when the stream declares none."""
    check = stream.checks.volume
    if check is None:
        return {}
    history = [n for (n,) in conn.execute(HISTORY_SQL, (stream.id, check.runs))]
    if len(history) < check.min_runs:
        return {VOLUME_MIN: None, VOLUME_MAX: None}
    median = statistics.median(history)
    return {VOLUME_MIN: math.ceil(check.low * median), VOLUME_MAX: math.floor(check.high * median)}
