"""A few rows in the non-Odoo systems' tables, for stores whose simulation does not write them yet.

The tables are the ones agreed with the simulation (shop orders, 3PL snapshots, aliases and
confirmations, carrier events, bank lines). A table the simulation already filled is left as it
is, so tests must read their expectations from the store, never from the constants here.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

DDL = {
    "shop_orders": "shop_order_id TEXT PRIMARY KEY, order_number INTEGER, email TEXT, "
    "customer_name TEXT, currency TEXT, total_price REAL, financial_status TEXT, "
    "fulfillment_status TEXT, cancelled_at TEXT, created_at TEXT, updated_at TEXT, "
    "odoo_order_ref TEXT",
    "shop_order_lines": "shop_order_id TEXT, line_no INTEGER, sku TEXT, quantity REAL, price REAL",
    "wms_stock_snapshots": "snapshot_at TEXT, warehouse_code TEXT, wms_sku TEXT, "
    "location_code TEXT, qty_on_hand REAL, qty_allocated REAL",
    "wms_sku_aliases": "sku TEXT, wms_sku TEXT",
    "wms_confirmations": "confirmation_id TEXT, kind TEXT, reference TEXT, order_ref TEXT, "
    "wms_sku TEXT, quantity REAL, status_code TEXT, confirmed_at TEXT",
    "carrier_events": "event_id TEXT, carrier TEXT, tracking_number TEXT, order_ref TEXT, "
    "status_code TEXT, occurred_at TEXT, location TEXT",
    "bank_lines": "bank_line_ref TEXT, account_iban TEXT, booking_date TEXT, value_date TEXT, "
    "amount REAL, currency TEXT, counterparty_name TEXT, remittance_info TEXT, company_id INTEGER",
}
AS_OF = dt.datetime(2026, 3, 31, 23, 59, 59)
SKUS = ("SKU-00001", "SKU-00002", "SKU-00003")


def ts(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def add_system_tables(store_path: Path, orders: int = 37) -> None:
    """Create and fill whichever of the systems' tables the store lacks."""
    conn = sqlite3.connect(store_path)
    try:
        with conn:
            existing = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            for table, rows in _rows(orders).items():
                if table in existing:
                    continue
                conn.execute(f"CREATE TABLE {table} ({DDL[table]})")
                marks = ", ".join("?" for _ in rows[0])
                conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    finally:
        conn.close()


def _rows(orders: int) -> dict[str, list[tuple]]:
    return {
        "shop_orders": _orders(orders),
        "shop_order_lines": _lines(orders),
        "wms_stock_snapshots": _snapshots(),
        "wms_sku_aliases": [(sku, f"ITM{sku[-5:]}X") for sku in SKUS],
        "wms_confirmations": _confirmations(),
        "carrier_events": _events(),
        "bank_lines": _bank_lines(),
    }


def _orders(n: int) -> list[tuple]:
    start = dt.datetime(2026, 3, 20, 9, 0, 0)
    rows = []
    for i in range(n):
        created = start + dt.timedelta(hours=5 * i)
        updated = start + dt.timedelta(hours=40 + 3 * (i // 3))  # groups of 3 share updated_at
        cancelled = ts(updated) if i % 7 == 3 else None
        status = ("paid", "fulfilled") if i % 4 == 0 else ("pending", None)
        rows.append(
            (
                f"SHOP-{100000 + i}",
                100000 + i,
                f"buyer{i}@example.com",
                f"Buyer Nr{i}",
                "USD",
                10.0 * (i + 1) + 0.5,
                *status,
                cancelled,
                ts(created),
                ts(updated),
                f"S{i:05d}",
            )
        )
    return rows


def _lines(n: int) -> list[tuple]:
    return [
        (f"SHOP-{100000 + i}", j + 1, SKUS[(i + j) % 3], 1 + j, 5.25 * (j + 1))
        for i in range(n)
        for j in range(1 + i % 3)
    ]


def _snapshots() -> list[tuple]:
    hours = [AS_OF.replace(minute=0, second=0) - dt.timedelta(hours=h) for h in range(0, 30, 6)]
    hours.append(AS_OF - dt.timedelta(days=10))  # older than the bounded history
    return [
        (ts(h), "3PL", f"ITM{sku[-5:]}X", loc, 10.0 + k, 1.0)
        for h in hours
        for k, sku in enumerate(SKUS)
        for loc in ("A-01", "B-07")
    ]


def _confirmations() -> list[tuple]:
    base = AS_OF - dt.timedelta(days=3)
    return [
        (
            f"CNF-{i:04d}",
            "shipment" if i % 3 else "receipt",
            f"3PL/OUT/{i:05d}",
            f"S{i:05d}",
            f"ITM{SKUS[i % 3][-5:]}X",
            1 + i % 4,
            "SHP" if i % 3 else "RCV",
            ts(base + dt.timedelta(hours=7 * i)),
        )
        for i in range(10)
    ]


def _events() -> list[tuple]:
    base = AS_OF - dt.timedelta(days=4)
    return [
        (
            f"EVT-{i:05d}",
            "DHL" if i % 2 else "UPS",
            f"1Z{i:08d}",
            f"S{i // 3:05d}",
            ("PU", "IT", "OD", "DL")[i % 4],
            ts(base + dt.timedelta(hours=3 * i)),
            "Chicago, IL",
        )
        for i in range(25)
    ]


def _bank_lines() -> list[tuple]:
    base = (AS_OF - dt.timedelta(days=4)).date()
    rows = []
    for i in range(12):
        day = (base + dt.timedelta(days=i // 3)).isoformat()
        amount = (-1 if i % 5 == 0 else 1) * (100.0 + i * 12.345)
        rows.append(
            (
                f"BNK-{i:06d}",
                "BE71096123456769" if i % 2 else "US12000000012345678",
                day,
                day,
                amount,
                "USD",
                f"Customer; {i}",
                f'INV/2026/{i:05d} "ref"',
                1,
            )
        )
    return rows
