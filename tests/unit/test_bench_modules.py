"""Every benchmark still imports against the current package (they run only in `make bench`)."""

import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.mark.parametrize("name", sorted(p.stem for p in BENCH.glob("bench_*.py")))
def test_bench_module_imports_and_has_main(name):
    module = importlib.import_module(f"bench.{name}")
    assert callable(module.main)
