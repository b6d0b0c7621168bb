"""DDL for a stream's landing, raw and history tables, derived from its columns.

Tables are created on first use from the server's field metadata, so the
catalog stays the only place a stream is declared.
"""

from __future__ import annotations

from psycopg import Connection, sql

from reporting_hub.catalog import Stream
from reporting_hub.load.columns import METADATA_COLUMNS, Column
from reporting_hub.warehouse.introspect import column_types


def ensure_tables(conn: Connection, stream: Stream, columns: list[Column]) -> None:
    """Create landing, raw and history tables for the stream if they do not exist."""
    data_cols = [
        sql.SQL("{} {}").format(sql.Identifier(c.name), sql.SQL(c.pg_type)) for c in columns
    ]
    meta = [sql.SQL("{} {}").format(sql.Identifier(n), sql.SQL(t)) for n, t in METADATA_COLUMNS]
    # _deleted_at is a tombstone: set when the source no longer has the row, never a delete.
    published = sql.SQL("_published_at timestamptz not null, _deleted_at timestamptz")
    key = sql.SQL(", ").join(map(sql.Identifier, stream.primary_key))
    table = stream.table
    conn.execute(
        sql.SQL("create table if not exists landing.{} ({})").format(
            sql.Identifier(table), sql.SQL(", ").join(data_cols + meta)
        )
    )
    conn.execute(
        sql.SQL("create index if not exists {} on landing.{} (_batch_id)").format(
            sql.Identifier(f"{table}__batch"), sql.Identifier(table)
        )
    )
    conn.execute(
        sql.SQL("create table if not exists raw.{} ({}, primary key ({}))").format(
            sql.Identifier(table), sql.SQL(", ").join([*data_cols, *meta, published]), key
        )
    )
    conn.execute(
        sql.SQL("create table if not exists raw.{} ({})").format(
            sql.Identifier(f"{table}__history"), sql.SQL(", ").join([*data_cols, *meta, published])
        )
    )
    for schema, name in (("landing", table), ("raw", table), ("raw", f"{table}__history")):
        _add_new_columns(conn, stream, schema, name, columns)


class ColumnTypeChanged(RuntimeError):
    """A declared column's type differs from the table's: needs a deliberate migration."""


def _add_new_columns(
    conn: Connection, stream: Stream, schema: str, table: str, columns: list[Column]
) -> None:
    """Columns the catalog gained since the table was made are added (nullable, no rewrite)."""
    existing = column_types(conn, schema, table)
    wanted = [*columns, Column("_deleted_at", "timestamptz")] if schema == "raw" else columns
    for column in wanted:
        have = existing.get(column.name)
        if have is None:
            conn.execute(
                sql.SQL("alter table {}.{} add column {} {}").format(
                    sql.Identifier(schema),
                    sql.Identifier(table),
                    sql.Identifier(column.name),
                    sql.SQL(column.pg_type),
                )
            )
        elif _normalise(have) != _normalise(column.pg_type):
            raise ColumnTypeChanged(
                f"{stream.id}: {schema}.{table}.{column.name} is {have} but the source now "
                f"gives {column.pg_type}; migrate the column deliberately (history depends on it)"
            )


def _normalise(pg_type: str) -> str:
    return {"timestamp with time zone": "timestamptz"}.get(pg_type, pg_type)
