"""Shared fixtures: a throwaway warehouse database per test module, a demo Odoo per session."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.isolation import isolate

from reporting_hub.settings import REPO_ROOT, OdooSettings, Settings
from reporting_hub.warehouse.locate import drop_database, ensure_database, server_url, with_database

SCRATCH = isolate()


@pytest.fixture(scope="session")
def pg_server() -> str:
    """Admin URL of the test server: WAREHOUSE_URL's server if set, else the located one."""
    configured = os.environ.get("WAREHOUSE_URL")
    return with_database(configured, "postgres") if configured else server_url(REPO_ROOT / ".hub")


def _database_factory(pg_server: str) -> Iterator:
    """Factory for fresh databases `hub_test_<random>`, all dropped when it is closed."""
    created: list[str] = []

    def make() -> str:
        name = f"hub_test_{uuid.uuid4().hex[:12]}"
        ensure_database(pg_server, name)
        created.append(name)
        return with_database(pg_server, name)

    yield make
    for name in created:
        drop_database(pg_server, name)


@pytest.fixture
def make_warehouse(pg_server: str) -> Iterator:
    """Fresh databases for one test."""
    yield from _database_factory(pg_server)


@pytest.fixture(scope="module")
def make_module_warehouse(pg_server: str) -> Iterator:
    """Fresh databases shared by the tests of one module (built once, read many times)."""
    yield from _database_factory(pg_server)


@pytest.fixture
def warehouse_url(make_warehouse) -> str:
    return make_warehouse()


@pytest.fixture(scope="session")
def demo_odoo(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """A tiny demo Odoo on a free port, shared by the session (it is read-only for tests)."""
    from demo_world.server import start_server

    handle = start_server(tmp_path_factory.mktemp("demo-world"), seed=7301, scale="tiny", port=0)
    yield handle
    handle.stop()


@pytest.fixture
def settings(warehouse_url: str, demo_odoo, tmp_path: Path) -> Settings:
    odoo = OdooSettings(
        url=demo_odoo.url, db="demo", user="admin", password="admin", api_key=demo_odoo.api_key
    )
    return Settings(warehouse_url=warehouse_url, odoo=odoo, home=tmp_path / "hub")
