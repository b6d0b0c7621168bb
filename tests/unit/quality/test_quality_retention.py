"""GX's local result store stays bounded, so Data Docs rebuilds stay fast."""

from __future__ import annotations

from pathlib import Path

from reporting_hub.quality.retention import PAGES, RESULTS, prune_results


def store(root: Path, suite: str, run_time: str, batch: str = "b") -> tuple[Path, Path]:
    relative = Path(suite, f"run-{run_time}", run_time, f"{batch}")
    result = (root / RESULTS / relative).with_suffix(".json")
    page = (root / PAGES / relative).with_suffix(".html")
    for path in (result, page):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}")
    return result, page


def test_only_the_newest_results_and_their_pages_are_kept(tmp_path: Path):
    # GIVEN five stored results of one suite and one of another suite
    stored = [
        store(tmp_path, "odoo_stock_quant", f"20260331T1200{i:02d}.000000Z") for i in range(5)
    ]
    other = store(tmp_path, "odoo_stock_location", "20260331T110000.000000Z")
    # WHEN the first suite is pruned to two
    removed = prune_results(tmp_path, "odoo_stock_quant", keep=2)
    # THEN its three oldest results, their pages and their folders are gone; nothing else is
    assert removed == 3
    assert [r.exists() and p.exists() for r, p in stored] == [False, False, False, True, True]
    assert not stored[0][0].parent.parent.exists()
    assert all(p.exists() for p in other)


def test_pruning_an_empty_store_is_a_no_op(tmp_path: Path):
    # GIVEN no results yet WHEN pruning THEN nothing happens
    assert prune_results(tmp_path, "odoo_stock_quant", keep=10) == 0
