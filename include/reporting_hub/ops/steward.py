"""Steward decisions on a quarantined batch: release it under a waiver, or reject it.

Release publishes the batch's open quarantined rows exactly once: a blocked batch goes
through the normal publish (raw, history, tombstones, watermark) under a `waived`
verdict; the held-back rows of a batch whose clean rows already published are merged
into raw on their own. Reject closes the rows without publishing. Each decision, its
ops.steward_actions row and the acknowledgement of the batch's alerts are one
transaction, serialised with publishing by the stream's lock.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass

import psycopg
from psycopg import Connection, sql

from reporting_hub.catalog import Catalog, Stream, load_catalog
from reporting_hub.load.landing import discard_batch
from reporting_hub.load.publish import merge_batch, publish_batch
from reporting_hub.ops.alerts import acknowledge
from reporting_hub.quality.quarantine import check_counts, count_rows, store_counts, table
from reporting_hub.quality.record import record_verdict
from reporting_hub.quality.report import stream_of_batch
from reporting_hub.quality.results import batch_entry
from reporting_hub.quality.schema import EXPECTATION as SCHEMA_EXPECTATION
from reporting_hub.quality.schema import table_columns
from reporting_hub.quality.unexpected import landing
from reporting_hub.quality.verdict import GateResult


class StewardError(RuntimeError):
    """The decision cannot be taken; the message says why and what to do instead."""


@dataclass(frozen=True)
class Decision:
    action_id: int
    action: str
    stream: str
    batch_id: str
    rows: int
    actor: str
    reason: str


def default_actor() -> str:
    """Who decides when --by is not given: $USER, else the OS login."""
    return os.environ.get("USER") or getpass.getuser()


def release(
    warehouse_url: str, batch_id: str, reason: str, actor: str, catalog: Catalog | None = None
) -> Decision:
    """Publish the batch's open quarantined rows under a recorded waiver, once."""
    with psycopg.connect(warehouse_url) as conn, conn.transaction():
        stream, status = _locked_batch(conn, batch_id, reason, catalog)
        _refuse_unpublishable(conn, stream, batch_id, status)
        rows = _back_to_landing(conn, stream, batch_id)
        _waive(conn, stream, batch_id, actor, reason)
        if status == "failed":  # blocked whole: now published as the batch it was
            conn.execute(
                "update ops.sync_runs set status = 'landed', error = null where batch_id = %s",
                (batch_id,),
            )
            store_counts(conn, stream, batch_id)
            publish_batch(conn, stream, batch_id)
        else:  # its clean rows are published already: add the held-back ones
            _publish_held_back(conn, stream, batch_id)
        return _decide(conn, "release", stream, batch_id, rows, actor, reason)


def reject(
    warehouse_url: str, batch_id: str, reason: str, actor: str, catalog: Catalog | None = None
) -> Decision:
    """Close the batch's open quarantined rows without publishing them."""
    with psycopg.connect(warehouse_url) as conn, conn.transaction():
        stream, _ = _locked_batch(conn, batch_id, reason, catalog)
        rows = conn.execute(
            sql.SQL(
                "update {} set _status = 'rejected', _resolved_at = now() "
                "where _batch_id = %s and _status = 'open'"
            ).format(table(stream)),
            (batch_id,),
        ).rowcount
        return _decide(conn, "reject", stream, batch_id, rows, actor, reason)


def _locked_batch(
    conn: Connection, batch_id: str, reason: str, catalog: Catalog | None
) -> tuple[Stream, str]:
    """The batch's stream and run status, under the stream's lock, if it has open rows."""
    if not reason.strip():
        raise StewardError("a decision needs a reason (--reason)")
    try:
        stream = stream_of_batch(conn, catalog or load_catalog(), batch_id)
    except LookupError as exc:
        raise StewardError(str(exc)) from None
    conn.execute("select pg_advisory_xact_lock(hashtext(%s))", (stream.id,))
    status = conn.execute(
        "select status from ops.sync_runs where batch_id = %s", (batch_id,)
    ).fetchone()[0]
    if count_rows(conn, stream, batch_id, "open") == 0:
        raise StewardError(
            f"batch {batch_id} has no open quarantined rows: it was released or rejected "
            "already, or never quarantined (see `hub quarantine show`)"
        )
    if status not in ("failed", "published"):
        raise StewardError(f"batch {batch_id} is {status!r}: let its run finish first")
    return stream, status


def _refuse_unpublishable(conn: Connection, stream: Stream, batch_id: str, status: str) -> None:
    """Some rows can never be published, and an old batch must not overwrite a newer one."""
    keys = sql.SQL(", ").join(map(sql.Identifier, stream.primary_key))
    any_null = sql.SQL(" or ").join(
        sql.SQL("{} is null").format(sql.Identifier(k)) for k in stream.primary_key
    )
    match = sql.SQL(" and ").join(
        sql.SQL("r.{0} = q.{0}").format(sql.Identifier(k)) for k in stream.primary_key
    )
    drifted, null_keys, duplicated, newer = conn.execute(
        sql.SQL(
            "with q as (select * from {q} where _batch_id = %(b)s and _status = 'open') "
            "select (select count(*) from q where _reasons @> %(drift)s::jsonb), "
            "(select count(*) from q where {any_null}), "
            "(select count(*) from (select 1 from q group by {keys} having count(*) > 1) d), "
            "(select count(*) from q join {raw} r on {match} "
            "where r._extracted_at > q._extracted_at)"
        ).format(
            q=table(stream),
            any_null=any_null,
            keys=keys,
            raw=sql.Identifier("raw", stream.table),
            match=match,
        ),
        {"b": batch_id, "drift": f'[{{"expectation": "{SCHEMA_EXPECTATION}"}}]'},
    ).fetchone()
    problems = [
        f"its columns drifted from the declaration ({drifted} rows)" if drifted else "",
        f"{null_keys} rows have a null key" if null_keys else "",
        f"{duplicated} keys occur more than once" if duplicated else "",
        f"{newer} rows have a newer version published since" if newer else "",
        _superseded(conn, stream, batch_id) if status == "failed" else "",
    ]
    problems = [p for p in problems if p]
    if problems:
        raise StewardError(
            f"batch {batch_id} cannot be released: {'; '.join(problems)}. "
            "Reject it, fix the cause, and let the next sync bring the rows"
        )


def _superseded(conn: Connection, stream: Stream, batch_id: str) -> str:
    """A blocked batch publishes whole (watermark, tombstones): only if nothing newer did."""
    newer = conn.execute(
        "select batch_id from ops.sync_runs where stream = %s and kind = 'sync' "
        "and status = 'published' and run_id > (select run_id from ops.sync_runs "
        "where batch_id = %s) order by run_id desc limit 1",
        (stream.id, batch_id),
    ).fetchone()
    return f"batch {newer[0]} of the stream was published after it" if newer else ""


def _back_to_landing(conn: Connection, stream: Stream, batch_id: str) -> int:
    """Mark the open rows released and put them back in landing, typed as landing is."""
    columns = table_columns(conn, "landing", stream.table)
    names = sql.SQL(", ").join(map(sql.Identifier, [*columns, "_batch_id", "_extracted_at"]))
    typed = sql.SQL(", ").join(
        [
            *(sql.SQL("{}::{}").format(sql.Identifier(c), sql.SQL(t)) for c, t in columns.items()),
            sql.SQL("_batch_id, _extracted_at"),
        ]
    )
    return conn.execute(
        sql.SQL(
            "with released as (update {q} set _status = 'released', _resolved_at = now() "
            "where _batch_id = %s and _status = 'open' returning *) "
            "insert into {l} ({names}) select {typed} from released"
        ).format(q=table(stream), l=landing(stream), names=names, typed=typed),
        (batch_id,),
    ).rowcount


def _publish_held_back(conn: Connection, stream: Stream, batch_id: str) -> None:
    merged = merge_batch(conn, stream, batch_id)
    discard_batch(conn, stream, batch_id)
    store_counts(conn, stream, batch_id)
    (published,) = conn.execute(
        "update ops.sync_runs set rows_published = rows_published + %s where batch_id = %s "
        "returning rows_published",
        (merged, batch_id),
    ).fetchone()
    check_counts(conn, batch_id, published)


def _waive(conn: Connection, stream: Stream, batch_id: str, actor: str, reason: str) -> None:
    """The waiver is a verdict too: publish reads it, the audit trail shows who and why."""
    entry = batch_entry("steward_waiver", True, {"actor": actor, "reason": reason})
    verdict = GateResult(True, stream.id, batch_id, "steward_waiver", 1, 0, [], [entry])
    record_verdict(conn, verdict, "waived")


def _decide(
    conn: Connection, action: str, stream: Stream, batch_id: str, rows: int, actor: str, reason: str
) -> Decision:
    (action_id,) = conn.execute(
        "insert into ops.steward_actions (action, stream, batch_id, rows, actor, reason) "
        "values (%s, %s, %s, %s, %s, %s) returning action_id",
        (action, stream.id, batch_id, rows, actor, reason),
    ).fetchone()
    acknowledge(conn, actor, batch_id=batch_id)
    return Decision(action_id, action, stream.id, batch_id, rows, actor, reason)
