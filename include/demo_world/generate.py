"""Generates a demo world into a fresh SQLite store, in bulk.

Deterministic per (seed, scale, rates): see `demo_world.simulation`. A store is reused when its
file already holds the same seed, scale, rates and GENERATION_VERSION; bump the version whenever
the generated content changes. Rows are loaded with executemany into index-free tables, the
indexes are built afterwards, and the file is switched to WAL so live writes and reads coexist.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path

from .models import Registry, load_registry
from .scenarios import store_cases
from .simulation import AS_OF, SCALES, build
from .simulation.world import ADMIN, DEMO, ODOOBOT, PORTAL
from .store import (
    AUTH_TABLE,
    META_TABLE,
    Store,
    create_indexes,
    create_schema,
    insert_rows,
    insert_table,
)

__all__ = ["AS_OF", "DEFAULT_SEED", "SCALES", "api_key_for", "ensure_world", "generate"]

GENERATION_VERSION = 3
DEFAULT_SEED = 7301


def store_path(state_dir: Path, seed: int, scale: str) -> Path:
    return Path(state_dir) / f"{seed}-{scale}.sqlite"


def api_key_for(seed: int) -> str:
    """The admin's API key: stable per seed, so a reused store keeps working credentials."""
    return hashlib.sha256(f"odoo-reporting-hub demo world {seed}".encode()).hexdigest()[:40]


def ensure_world(
    state_dir: Path, seed: int = DEFAULT_SEED, scale: str = "demo", rates: dict | None = None
) -> Path:
    """Path of the store for (seed, scale), generating it unless a current one exists."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r} (known: {', '.join(SCALES)})")
    path = store_path(state_dir, seed, scale)
    if path.exists() and _is_current(path, seed, scale, rates):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    generate(tmp, seed, scale, rates=rates)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(tmp, path)  # readers never see a half-written store
    return path


def _is_current(path: Path, seed: int, scale: str, rates: dict | None) -> bool:
    store = Store(path)
    try:
        meta = store.meta()
    except sqlite3.DatabaseError:
        return False
    finally:
        store.close()
    want = {"version": GENERATION_VERSION, "seed": seed, "scale": scale}
    if rates is not None:
        want["requested_rates"] = rates
    return all(meta.get(k) == v for k, v in want.items())


def generate(
    path: Path, seed: int, scale: str, registry: Registry | None = None, rates: dict | None = None
) -> None:
    """Write a complete world into a new SQLite file at `path`."""
    registry = registry or load_registry()
    world = build(seed, scale, rates)
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        with conn:
            create_schema(conn, registry, indexes=False)
            for model, rows in world.rows.items():
                insert_rows(conn, registry[model], rows)
            for table, rows in world.tables.items():
                insert_table(conn, table, rows)
            meta = {
                "version": GENERATION_VERSION,
                "seed": seed,
                "scale": scale,
                "as_of": world.as_of.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "rates": world.rates,
                "requested_rates": rates,
                "populations": world.populations,
            }
            conn.executemany(
                f"INSERT INTO {META_TABLE} VALUES (?, ?)",
                [(k, json.dumps(v)) for k, v in meta.items()],
            )
            conn.executemany(f"INSERT INTO {AUTH_TABLE} VALUES (?, ?, ?, ?)", _auth(seed))
            store_cases(conn, world.cases, world.in_flight)
            create_indexes(conn, registry)
        conn.execute("ANALYZE")
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()


def _auth(seed: int) -> list[tuple[int, str, str | None, str]]:
    disabled = "!disabled"  # inactive users: login fails whatever the password
    demo_groups = ["internal", "Inventory/User", "Role / User", "Sales/User: Own Documents Only"]
    return [
        (ODOOBOT, disabled, None, json.dumps([])),
        (ADMIN, "admin", api_key_for(seed), json.dumps(["admin"])),
        (3, disabled, None, json.dumps([])),
        (4, disabled, None, json.dumps(["portal"])),
        (DEMO, "demo", None, json.dumps(demo_groups)),
        (PORTAL, "portal", None, json.dumps(["portal"])),
    ]
