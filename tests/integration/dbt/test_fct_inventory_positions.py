"""dbt builds fct_inventory_positions from raw Odoo tables, and a bad raw row stops it.

GIVEN raw.odoo__* tables shaped by the loader's own column mapping (docs/contracts.md)
but filled by hand, so the mart is tested apart from extraction, and a small crafted
stock picture, WHEN `dbt_build` runs, THEN the mart holds exactly the hand-computed
positions. Each test seeds its own fresh database and builds into its own home.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from reporting_hub.load.columns import columns_of, map_field
from reporting_hub.transform.dbt import DbtFailed, dbt_args_env, dbt_build

# The fields of include/reporting_hub/streams.yml, with their Odoo types.
RAW_TABLES: dict[str, dict[str, str]] = {
    "odoo__product_product": {
        "id": "integer", "default_code": "char", "barcode": "char", "name": "char",
        "product_tmpl_id": "many2one", "categ_id": "many2one", "type": "selection",
        "is_storable": "boolean", "uom_id": "many2one", "list_price": "float",
        "standard_price": "float", "active": "boolean", "company_id": "many2one",
        "create_date": "datetime", "write_date": "datetime",
    },
    "odoo__stock_location": {
        "id": "integer", "name": "char", "complete_name": "char", "usage": "selection",
        "location_id": "many2one", "warehouse_id": "many2one", "parent_path": "char",
        "active": "boolean", "company_id": "many2one", "create_date": "datetime",
        "write_date": "datetime",
    },
    "odoo__stock_warehouse": {
        "id": "integer", "name": "char", "code": "char", "company_id": "many2one",
        "lot_stock_id": "many2one", "view_location_id": "many2one", "active": "boolean",
        "create_date": "datetime", "write_date": "datetime",
    },
    "odoo__stock_quant": {
        "id": "integer", "product_id": "many2one", "location_id": "many2one",
        "lot_id": "many2one", "package_id": "many2one", "owner_id": "many2one",
        "quantity": "float", "reserved_quantity": "float", "inventory_date": "date",
        "in_date": "datetime", "warehouse_id": "many2one", "company_id": "many2one",
        "create_date": "datetime", "write_date": "datetime",
    },
}  # fmt: skip

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
# Only the inventory slice: the other marts need raw tables this test does not create.
SLICE = ["+fct_inventory_positions"]


def at(day: int, hour: int = 8) -> datetime:
    return T0.replace(day=day, hour=hour)


# Two companies, one warehouse each; sublocations; partner, transit and a stray
# internal location outside any warehouse.
PRODUCTS = [  # id, default_code, name, type, active
    (101, "SKU-101", "Widget", "consu", True),
    (102, "SKU-102", "Gadget", "consu", True),
    (103, None, "Unlabelled part", "consu", False),
]
LOCATIONS = [  # id, name, usage, parent, warehouse_id, company_id
    (1, "Partners/Vendors", "supplier", None, None, None),
    (2, "Partners/Customers", "customer", None, None, None),
    (3, "Inter-company transit", "transit", None, None, None),
    (10, "WH1", "view", None, 1, 1),
    (11, "WH1/Stock", "internal", 10, 1, 1),
    (12, "WH1/Stock/Shelf A", "internal", 11, 1, 1),
    (13, "WH1/Stock/Shelf B", "internal", 11, 1, 1),
    (20, "WH2", "view", None, 2, 2),
    (21, "WH2/Stock", "internal", 20, 2, 2),
    (22, "WH2/Stock/Bin 1", "internal", 21, 2, 2),
    (30, "Repair bench", "internal", None, None, 1),
]
WAREHOUSES = [  # id, name, code, company_id, lot_stock_id, view_location_id
    (1, "Main warehouse", "WH1", 1, 11, 10),
    (2, "Beta warehouse", "WH2", 2, 21, 20),
]
QUANTS = [  # id, product, location, lot, quantity, reserved, company, write_date
    (1, 101, 11, None, "10", "2", 1, at(1)),
    (2, 101, 12, 7, "5.5", "0", 1, at(2)),
    (3, 101, 13, None, "-1", "0", 1, at(3)),
    (4, 101, 12, 8, "1.25", "0.25", 1, at(1, 9)),
    (5, 102, 11, None, "7", "7", 1, at(4)),
    (6, 103, 12, None, "2", "0.5", 1, at(5)),
    (7, 101, 21, None, "3", "1", 2, at(6)),
    (8, 102, 22, None, "4", "0", 2, at(7)),
    (9, 101, 2, None, "100", "0", 1, at(9)),  # at a customer: excluded
    (10, 102, 1, None, "-50", "0", 1, at(9)),  # at a vendor: excluded
    (11, 101, 3, None, "9", "0", 1, at(9)),  # in transit: excluded
    (12, 102, 30, None, "6", "0", 1, at(9)),  # internal, no warehouse: excluded
]

# Positions computed by hand from QUANTS:
# product, warehouse, company, sku, code, on hand, reserved, available, quants, last write
EXPECTED = [
    (101, 1, 1, "SKU-101", "WH1", Decimal("15.75"), Decimal("2.25"), Decimal("13.5"), 4, at(3)),
    (101, 2, 2, "SKU-101", "WH2", Decimal("3"), Decimal("1"), Decimal("2"), 1, at(6)),
    (102, 1, 1, "SKU-102", "WH1", Decimal("7"), Decimal("7"), Decimal("0"), 1, at(4)),
    (102, 2, 2, "SKU-102", "WH2", Decimal("4"), Decimal("0"), Decimal("4"), 1, at(7)),
    (103, 1, 1, None, "WH1", Decimal("2"), Decimal("0.5"), Decimal("1.5"), 1, at(5)),
]


def raw_table_ddl(table: str, fields: dict[str, str]) -> sql.Composed:
    """The raw table the loader makes for these Odoo fields (docs/contracts.md mapping)."""
    mapped = columns_of(map_field(name, {"type": kind}) for name, kind in fields.items())
    columns = [(c.name, c.pg_type) for c in mapped]
    columns += [("_batch_id", "text"), ("_extracted_at", "timestamptz")]
    columns += [("_published_at", "timestamptz"), ("_deleted_at", "timestamptz")]
    return sql.SQL("create table raw.{} ({})").format(
        sql.Identifier(table),
        sql.SQL(", ").join(
            sql.SQL("{} " + pg_type).format(sql.Identifier(name)) for name, pg_type in columns
        ),
    )


def insert(conn: psycopg.Connection, table: str, columns: list[str], rows: list[tuple]) -> None:
    """Insert rows with the loader's metadata columns filled in."""
    meta = ("batch-test-0001", T0, T0)
    statement = sql.SQL("insert into raw.{} ({}) values ({})").format(
        sql.Identifier(table),
        sql.SQL(", ").join(
            map(sql.Identifier, [*columns, "_batch_id", "_extracted_at", "_published_at"])
        ),
        sql.SQL(", ").join(sql.Placeholder() * (len(columns) + 3)),
    )
    with conn.cursor() as cur:
        cur.executemany(statement, [(*row, *meta) for row in rows])


def seed_raw(conn: psycopg.Connection) -> None:
    conn.execute("create schema raw")
    for table, fields in RAW_TABLES.items():
        conn.execute(raw_table_ddl(table, fields))
    insert(
        conn, "odoo__product_product", ["id", "default_code", "name", "type", "active"], PRODUCTS
    )
    insert(
        conn,
        "odoo__stock_location",
        ["id", "name", "usage", "location_id", "warehouse_id", "company_id"],
        LOCATIONS,
    )
    insert(
        conn,
        "odoo__stock_warehouse",
        ["id", "name", "code", "company_id", "lot_stock_id", "view_location_id"],
        WAREHOUSES,
    )
    insert(
        conn,
        "odoo__stock_quant",
        [
            "id",
            "product_id",
            "location_id",
            "lot_id",
            "quantity",
            "reserved_quantity",
            "company_id",
            "write_date",
        ],
        QUANTS,
    )


@pytest.fixture
def warehouse(warehouse_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh database (see tests/conftest.py) holding the raw tables and the crafted data.

    Tests of the slice only: a relationship test from an unselected model (sales orders to
    warehouses) would otherwise be picked up through its selected parent.
    """
    monkeypatch.setenv("DBT_INDIRECT_SELECTION", "cautious")
    with psycopg.connect(warehouse_url) as conn:
        seed_raw(conn)
    return warehouse_url


def test_build_yields_hand_computed_positions(warehouse: str, tmp_path: Path) -> None:
    result = dbt_build(SLICE, warehouse, tmp_path)

    with psycopg.connect(warehouse) as conn:
        rows = conn.execute(
            "select product_id, warehouse_id, company_id, sku, warehouse_code, on_hand_qty,"
            " reserved_qty, available_qty, quant_count, last_quant_write_at"
            " from marts_ops.fct_inventory_positions"
            " order by product_id, warehouse_id, company_id"
        ).fetchall()
    assert rows == EXPECTED
    assert result.by_type["unit_test"] == 1
    assert set(result.by_status) <= {"success", "pass"}
    assert (tmp_path / "dbt" / "target" / "run_results.json").exists()


def test_duplicate_raw_quant_fails_build_before_the_mart(warehouse: str, tmp_path: Path) -> None:
    with psycopg.connect(warehouse) as conn:
        insert(
            conn,
            "odoo__stock_quant",
            ["id", "product_id", "location_id", "quantity", "reserved_quantity", "company_id"],
            [(1, 102, 12, "3", "0", 1)],
        )

    with pytest.raises(DbtFailed) as failed:
        dbt_build(SLICE, warehouse, tmp_path)

    assert "unique_stg_odoo__stock_quants_quant_id" in {name for name, _ in failed.value.failures}
    assert "unique_stg_odoo__stock_quants_quant_id" in str(failed.value)
    with psycopg.connect(warehouse) as conn:
        built = conn.execute("select to_regclass('marts_ops.fct_inventory_positions')").fetchone()
    assert built == (None,)


def test_socket_url_maps_to_profile_env() -> None:
    env = dbt_args_env("postgresql://hub:p%40ss@/warehouse?host=/var/run/hub-pg&port=5433")

    assert env == {
        "HUB_PG_HOST": "/var/run/hub-pg",
        "HUB_PG_PORT": "5433",
        "HUB_PG_USER": "hub",
        "HUB_PG_PASSWORD": "p@ss",
        "HUB_PG_DBNAME": "warehouse",
    }
