"""A steward's choice between conflicting copies of one record: keep one, reject the others.

load/duplicates.py holds every copy of a key whose deliveries differ, each row's reason
naming the copy (`copy`: its `file:line` or feed page and line) and all the copies of the
key; a copy that differs from the published record names that one as `<origin> (published)`.
Keeping a copy rejects the key's other open copies in the batch (or, when the published
record is kept, the held ones), with the steward's reason, so the batch's release
(`ops.steward.release`) then publishes exactly the copy kept.
"""

from __future__ import annotations

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from reporting_hub.catalog import Catalog, load_catalog
from reporting_hub.load.duplicates import EXPECTATION
from reporting_hub.ops.steward import Decision, StewardError
from reporting_hub.quality.quarantine import table
from reporting_hub.quality.report import stream_of_batch

PUBLISHED = " (published)"


def keep_copy(
    warehouse_url: str,
    batch_id: str,
    copy: str,
    reason: str,
    actor: str,
    catalog: Catalog | None = None,
) -> Decision:
    """Keep one copy of a conflicting key (by its origin): reject the key's other copies."""
    if not reason.strip():
        raise StewardError("a decision needs a reason")
    with psycopg.connect(warehouse_url) as conn, conn.transaction():
        try:
            stream = stream_of_batch(conn, catalog or load_catalog(), batch_id)
        except LookupError as exc:
            raise StewardError(str(exc)) from None
        conn.execute("select pg_advisory_xact_lock(hashtext(%s))", (stream.id,))
        held = sql.SQL("_batch_id = %(batch)s and _status = 'open' and _reasons @> %(of)s")
        of = {"expectation": EXPECTATION, "copies": [copy]}
        key = conn.execute(
            sql.SQL("select _reasons -> 0 -> 'key' from {} where {} limit 1").format(
                table(stream), held
            ),
            {"batch": batch_id, "of": Jsonb([of])},
        ).fetchone()
        if key is None:
            raise StewardError(
                f"batch {batch_id} holds no open conflicting copy {copy!r} "
                "(see the `copies` of its rows' reasons in `hub quarantine show`)"
            )
        rejected = conn.execute(
            sql.SQL(
                "update {} set _status = 'rejected', _resolved_at = now() "
                "where {} and _reasons -> 0 -> 'key' = %(key)s "
                "and _reasons -> 0 ->> 'copy' <> %(copy)s"
            ).format(table(stream), held),
            {"batch": batch_id, "of": Jsonb([of]), "key": Jsonb(key[0]), "copy": copy},
        ).rowcount
        why = f"kept {copy.removesuffix(PUBLISHED)} of {key[0]}: {reason}"
        (action_id,) = conn.execute(
            "insert into ops.steward_actions (action, stream, batch_id, rows, actor, reason) "
            "values ('reject', %s, %s, %s, %s, %s) returning action_id",
            (stream.id, batch_id, rejected, actor, why),
        ).fetchone()
    return Decision(action_id, "reject", stream.id, batch_id, rejected, actor, why)
