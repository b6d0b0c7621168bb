"""Questions about the warehouse's own catalog: does a table exist, what columns has it."""

from __future__ import annotations

from psycopg import Connection, sql


def table_exists(conn: Connection, name: str) -> bool:
    """Whether `schema.table` exists (a missing table is a normal state on a new warehouse)."""
    return conn.execute("select to_regclass(%s) is not null", (name,)).fetchone()[0]


def column_types(conn: Connection, schema: str, table: str) -> dict[str, str]:
    """Columns of schema.table in order, name -> SQL type; {} when the table is absent."""
    cur = conn.execute(
        "select attname, format_type(atttypid, atttypmod) from pg_attribute "
        "where attrelid = to_regclass(%s) and attnum > 0 and not attisdropped order by attnum",
        (sql.Identifier(schema, table).as_string(conn),),
    )
    return dict(cur.fetchall())
