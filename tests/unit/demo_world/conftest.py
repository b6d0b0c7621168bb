"""A tiny generated world, opened without HTTP: the ORM and the systems are tested directly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support.systems_world import systems_store as systems_store_path

from demo_world.generate import ensure_world
from demo_world.models import load_registry
from demo_world.orm import Database
from demo_world.store import Store


@pytest.fixture(scope="session")
def world_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ensure_world(tmp_path_factory.mktemp("demo-world"), seed=7301, scale="tiny")


@pytest.fixture(scope="module")
def db(world_path: Path) -> Iterator[Database]:
    store = Store(world_path)
    yield Database(store, load_registry())
    store.close()


@pytest.fixture(scope="module")
def systems_tables(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A tiny store with the non-Odoo systems' tables, of the module's own."""
    handle = Store(systems_store_path(tmp_path_factory.mktemp("systems")))
    yield handle
    handle.close()
