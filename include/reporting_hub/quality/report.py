"""What stewards read: the quarantine queue, one batch in detail, and gate pass rates.

Plain queries over quarantine.* and ops.*, returned as rows for the CLI (and later the
dashboard's steward view) to render.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from psycopg import Connection, sql

from reporting_hub.catalog import Catalog, Stream
from reporting_hub.quality.quarantine import table
from reporting_hub.quality.schema import table_columns

# What a reason is about: its column, its catalog rule, or both ("not_in_future on date").
REASON_LABEL = sql.SQL("nullif(concat_ws(' on ', e->>'rule', e->>'column'), '')")
BATCHES_SQL = """
select q._batch_id, %(stream)s as stream, coalesce(r.status, '-') as run_status,
       count(*) filter (where q._status = 'open') as open,
       count(*) filter (where q._status = 'released') as released,
       count(*) filter (where q._status = 'rejected') as rejected,
       min(q._quarantined_at) as quarantined_at,
       (select string_agg(n || ' x' || c, ', ' order by c desc, n) from (
            select coalesce({label}, e->>'expectation') || ': ' ||
                   replace(e->>'expectation', 'expect_column_values_to_', '') as n,
                   count(*) as c
            from {q} q2, jsonb_array_elements(q2._reasons) e
            where q2._batch_id = q._batch_id group by 1) s) as reasons
from {q} q left join ops.sync_runs r on r.batch_id = q._batch_id
group by q._batch_id, r.status
"""
PASS_RATES_SQL = """
select s.stream,
       count(v.*) filter (where v.validated_at > now() - interval '24 hours') as runs_24h,
       count(v.*) filter (where v.validated_at > now() - interval '24 hours'
                          and v.outcome = 'passed') as passed_24h,
       count(v.*) filter (where v.validated_at > now() - interval '7 days') as runs_7d,
       count(v.*) filter (where v.validated_at > now() - interval '7 days'
                          and v.outcome = 'passed') as passed_7d,
       coalesce(sum(v.rows_quarantined) filter (
           where v.validated_at > now() - interval '7 days'), 0) as quarantined_7d,
       (select count(*) from ops.alerts a where a.stream = s.stream and not a.acknowledged)
           as open_alerts
from unnest(%s::text[]) as s(stream)
left join ops.validation_runs v on v.stream = s.stream and v.outcome <> 'waived'
group by s.stream
"""


@dataclass(frozen=True)
class BatchDetail:
    """One quarantined batch: its run, the failed expectations, the rows and the decisions."""

    run: dict[str, Any]
    failed: list[tuple]
    reasons: list[tuple]
    rows: list[tuple]
    key: tuple[str, ...]
    actions: list[tuple] = field(default_factory=list)


def quarantined_batches(conn: Connection, catalog: Catalog, open_only: bool = True) -> list[tuple]:
    """(batch, stream, run status, open, released, rejected, quarantined at, reasons) rows."""
    rows: list[tuple] = []
    for stream in catalog.streams.values():
        if table_columns(conn, "quarantine", stream.table):
            query = sql.SQL(BATCHES_SQL).format(q=table(stream), label=REASON_LABEL)
            rows += conn.execute(query, {"stream": stream.id}).fetchall()
    rows = [r for r in rows if r[3] or not open_only]
    return sorted(rows, key=lambda r: r[6], reverse=True)


def batch_detail(conn: Connection, stream: Stream, batch_id: str, limit: int) -> BatchDetail:
    """Everything a steward needs to decide on one batch."""
    cur = conn.execute(
        "select stream, status, rows_read, rows_landed, rows_published, rows_quarantined, "
        "rows_dead_lettered, error from ops.sync_runs where batch_id = %s",
        (batch_id,),
    )
    names = [c.name for c in cur.description]
    run = dict(zip(names, cur.fetchone() or [None] * len(names), strict=True))
    failed = conn.execute(
        "select expectation, column_name, level, unexpected_count, observed_value, sample_keys "
        "from ops.validation_results where validation_run_id = (select max(validation_run_id) "
        "from ops.validation_runs where batch_id = %s and outcome <> 'waived') "
        "and not success order by validation_result_id",
        (batch_id,),
    ).fetchall()
    keys = sql.SQL(", ").join(map(sql.Identifier, stream.primary_key))
    reasons = conn.execute(
        sql.SQL(
            "select e->>'expectation', {label}, _status, count(*) "
            "from {q}, jsonb_array_elements(_reasons) e where _batch_id = %s "
            "group by 1, 2, 3 order by 4 desc"
        ).format(q=table(stream), label=REASON_LABEL),
        (batch_id,),
    ).fetchall()
    rows = conn.execute(
        sql.SQL(
            "select {keys}, _status, _reasons from {q} where _batch_id = %s "
            "order by {keys} limit %s"
        ).format(keys=keys, q=table(stream)),
        (batch_id, limit),
    ).fetchall()
    actions = conn.execute(
        "select acted_at, action, actor, rows, reason from ops.steward_actions "
        "where batch_id = %s order by action_id",
        (batch_id,),
    ).fetchall()
    return BatchDetail(run, failed, reasons, rows, stream.primary_key, actions)


def pass_rates(conn: Connection, catalog: Catalog) -> list[tuple]:
    """Per stream: gate runs and passes in 24 h and 7 d, rows quarantined, open alerts."""
    return conn.execute(PASS_RATES_SQL, (list(catalog.streams),)).fetchall()


def stream_of_batch(conn: Connection, catalog: Catalog, batch_id: str) -> Stream:
    """The catalog stream a batch belongs to, from its run log row."""
    row = conn.execute("select stream from ops.sync_runs where batch_id = %s", (batch_id,))
    found = row.fetchone()
    if found is None:
        raise LookupError(f"no batch {batch_id!r} in ops.sync_runs")
    return catalog.get(found[0])
