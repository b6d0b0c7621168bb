"""The demo Odoo on a free port (tiny scale), and the reference recordings it is held to."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
REFERENCE = REPO_ROOT.parent / "shared" / "odoo-reference"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    from demo_world.server import start_server

    handle = start_server(tmp_path_factory.mktemp("demo-world"), seed=7301, scale="tiny", port=0)
    yield handle
    handle.stop()


@pytest.fixture(scope="session")
def reference() -> Path:
    if not (REFERENCE / "INDEX.txt").exists():
        pytest.skip(f"the Odoo reference recordings are not at {REFERENCE}")
    return REFERENCE
