"""Fixtures for pipeline tests: a demo Odoo a test may change, as Odoo users would."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from reporting_hub.settings import OdooSettings, Settings


class SourceEditor:
    """Writes to the demo Odoo's store the way Odoo's own transactions (or raw SQL) would."""

    def __init__(self, store_path: Path):
        self.store_path = store_path

    def execute(self, sql: str, params: tuple = ()) -> None:
        with closing(sqlite3.connect(self.store_path)) as conn, conn:
            conn.execute(sql, params)

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        with closing(sqlite3.connect(self.store_path)) as conn:
            return conn.execute(sql, params).fetchall()


@pytest.fixture
def own_odoo(tmp_path: Path) -> Iterator:
    """A private tiny demo Odoo, so a test can change its data without touching others."""
    from demo_world.server import start_server

    handle = start_server(tmp_path / "demo-world", seed=7301, scale="tiny", port=0)
    yield handle
    handle.stop()


@pytest.fixture
def source(own_odoo) -> SourceEditor:
    return SourceEditor(own_odoo.store_path)


@pytest.fixture
def own_settings(warehouse_url: str, own_odoo, tmp_path: Path) -> Settings:
    odoo = OdooSettings(url=own_odoo.url, db="demo", user="admin", password="admin")
    return Settings(warehouse_url=warehouse_url, odoo=odoo, home=tmp_path / "hub")
