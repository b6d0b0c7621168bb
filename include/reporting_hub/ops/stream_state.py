"""What ops.stream_state says about a stream's publishing, for the steps that depend on it.

A stream's gate checks its ids against the raw tables of the streams it references. When
such a target has never published (synced by another DAG, or not yet on a fresh
warehouse, where extraction may already have created its empty raw table), every
reference would fail and the batch would be blocked for a reason that is not in the
data. `require_published` turns that into a retryable error instead.
"""

from __future__ import annotations

import psycopg

from reporting_hub.catalog import Catalog, load_catalog
from reporting_hub.warehouse.introspect import table_exists


class TargetsNotPublished(RuntimeError):
    """A referenced stream has never published: retry later rather than gate now."""


def require_published(warehouse_url: str, stream_id: str, catalog: Catalog | None = None) -> None:
    """Raise TargetsNotPublished unless every stream `stream_id` references has published."""
    stream = (catalog or load_catalog()).get(stream_id)
    targets = sorted(set(stream.checks.references.values()) - {stream.id})
    if not targets:
        return
    with psycopg.connect(warehouse_url) as conn:
        if not table_exists(conn, "ops.stream_state"):
            missing = targets
        else:
            published = {
                r[0]
                for r in conn.execute(
                    "select stream from ops.stream_state "
                    "where stream = any(%s) and last_published_at is not null",
                    (targets,),
                )
            }
            missing = [t for t in targets if t not in published]
    if missing:
        raise TargetsNotPublished(
            f"{stream.id} references {', '.join(missing)}, not published yet: retrying later"
        )


def never_published(warehouse_url: str, stream_id: str) -> bool:
    """Whether the stream has no published batch yet (a delete scan then has nothing to do)."""
    with psycopg.connect(warehouse_url) as conn:
        if not table_exists(conn, "ops.stream_state"):
            return True
        row = conn.execute(
            "select last_published_at from ops.stream_state where stream = %s", (stream_id,)
        ).fetchone()
    return row is None or row[0] is None
