"""quarantine.<table>: rows held back from publication, each with the reasons it was held.

Rows move from landing to quarantine in one DELETE … RETURNING statement, with their
reasons computed by the row checks' predicates in the same pass, so a row is always in
exactly one place. The counts identity (rows read = published + quarantined + dead
lettered) is checked wherever rows change hands.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from psycopg import Connection, sql
from psycopg.types.json import Jsonb

from reporting_hub.catalog import Stream
from reporting_hub.quality.schema import table_columns
from reporting_hub.quality.unexpected import BATCH_PARAM, RowCheck, landing

STATUSES = ("open", "released", "rejected")


class CountsMismatch(RuntimeError):
    """Rows read != rows published + quarantined + dead lettered: something lost or doubled rows."""


@dataclass(frozen=True)
class BadRows:
    """How many rows of a batch each failed check rejects (in check order), and in all."""

    total_rows: int
    bad_rows: int
    per_check: list[int]


def table(stream: Stream) -> sql.Identifier:
    return sql.Identifier("quarantine", stream.table)


def ensure_quarantine_table(conn: Connection, stream: Stream) -> None:
    """Landing's columns plus `_reasons`, `_quarantined_at`, `_status`, kept in step with landing.

    A drifted batch may bring columns the table lacks (added) or with another type
    (widened to text): quarantine must be able to hold any batch that landed.
    """
    conn.execute(
        sql.SQL(
            "create table if not exists {q} (like {l}, "
            "_reasons jsonb not null default '[]', "
            "_quarantined_at timestamptz not null default now(), "
            "_status text not null default 'open' check (_status in ('open', 'released', "
            "'rejected')), _resolved_at timestamptz)"
        ).format(q=table(stream), l=landing(stream))
    )
    conn.execute(
        sql.SQL("create index if not exists {} on {} (_batch_id, _status)").format(
            sql.Identifier(f"{stream.table}__batch_status"), table(stream)
        )
    )
    held = table_columns(conn, "quarantine", stream.table)
    for column, kind in table_columns(conn, "landing", stream.table).items():
        if column not in held:
            conn.execute(
                sql.SQL("alter table {} add column {} {}").format(
                    table(stream), sql.Identifier(column), sql.SQL(kind)
                )
            )
        elif held[column] != kind:
            conn.execute(
                sql.SQL("alter table {t} alter column {c} type text using {c}::text").format(
                    t=table(stream), c=sql.Identifier(column)
                )
            )


def count_bad_rows(
    conn: Connection, stream: Stream, batch_id: str, checks: list[RowCheck]
) -> BadRows:
    """One scan of the batch: rows per failed check and rows failing any of them."""
    per_check = [sql.SQL("count(*) filter (where {})").format(c.predicate) for c in checks]
    anything = _any(checks)
    row = conn.execute(
        sql.SQL(
            "select count(*), count(*) filter (where {any}), {each} from {l} b "
            "where b._batch_id = {p}"
        ).format(
            any=anything,
            each=sql.SQL(", ").join(per_check) if per_check else sql.SQL("0"),
            l=landing(stream),
            p=sql.Placeholder(BATCH_PARAM),
        ),
        {BATCH_PARAM: batch_id},
    ).fetchone()
    total, bad, *counts = row
    return BadRows(total, bad, counts[: len(checks)])


def quarantine_rows(
    conn: Connection,
    stream: Stream,
    batch_id: str,
    checks: list[RowCheck],
    batch_reasons: list[dict[str, Any]] | None = None,
) -> int:
    """Move rows failing any check (every row, when batch_reasons are given) to quarantine.

    Each row's `_reasons` lists the checks it broke, then the batch-level reasons; the
    rows leave landing in the same statement, so publish sees only what is left.
    """
    ensure_quarantine_table(conn, stream)
    columns = list(table_columns(conn, "landing", stream.table))
    names = sql.SQL(", ").join(map(sql.Identifier, [*columns, "_batch_id", "_extracted_at"]))
    whole = bool(batch_reasons)
    # Reasons go as parameters: their sentences may hold '%', which SQL text may not.
    params: dict[str, Any] = {BATCH_PARAM: batch_id}
    per_row = []
    for i, check in enumerate(checks):
        params[f"reason_{i}"] = Jsonb(check.reason)
        per_row.append(
            sql.SQL("case when {} then {} end").format(
                check.predicate, sql.Placeholder(f"reason_{i}")
            )
        )
    constant = []
    for i, reason in enumerate(batch_reasons or []):
        params[f"batch_reason_{i}"] = Jsonb(reason)
        constant.append(sql.Placeholder(f"batch_reason_{i}"))
    reasons = sql.SQL("to_jsonb(array_remove(array[{}]::jsonb[], null))").format(
        sql.SQL(", ").join([*per_row, *constant])
    )
    cur = conn.execute(
        sql.SQL(
            "with moved as (delete from {l} b where b._batch_id = {p} and ({which}) "
            "returning b.*, {reasons} as _reasons) "
            "insert into {q} ({names}, _reasons) select {names}, _reasons from moved"
        ).format(
            l=landing(stream),
            q=table(stream),
            p=sql.Placeholder(BATCH_PARAM),
            which=sql.SQL("true") if whole else _any(checks),
            reasons=reasons if per_row or constant else sql.SQL("'[]'::jsonb"),
            names=names,
        ),
        params,
    )
    return cur.rowcount


def count_rows(conn: Connection, stream: Stream, batch_id: str, *statuses: str) -> int:
    """Rows of the batch in quarantine with one of these statuses (0 if none ever were)."""
    if not table_columns(conn, "quarantine", stream.table):
        return 0
    return conn.execute(
        sql.SQL("select count(*) from {} where _batch_id = %s and _status = any(%s)").format(
            table(stream)
        ),
        (batch_id, list(statuses)),
    ).fetchone()[0]


def unless_held(conn: Connection, stream: Stream, batch_id: str, alias: str) -> sql.Composable:
    """`and not exists (…)`: spares rows of `alias` whose new version the batch holds back.

    A snapshot tombstones what it lacks; a row quarantined from it is not gone at the
    source, so its published version must stay current.
    """
    if not table_columns(conn, "quarantine", stream.table):
        return sql.SQL("")
    key_match = sql.SQL(" and ").join(
        sql.SQL("q.{0} = {1}.{0}").format(sql.Identifier(k), sql.Identifier(alias))
        for k in stream.primary_key
    )
    return sql.SQL(
        "and not exists (select 1 from {q} q where q._batch_id = {b} "
        "and q._status <> 'released' and {match})"
    ).format(q=table(stream), b=sql.Literal(batch_id), match=key_match)


def store_counts(conn: Connection, stream: Stream, batch_id: str) -> int:
    """Write the batch's held-row count to ops.sync_runs; returns it."""
    # Held: open or rejected; released rows were published.
    held = count_rows(conn, stream, batch_id, "open", "rejected")
    conn.execute(
        "update ops.sync_runs set rows_quarantined = %s where batch_id = %s", (held, batch_id)
    )
    return held


def check_counts(conn: Connection, batch_id: str, published: int) -> None:
    """Fail loudly unless rows read = rows published + rows quarantined (+ dead lettered,
    + copies settled at landing: see load/duplicates.py)."""
    read, quarantined, dead, copies = conn.execute(
        "select rows_read, rows_quarantined, rows_dead_lettered, "
        "rows_duplicate + rows_superseded from ops.sync_runs where batch_id = %s",
        (batch_id,),
    ).fetchone()
    if read != published + quarantined + dead + copies:
        raise CountsMismatch(
            f"batch {batch_id}: {read} rows read but {published} published + {quarantined} "
            f"quarantined + {dead} dead lettered + {copies} duplicate copies = "
            f"{published + quarantined + dead + copies}; nothing published"
        )


def _any(checks: list[RowCheck]) -> sql.Composable:
    if not checks:
        return sql.SQL("false")
    return sql.SQL(" or ").join(sql.SQL("({})").format(c.predicate) for c in checks)
