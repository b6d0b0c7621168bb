"""Land pages of records into landing.<table> with COPY, tagged with their batch id."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from psycopg import Connection, sql

from reporting_hub.catalog import Stream
from reporting_hub.load.columns import Column


def copy_rows(
    conn: Connection,
    stream: Stream,
    columns: list[Column],
    rows: Iterable[list[Any]],
    batch_id: str,
) -> int:
    """COPY one page of converted rows into landing; returns the number of rows written."""
    names = [c.name for c in columns] + ["_batch_id", "_extracted_at"]
    statement = sql.SQL("copy landing.{} ({}) from stdin").format(
        sql.Identifier(stream.table), sql.SQL(", ").join(map(sql.Identifier, names))
    )
    extracted_at = datetime.now(UTC)
    count = 0
    with conn.cursor() as cur, cur.copy(statement) as copy:
        for row in rows:
            copy.write_row([*row, batch_id, extracted_at])
            count += 1
    return count


def discard_batch(conn: Connection, stream: Stream, batch_id: str) -> None:
    """Remove a batch's rows from landing (after publish, or before re-landing it)."""
    conn.execute(
        sql.SQL("delete from landing.{} where _batch_id = %s").format(sql.Identifier(stream.table)),
        (batch_id,),
    )
