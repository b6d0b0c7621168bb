"""A tiny demo world whose store also holds the non-Odoo systems' tables, served on free ports."""

from __future__ import annotations

from pathlib import Path

from demo_world.generate import ensure_world
from demo_world.server import DemoWorld, start_server

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
