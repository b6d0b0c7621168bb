"""Reconciliation scored against ground truth: every injected case found, nothing else.

GIVEN a tiny demo world (Odoo, shop, WMS files, carrier feed, bank export) generated at a
seed and a set of scenario rates, WHEN every catalog stream is synced through the gate and
the reconciliation marts are built, THEN marts_reconciliation.exceptions matches the world's
manifest exactly: precision and recall both 1.0 (DESIGN.md, "Ground truth and the exceptions
mart"). The second world raises every rate and makes every lagging 3PL shipment of the last
day in flight, so tolerance logic is exercised too.
"""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from support.connectors import settings_for

from reporting_hub import pipeline
from reporting_hub.catalog import load_catalog
from reporting_hub.demo.scoring import report, score
from reporting_hub.transform.dbt import dbt_build
from reporting_hub.warehouse.migrate import migrate

pytestmark = pytest.mark.slow

HIGH_RATES = {
    "inventory_drift": 0.1,
    "order_missing_in_odoo": 0.05,
    "order_status_mismatch": 0.3,
    "stuck_order": 0.03,
    "shipped_not_confirmed": 0.2,
    "delivered_not_invoiced": 0.03,
    "return_without_credit_note": 0.3,
    "credit_note_without_return": 0.05,
    "duplicate_customer": 0.05,
    "sku_mismatch": 0.2,
    "unknown_carrier_status": 0.02,
    "bank_receipt_unmatched": 0.03,
    "payment_without_bank_line": 0.03,
    "in_flight": 1.0,
}
WORLDS = {"default-rates": (7301, None), "high-rates": (4242, HIGH_RATES)}


@pytest.fixture(params=sorted(WORLDS), ids=str)
def world(request, tmp_path: Path):
    """A tiny world served on free ports, with its manifest written beside it."""
    from demo_world.generate import ensure_world
    from demo_world.scenarios import write_manifest
    from demo_world.server import start_server

    seed, rates = WORLDS[request.param]
    store = ensure_world(tmp_path, seed=seed, scale="tiny", rates=rates)
    manifest = write_manifest(store, tmp_path / f"{seed}-tiny.manifest.json")
    handle = start_server(tmp_path, seed=seed, scale="tiny", port=0)  # reuses that store
    yield handle, manifest
    handle.stop()


def test_exceptions_match_the_manifest_exactly(world, warehouse_url, tmp_path):
    handle, manifest = world
    settings = settings_for(handle, warehouse_url, tmp_path / "hub", with_odoo=True)
    migrate(warehouse_url)

    outcomes = pipeline.sync_many(list(load_catalog().streams), settings)
    dbt_build(None, warehouse_url, settings.home)  # the whole project, tests included
    result = score(warehouse_url, manifest)

    assert not [o for o in outcomes if o.get("error")], outcomes
    assert result.matched > 0
    assert (result.precision, result.recall) == (1.0, 1.0), report(result)
    with psycopg.connect(warehouse_url) as conn:
        trust = conn.execute(
            "select trust_level from marts_reconciliation.reporting_trust"
            " where mart_name = 'exceptions'"
        ).fetchone()
    assert trust is not None and trust[0] in ("high", "medium"), trust
