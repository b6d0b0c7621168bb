"""Generation: deterministic per seed, reused when current, internally consistent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from demo_world import generate, scenarios
from demo_world.models import load_registry
from demo_world.orm import Database
from demo_world.store import Store


def dump(path: Path) -> dict[str, list[dict]]:
    store = Store(path)
    try:
        tables = {
            m.table: store.query(f'SELECT * FROM "{m.table}" ORDER BY id') for m in load_registry()
        }
        for table in ("shop_orders", "wms_confirmations", "bank_lines", "carrier_events"):
            tables[table] = store.query(f"SELECT * FROM {table} ORDER BY 1")
        return tables
    finally:
        store.close()


def test_same_seed_same_world_other_seed_other_world(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.sqlite", tmp_path / "b.sqlite", tmp_path / "c.sqlite"
    generate.generate(a, 7301, "tiny")
    generate.generate(b, 7301, "tiny")
    generate.generate(c, 7302, "tiny")
    assert dump(a) == dump(b)
    assert scenarios.manifest(a) == scenarios.manifest(b)
    assert dump(a)["product_product"] != dump(c)["product_product"]
    assert dump(a)["stock_quant"] != dump(c)["stock_quant"]
    assert scenarios.manifest(a)["cases"] != scenarios.manifest(c)["cases"]


@pytest.mark.parametrize("rates", [None, {"stuck_order": 0.05, "bank_receipt_unmatched": 0.1}])
def test_manifest_counts_match_the_rates(tmp_path: Path, rates: dict | None) -> None:
    path = generate.ensure_world(tmp_path, 7301, "tiny", rates=rates)
    manifest = scenarios.manifest(path)
    assert set(manifest) >= {"seed", "scale", "as_of", "cases"}
    assert manifest["as_of"] == "2026-03-31T23:59:59Z"
    counts: dict[str, int] = {}
    for case in manifest["cases"]:
        counts[case["type"]] = counts.get(case["type"], 0) + 1
        assert case["cause"] in {
            "in_flight",
            "missing_event",
            "master_data",
            "duplicate",
            "manual_outside_flow",
        }
        assert set(case) == {"case_id", "type", "cause", "keys", "detail"}
    for kind, population in manifest["populations"].items():
        if kind == "in_flight":
            continue
        expected = scenarios.case_count(manifest["rates"][kind], population)
        assert counts.get(kind, 0) == expected, kind
        assert expected >= 1
    assert {c["cause"] for c in manifest["in_flight"]} <= {"in_flight"}


def test_write_manifest(tmp_path: Path) -> None:
    path = generate.ensure_world(tmp_path, 7301, "tiny")
    out = scenarios.write_manifest(path, tmp_path / "m.json")
    assert json.loads(out.read_text()) == scenarios.manifest(path)


def test_store_is_reused_until_the_version_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = generate.ensure_world(tmp_path, 7301, "tiny")
    assert path.name == "7301-tiny.sqlite"
    stamp = path.stat().st_mtime_ns
    assert generate.ensure_world(tmp_path, 7301, "tiny").stat().st_mtime_ns == stamp
    monkeypatch.setattr(generate, "GENERATION_VERSION", generate.GENERATION_VERSION + 1)
    generate.ensure_world(tmp_path, 7301, "tiny")
    assert Store(path).meta()["version"] == generate.GENERATION_VERSION


def test_scales_differ(db: Database) -> None:
    assert len(db.store.query("SELECT id FROM product_product")) == generate.SCALES["tiny"].products


def test_world_is_consistent(db: Database) -> None:
    q = db.store.query
    assert {r["code"] for r in q("SELECT code FROM stock_warehouse")} == {"WH1", "WH2", "3PL"}
    assert (
        q(
            "SELECT id FROM stock_warehouse w WHERE (SELECT location_id FROM stock_location "
            "WHERE id = w.lot_stock_id) != w.view_location_id"
        )
        == []
    )
    assert (
        q(
            "SELECT id FROM stock_quant WHERE reserved_quantity > quantity "
            "OR abs(available_quantity - (quantity - reserved_quantity)) > 1e-9"
        )
        == []
    )
    assert (
        q(
            "SELECT id FROM product_product "
            "WHERE default_code NOT GLOB 'SKU-[0-9][0-9][0-9][0-9][0-9]' "
            "AND default_code NOT GLOB 'SKU-[0-9][0-9][0-9][0-9][0-9]-B'"  # sku_mismatch cases
        )
        == []
    )
    assert (
        q(
            "SELECT c.id FROM stock_location c JOIN stock_location p ON p.id = c.location_id "
            "WHERE c.parent_path != p.parent_path || c.id || '/' "
            "OR c.complete_name != p.complete_name || '/' || c.name"
        )
        == []
    )
    assert q("SELECT id FROM stock_quant WHERE write_date < create_date") == []
    usages = {
        r["usage"]
        for r in q(
            "SELECT DISTINCT l.usage FROM stock_quant s "
            "JOIN stock_location l ON l.id = s.location_id"
        )
    }
    assert "internal" in usages
    assert q("SELECT count(*) n FROM product_product WHERE active = 0")[0]["n"] >= 0
