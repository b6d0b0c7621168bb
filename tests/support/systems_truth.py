"""What each non-Odoo system holds (read from the demo world's store) against what raw holds.

The store is the systems' own record, so it is the truth whatever the partners' delivery
habits: encodings, copies, corrections and botched files must all leave raw equal to it.
"""

from __future__ import annotations

from decimal import Decimal

from demo_world.store import Store
from demo_world.systems.reading import store_as_of
from demo_world.systems.wms import SNAPSHOT_DAYS

from .connectors import bank_published, bank_source, fetch

UTC_TEXT = "to_char({} at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS')"


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
        "select event_id, carrier, tracking_number, order_ref, status_code, location, "
        "occurred_at from carrier_events order by event_id"
    )
    return [tuple(r.values()) for r in rows]


def carrier_raw(url) -> list[tuple]:
    return fetch(
        url,
        "select event_id, carrier, tracking_number, shipper_reference, status_code, location, "
        f"{UTC_TEXT.format('occurred_at')} from raw.carrier__events order by event_id",
    )


def bank_truth(world) -> list[tuple]:
    return bank_source(world.store_path)


def bank_raw(url) -> list[tuple]:
    return bank_published(url)


def stock_truth(world) -> list[tuple]:
    """The snapshot hours the 3PL has delivered: the last SNAPSHOT_DAYS days, closed hours."""
    store = Store(world.store_path)
    as_of = store_as_of(store)
    rows = store.query(
        "select snapshot_at, wms_sku, location_code, qty_on_hand from wms_stock_snapshots "
        "where snapshot_at > datetime(?, ?) order by 1, 2, 3",
        [as_of.strftime("%Y-%m-%d %H:%M:%S"), f"-{SNAPSHOT_DAYS} days"],
    )
    return [
        (r["snapshot_at"], r["wms_sku"], r["location_code"], money(r["qty_on_hand"])) for r in rows
    ]


def stock_raw(url) -> list[tuple]:
    return fetch(
        url,
        f"select {UTC_TEXT.format('snapshot_at')}, item_code, location_code, qty_on_hand "
        "from raw.wms__stock_snapshots where _deleted_at is null order by 1, 2, 3",
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
    assert fetch(
        url, "select item_code, client_sku from raw.wms__items where _deleted_at is null order by 1"
    ) == [(r["wms_sku"], r["sku"]) for r in items]
