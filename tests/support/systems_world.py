"""A tiny demo world whose store also holds the non-Odoo systems' tables, served on free ports."""

from __future__ import annotations

from pathlib import Path

from demo_world.generate import ensure_world
from demo_world.server import DemoWorld, start_server
from demo_world.store import Store

from .systems_tables import add_system_tables


def systems_store(state_dir: Path) -> Path:
    """Generate (or reuse) the tiny store in `state_dir` and make sure it has the tables."""
    path = ensure_world(state_dir, seed=7301, scale="tiny")
    add_system_tables(path)
    return path


def start_systems_world(state_dir: Path, **options: object) -> DemoWorld:
    """`start_server` on free ports over a store with the systems' tables."""
    systems_store(state_dir)
    return start_server(state_dir, seed=7301, scale="tiny", port=0, **options)


def quants_off_their_moves(store: Store) -> list[dict]:
    """Internal (product, location) pairs whose quant is not the sum of the done moves."""
    return store.query(
        "WITH flows AS (SELECT product_id, location_dest_id loc, quantity q FROM stock_move "
        "WHERE state = 'done' UNION ALL SELECT product_id, location_id, -quantity FROM stock_move "
        "WHERE state = 'done'), net AS (SELECT f.product_id, f.loc, sum(f.q) qty FROM flows f "
        "JOIN stock_location l ON l.id = f.loc AND l.usage = 'internal' GROUP BY 1, 2) "
        "SELECT n.product_id, n.loc, n.qty, q.quantity FROM net n LEFT JOIN stock_quant q "
        "ON q.product_id = n.product_id AND q.location_id = n.loc "
        "WHERE abs(n.qty - coalesce(q.quantity, 0)) > 1e-6"
    )
