"""Schema migrations: numbered SQL files applied once each, in order, recorded in ops."""

from __future__ import annotations

from pathlib import Path

import psycopg

MIGRATIONS = Path(__file__).with_name("migrations")


def migrate(warehouse_url: str) -> list[str]:
    """Apply the migrations not yet applied; return their names. Safe to run concurrently."""
    applied_now = []
    with psycopg.connect(warehouse_url, autocommit=False) as conn:
        # One migrator at a time: a second caller waits, then finds nothing to do.
        conn.execute("select pg_advisory_xact_lock(hashtext('reporting_hub.migrate'))")
        conn.execute("create schema if not exists ops")
        conn.execute(
            "create table if not exists ops.schema_migrations "
            "(name text primary key, applied_at timestamptz not null default now())"
        )
        done = {r[0] for r in conn.execute("select name from ops.schema_migrations")}
        for path in sorted(MIGRATIONS.glob("*.sql")):
            if path.name in done:
                continue
            conn.execute(path.read_text())
            conn.execute("insert into ops.schema_migrations (name) values (%s)", (path.name,))
            applied_now.append(path.name)
        conn.commit()
    return applied_now
