"""A few offending rows of a failed SQL expectation, to name them in the failure message.

For an UnexpectedRowsExpectation GX's SUMMARY result holds only a count, and its
`get_unexpected_rows` reads every offending row; a handful is enough to point at the
problem, so the same query runs here with a LIMIT, scoped to the batch as GX scopes it.
"""

from __future__ import annotations

from reporting_hub.catalog import Stream
from reporting_hub.quality.context import BATCH_COLUMN
from reporting_hub.quality.sql import ident, landing_table


def sample_rows(
    warehouse_url: str, stream: Stream, batch_id: str, query: str, limit: int
) -> list[dict]:
    """Up to `limit` rows of `query`, whose `{batch}` stands for the batch's rows."""
    import psycopg
    from psycopg import sql
    from psycopg.rows import dict_row

    with psycopg.connect(warehouse_url) as conn:
        batch = sql.SQL("(select * from {table} where {column} = {value})").format(
            table=sql.SQL(landing_table(stream)),
            column=sql.SQL(ident(BATCH_COLUMN)),
            value=sql.Literal(batch_id),
        )
        text = query.format(batch=batch.as_string(conn)) + f" limit {int(limit)}"
        with conn.cursor(row_factory=dict_row) as cur:
            return cur.execute(text.encode()).fetchall()
