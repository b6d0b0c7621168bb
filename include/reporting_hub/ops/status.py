"""`hub status`: each stream's freshness, last run, rows and last error, as a table."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg

from reporting_hub.catalog import Catalog
from reporting_hub.warehouse.introspect import table_exists

STATUS_SQL = """
select s.stream, r.status, r.started_at, r.rows_landed, r.rows_published, r.error,
       st.last_published_at, st.rows_total
from unnest(%s::text[]) as s(stream)
left join lateral (
    select status, started_at, rows_landed, rows_published, error from ops.sync_runs
    where stream = s.stream and kind <> 'delete_scan'  -- the last load, not a nightly id scan
    order by run_id desc limit 1
) r on true
left join ops.stream_state st on st.stream = s.stream
"""
HEADERS = ("stream", "freshness", "last run", "status", "landed", "published", "raw rows", "error")


def stream_status(warehouse_url: str, catalog: Catalog) -> list[tuple]:
    """One row per catalog stream, never-run streams included."""
    with psycopg.connect(warehouse_url) as conn:
        if not table_exists(conn, "ops.sync_runs"):
            return [(s, None, None, None, None, None, None, None) for s in catalog.streams]
        return conn.execute(STATUS_SQL, (list(catalog.streams),)).fetchall()


def render(rows: list[tuple], now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    table = [HEADERS]
    for stream, status, started, landed, published, error, published_at, total in rows:
        table.append(
            (
                stream,
                _age(now, published_at),
                started.strftime("%Y-%m-%d %H:%M:%S") if started else "never",
                status or "-",
                _num(landed),
                _num(published),
                _num(total),
                (error or "")[:60],
            )
        )
    widths = [max(len(str(row[i])) for row in table) for i in range(len(HEADERS))]
    lines = ["  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)) for row in table]
    return "\n".join(line.rstrip() for line in lines)


def _age(now: datetime, then: datetime | None) -> str:
    if then is None:
        return "never"
    seconds = int((now - then).total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit} ago"
    return f"{seconds}s ago"


def _num(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"
