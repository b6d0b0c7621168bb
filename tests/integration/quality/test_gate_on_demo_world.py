"""A bad record injected in the demo Odoo, end to end: synced, held back, then released.

GIVEN the demo Odoo with a quant of a product that does not exist, WHEN the inventory
streams sync with the quant stream on the quarantine policy, THEN every other quant is
published, that one waits in quarantine with its reason, and a steward's release
publishes it once.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace

import psycopg
import pytest

from reporting_hub import pipeline
from reporting_hub.catalog import load_catalog
from reporting_hub.ops import steward
from reporting_hub.settings import OdooSettings, Settings

STREAMS = [
    "odoo.product_template",
    "odoo.product_product",
    "odoo.stock_location",
    "odoo.stock_quant",
]
BAD_QUANT = 999_001


@pytest.fixture
def bad_odoo(tmp_path):
    """A private tiny demo Odoo holding one quant of an unknown product."""
    from demo_world.server import start_server

    handle = start_server(tmp_path / "demo-world", seed=7301, scale="tiny", port=0)
    with closing(sqlite3.connect(handle.store_path)) as conn, conn:
        conn.execute(
            "insert into stock_quant (id, product_id, company_id, location_id, quantity, "
            "reserved_quantity, on_hand, inventory_quantity_set, create_date, write_date) "
            "select ?, 987654, company_id, location_id, 3, 0, 1, 0, create_date, write_date "
            "from stock_quant limit 1",
            (BAD_QUANT,),
        )
    yield handle
    handle.stop()


def test_injected_bad_quant_is_quarantined_then_released(bad_odoo, warehouse_url, tmp_path):
    settings = Settings(
        warehouse_url,
        OdooSettings(url=bad_odoo.url, db="demo", user="admin", password="admin"),
        tmp_path / "hub",
    )
    catalog = load_catalog()
    quant = catalog.get("odoo.stock_quant")
    catalog.streams[quant.id] = replace(quant, row_failure_policy="quarantine")

    outcome = pipeline.sync_many(STREAMS, settings, catalog)[-1]

    assert outcome["rows_landed"] == outcome["rows_published"] + 1
    with psycopg.connect(warehouse_url) as conn:
        held = conn.execute(
            "select id, _reasons->0->>'column', _status from quarantine.odoo__stock_quant"
        ).fetchall()
        in_raw = conn.execute(
            "select count(*) from raw.odoo__stock_quant where id = %s", (BAD_QUANT,)
        ).fetchone()
    assert held == [(BAD_QUANT, "product_id", "open")]
    assert in_raw == (0,)

    steward.release(warehouse_url, outcome["batch_id"], "product arrives with the next sync", "ann")
    with psycopg.connect(warehouse_url) as conn:
        run = conn.execute(
            "select rows_read, rows_published, rows_quarantined from ops.sync_runs "
            "where batch_id = %s",
            (outcome["batch_id"],),
        ).fetchone()
        in_raw = conn.execute(
            "select count(*) from raw.odoo__stock_quant where id = %s", (BAD_QUANT,)
        ).fetchone()
    assert run == (outcome["rows_landed"], outcome["rows_landed"], 0)
    assert in_raw == (1,)
