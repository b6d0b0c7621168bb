"""Delete scans: Odoo leaves no trace of a deleted record, so compare ids and tombstone.

The source's ids are copied into a temporary table and every current raw row
missing from them gets `_deleted_at`, in one transaction. Rows published after the
scan started are left alone: they may be newer than the id list.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from psycopg import Connection, sql

from reporting_hub.catalog import Stream


def tombstone_missing(
    conn: Connection, stream: Stream, id_pages: Iterable[list[int]], scan_started: datetime
) -> tuple[int, int]:
    """Mark raw rows whose id the source no longer has; returns (ids seen, rows tombstoned)."""
    (key,) = stream.primary_key  # delete scans need a single-column id key
    with conn.transaction():
        conn.execute("create temp table seen_ids (id bigint primary key) on commit drop")
        seen = 0
        with conn.cursor() as cur, cur.copy("copy seen_ids (id) from stdin") as copy:
            for page in id_pages:
                for record_id in page:
                    copy.write_row((record_id,))
                seen += len(page)
        cur = conn.execute(
            sql.SQL(
                "update raw.{table} r set _deleted_at = now() "
                "where r._deleted_at is null and r._published_at < %s "
                "and not exists (select 1 from seen_ids s where s.id = r.{key})"
            ).format(table=sql.Identifier(stream.table), key=sql.Identifier(key)),
            (scan_started,),
        )
        return seen, cur.rowcount
