"""Schema drift: the landed batch's columns against the catalog and the published table.

A batch whose columns differ from what the stream declares (a declared field missing,
an undeclared column) or from raw.<table> (a column added, dropped or retyped) cannot be
merged faithfully, so drift is a batch-level failure: the whole batch is blocked.
"""

from __future__ import annotations

from typing import Any

from psycopg import Connection

from reporting_hub.catalog import Stream
from reporting_hub.quality.results import batch_entry
from reporting_hub.warehouse.introspect import column_types

EXPECTATION = "expect_table_columns_to_match_declaration"
# Columns the loader adds around the data; they are not part of the declared shape.
METADATA = {"_batch_id", "_extracted_at", "_published_at", "_deleted_at"}


def schema_entry(conn: Connection, stream: Stream) -> dict[str, Any] | None:
    """The drift verdict as a result entry, or None when nothing has landed a table yet."""
    landed = table_columns(conn, "landing", stream.table)
    if not landed:
        return None
    drift = column_drift(stream, landed, table_columns(conn, "raw", stream.table))
    return batch_entry(EXPECTATION, not drift, drift)


def column_drift(
    stream: Stream, landed: dict[str, str], published: dict[str, str]
) -> dict[str, list[str]]:
    """What differs, by kind; empty when the batch has exactly the expected shape.

    A many2one field lands as `<field>` and `<field>_name` (docs/contracts.md), so the
    companion name column is declared implicitly.
    """
    allowed = set(stream.fields) | {f"{name}_name" for name in stream.fields}
    # A field dropped from the catalog leaves its column in landing and raw (nullable, and
    # history still holds its values); the loader no longer fills it, so it is not drift.
    retired = {c for c in landed if c not in allowed and c in published}
    drift = {
        "missing": [f for f in stream.fields if f not in landed],
        "undeclared": [c for c in landed if c not in allowed and c not in retired],
    }
    if published:
        drift["not_in_raw"] = [c for c in landed if c not in published and c in allowed]
        drift["dropped"] = [c for c in published if c not in landed]
        drift["retyped"] = [
            f"{c}: {published[c]} -> {t}"
            for c, t in landed.items()
            if c in published and t != published[c]
        ]
    return {kind: names for kind, names in drift.items() if names}


def table_columns(conn: Connection, schema: str, table: str) -> dict[str, str]:
    """Data columns of schema.table in order, name -> type ({} if the table is absent)."""
    return {n: t for n, t in column_types(conn, schema, table).items() if n not in METADATA}
