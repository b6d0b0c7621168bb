"""Every non-Odoo stream against the demo world: a first load row for row, then only the delta.

GIVEN the tiny demo world's shop, carrier feed, 3PL inbox and bank export, WHEN the hub
syncs them, THEN raw holds exactly what the systems hold; WHEN the systems change,
THEN the next sync moves the change (and the shop's look-back overlap), nothing more.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from decimal import Decimal

from support.connectors import CATALOG, SYSTEMS, csv_rows, fetch

from demo_world.store import Store
from reporting_hub import cli, pipeline

UTC_TEXT = "to_char({} at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS')"
ISO_Z = "to_char({} at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"


def money(value) -> Decimal:
    return Decimal(f"{float(value):.2f}")


def shop_truth(world) -> list[tuple]:
    store = Store(world.store_path)
    lines = {
        r["shop_order_id"]: r["n"]
        for r in store.query("select shop_order_id, count(*) n from shop_order_lines group by 1")
    }
    rows = store.query("select shop_order_id, updated_at, total_price from shop_orders")
    return sorted(
        (
            r["shop_order_id"],
            r["updated_at"],
            money(r["total_price"]),
            lines.get(r["shop_order_id"], 0),
        )
        for r in rows
    )


def shop_raw(url) -> list[tuple]:
    return fetch(
        url,
        f"select source_identifier, {UTC_TEXT.format('updated_at')}, total_price, "
        "jsonb_array_length(line_items) from raw.shop__orders order by 1",
    )


def carrier_truth(world) -> list[tuple]:
    rows = Store(world.store_path).query(
        "select event_id, status_code, occurred_at from carrier_events order by event_id"
    )
    return [(r["event_id"], r["status_code"], r["occurred_at"]) for r in rows]


def carrier_raw(url) -> list[tuple]:
    return fetch(
        url,
        f"select event_id, status_code, {UTC_TEXT.format('occurred_at')} "
        "from raw.carrier__events order by event_id",
    )


def bank_truth(world) -> list[tuple]:
    rows = Store(world.store_path).query(
        "select bank_line_ref, booking_date, amount from bank_lines order by bank_line_ref"
    )
    return [(r["bank_line_ref"], r["booking_date"][:10], money(r["amount"])) for r in rows]


def bank_raw(url) -> list[tuple]:
    return fetch(
        url,
        "select bank_line_ref, booking_date::text, amount from raw.bank__statement_lines "
        "order by 1",
    )


def stock_truth(world) -> list[tuple]:
    rows = csv_rows(world.wms_inbox, "stock_*.csv")
    return sorted(
        (r["snapshot_at"], r["item_code"], r["location_code"], Decimal(r["qty_on_hand"]))
        for r in rows
    )


def stock_raw(url) -> list[tuple]:
    return fetch(
        url,
        f"select {ISO_Z.format('snapshot_at')}, item_code, location_code, qty_on_hand "
        "from raw.wms__stock_snapshots order by 1, 2, 3",
    )


def assert_raw_equals_the_systems(world, url) -> None:
    assert shop_raw(url) == shop_truth(world)
    assert carrier_raw(url) == carrier_truth(world)
    assert bank_raw(url) == bank_truth(world)
    assert stock_raw(url) == stock_truth(world)
    confirmations = Store(world.store_path).query(
        "select confirmation_id, quantity from wms_confirmations order by confirmation_id"
    )
    assert fetch(
        url, "select confirmation_id, quantity from raw.wms__confirmations order by 1"
    ) == [(r["confirmation_id"], Decimal(str(r["quantity"]))) for r in confirmations]
    items = Store(world.store_path).query("select wms_sku, sku from wms_sku_aliases order by 1")
    assert fetch(url, "select item_code, client_sku from raw.wms__items order by 1") == [
        (r["wms_sku"], r["sku"]) for r in items
    ]


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
    (world.wms_inbox / "stock_2026040100.csv").write_text(
        "snapshot_at,warehouse_code,item_code,location_code,qty_on_hand,qty_allocated\n"
        "2026-04-01T00:00:00Z,3PL,FLX-00004,B-05-05,400,2\n"
        "2026-04-01T00:00:00Z,3PL,FLX-00005,B-06-06,290,0\n"
    )
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
