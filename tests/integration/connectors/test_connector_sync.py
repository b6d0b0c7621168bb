"""Every non-Odoo stream against the demo world: a first load row for row, then only the delta.

GIVEN the tiny demo world's shop, carrier feed, 3PL inbox and bank export, WHEN the hub
syncs them, THEN raw holds exactly what the systems hold; WHEN the systems change,
THEN the next sync moves the change (and the shop's look-back overlap), nothing more.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing

from support.connectors import CATALOG, SYSTEMS, fetch
from support.systems_truth import assert_raw_equals_the_systems, bank_raw, bank_truth

from demo_world.store import Store
from reporting_hub import cli, pipeline


def change_the_systems(world) -> dict[str, int]:
    """Business moves on: an order edited and one placed, events, a stock hour, a bank day."""
    with closing(sqlite3.connect(world.store_path)) as conn, conn:
        conn.execute(
            "update shop_orders set total_price = total_price + 1, updated_at = "
            "'2026-04-01 08:00:00' where order_number = (select min(order_number) from shop_orders)"
        )
        conn.execute(
            "insert into shop_orders (shop_order_id, order_number, email, customer_name, currency, "
            "total_price, financial_status, fulfillment_status, cancelled_at, created_at, "
            "updated_at) select 'SHOP-999999', 999999, email, customer_name, currency, 12.5, "
            "'paid', null, null, '2026-04-01 09:00:00', '2026-04-01 09:00:00' from shop_orders "
            "limit 1"
        )
        conn.execute(
            "insert into carrier_events (event_id, carrier, tracking_number, order_ref, "
            "status_code, occurred_at, location) select 'EVT-NEW-' || rowid, carrier, "
            "tracking_number, order_ref, status_code, '2026-04-01 10:00:00', location "
            "from carrier_events where rowid <= 3"
        )
        conn.execute(
            "insert into wms_stock_snapshots select '2026-04-01 00:00:00', warehouse_code, "
            "wms_sku, location_code, qty_on_hand + 7, qty_allocated from wms_stock_snapshots "
            "where snapshot_at = (select max(snapshot_at) from wms_stock_snapshots) limit 2"
        )
    world.wms.drop_until(dt.datetime(2026, 4, 1, 1, 5))  # the 3PL delivers the closed hour
    with closing(sqlite3.connect(world.store_path)) as conn, conn:
        conn.executemany(
            "insert into bank_lines values (?, 'NL91ABNA0417164300', '2026-04-01', ?, ?, 'EUR', "
            "?, ?, 2)",
            [
                ("BNK-NEW-1", "2026-04-01", -1234.5, "Acme", "INV 1"),
                ("BNK-NEW-2", "2026-04-02", 99.99, "Beta", "INV 2"),
            ],
        )
    world.bank.drop_until(dt.datetime(2026, 4, 2))  # the bank exports the closed day
    return {"carrier.events": 3, "wms.stock_snapshots": 2, "bank.statement_lines": 2}


def test_every_stream_loads_row_for_row_then_a_second_run_moves_only_the_delta(world, hub):
    first = {o["stream"]: o for o in pipeline.sync_many(SYSTEMS, hub, CATALOG)}
    assert_raw_equals_the_systems(world, hub.warehouse_url)
    assert all(o["rows_landed"] == o["rows_published"] > 0 for o in first.values())
    mark = fetch(
        hub.warehouse_url,
        "select watermark from ops.stream_state where stream = %s",
        ("shop.orders",),
    )[0][0]

    moved = change_the_systems(world)
    second = {o["stream"]: o for o in pipeline.sync_many(SYSTEMS, hub, CATALOG)}

    assert_raw_equals_the_systems(world, hub.warehouse_url)
    for stream, rows in moved.items():
        assert second[stream]["rows_landed"] == rows, stream
    assert second["wms.confirmations"]["rows_landed"] == second["wms.items"]["rows_landed"] == 0
    # The shop re-reads its look-back window (10 min before the watermark) besides the change.
    overlap = Store(world.store_path).query(
        "select count(*) n from shop_orders where updated_at >= datetime(?, '-10 minutes') "
        "and updated_at < '2026-04-01'",
        [mark[:19].replace("T", " ")],
    )[0]["n"]
    assert second["shop.orders"]["rows_landed"] == 2 + overlap


def test_hub_sync_all_for_one_source_from_the_environment(
    world, warehouse_url, monkeypatch, tmp_path, capsys
):
    monkeypatch.setenv("WAREHOUSE_URL", warehouse_url)
    monkeypatch.setenv("ODOO_URL", "http://127.0.0.1:9")  # configured, never called for the bank
    monkeypatch.setenv("DEMO_WORLD_DIR", str(tmp_path / "no-demo-world"))
    monkeypatch.setenv("BANK_EXPORT_DIR", str(world.bank_dir))

    assert cli.main(["sync", "--all", "--source", "bank"]) == 0

    out = capsys.readouterr().out
    lines = len(bank_truth(world))
    assert f"bank.statement_lines: {lines} landed, {lines} published" in out
    assert bank_raw(warehouse_url) == bank_truth(world)
