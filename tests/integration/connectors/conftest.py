"""Fixtures for connector tests: a private tiny demo world (faults, delivery habits and
source data of its own optional) and a warehouse."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from support.connectors import settings_for

from reporting_hub.settings import Settings


@pytest.fixture
def make_world(tmp_path: Path) -> Iterator[Callable]:
    """Start a private tiny world (so a test may change its data), with optional faults.

    `habits` (a preset name or JSON, see demo_world.habits) set how partners deliver;
    `prepare(store_path)` changes the generated store before anything is delivered.
    """
    from demo_world.faults import Faults
    from demo_world.generate import ensure_world
    from demo_world.habits import DeliveryHabits
    from demo_world.server import start_server

    worlds = []

    def make(
        faults: str | None = None,
        habits: str | None = None,
        prepare: Callable[[Path], None] | None = None,
        **options: object,
    ):
        state = tmp_path / f"world-{len(worlds)}"
        if prepare is not None:
            prepare(ensure_world(state, seed=7301, scale="tiny"))
        world = start_server(
            state,
            seed=7301,
            scale="tiny",
            port=0,
            faults=Faults.parse(faults),
            habits=DeliveryHabits.parse(habits, seed=7301),
            **options,
        )
        worlds.append(world)
        return world

    yield make
    for world in worlds:
        world.stop()


@pytest.fixture
def world(make_world):
    return make_world()


@pytest.fixture
def hub(world, warehouse_url: str, tmp_path: Path) -> Settings:
    return settings_for(world, warehouse_url, tmp_path / "hub")
