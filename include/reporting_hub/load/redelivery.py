"""A corrected file replaces the earlier version of its document, rows it dropped included.

When a partner re-sends a document (the same name rewritten, or `statement_<day>_v2.csv`
under the stream's `document` rule), the publish of the new version merges its rows, which
moves their lineage to the new file. Whatever raw still traces to a replaced file is what
the correction removed, so it is tombstoned in the same transaction — except rows whose
new version the gate held back, which stay current until a steward decides.
"""

from __future__ import annotations

from psycopg import Connection, sql

from reporting_hub.catalog import Stream
from reporting_hub.ops.file_ledger import replaced_files
from reporting_hub.quality.quarantine import unless_held


def tombstone_replaced(conn: Connection, stream: Stream, batch_id: str) -> int:
    """In the publish transaction: tombstone the rows only the replaced files held."""
    if stream.cursor != "files":
        return 0
    replaced = replaced_files(conn, batch_id)
    if not replaced:
        return 0
    cur = conn.execute(
        sql.SQL(
            "update raw.{table} r set _deleted_at = now() where r._deleted_at is null "
            "and r._source_file = any(%s) and r._batch_id <> %s {held}"
        ).format(
            table=sql.Identifier(stream.table),
            held=unless_held(conn, stream, batch_id, alias="r"),
        ),
        (replaced, batch_id),
    )
    conn.execute(
        "update ops.sync_runs set rows_deleted = rows_deleted + %s where batch_id = %s",
        (cur.rowcount, batch_id),
    )
    return cur.rowcount
