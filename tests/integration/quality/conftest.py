"""Fixtures for the quality gate: one migrated warehouse per module, batches landed by COPY."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest

from reporting_hub.catalog import Catalog, Stream, load_catalog
from reporting_hub.load.columns import columns_of, map_field
from reporting_hub.load.tables import ensure_tables
from reporting_hub.quality.context import GX_ROOT_ENV, seed_gx_root
from reporting_hub.warehouse.migrate import migrate

PRODUCTS = range(1, 21)
LOCATIONS = range(1, 6)
# Odoo field types of the streams the tests land, as fields_get reports them; tables are
# created from them by the loader itself (docs/contracts.md column mapping).
M2O, DT = "many2one", "datetime"
FIELD_TYPES = {
    "id": "integer", "name": "char", "default_code": "char", "barcode": "char",
    "complete_name": "char", "parent_path": "char", "code": "char", "usage": "selection",
    "type": "selection", "active": "boolean", "is_storable": "boolean", "quantity": "float",
    "reserved_quantity": "float", "list_price": "float", "standard_price": "float",
    "inventory_date": "date", "in_date": DT, "create_date": DT, "write_date": DT,
    "move_name": "char", "date": "date", "debit": "float", "credit": "float",
    "balance": "float", "amount_currency": "float", "amount_residual": "float",
    "price_unit": "float", "discount": "float", "display_type": "selection",
    "parent_state": "selection", "reconciled": "boolean",
}  # fmt: skip


def create_tables(conn: psycopg.Connection, stream: Stream) -> None:
    """landing/raw/history tables of the stream, exactly as extraction creates them."""
    mappings = [map_field(f, {"type": FIELD_TYPES.get(f, M2O)}) for f in stream.fields]
    ensure_tables(conn, stream, columns_of(mappings))


Row = dict[str, Any]


@pytest.fixture(scope="module")
def warehouse(make_module_warehouse) -> str:
    """A fresh, migrated database with published products and locations to reference."""
    url = make_module_warehouse()
    migrate(url)
    catalog = load_catalog()
    with psycopg.connect(url) as conn:
        for stream_id in ("odoo.product_product", "odoo.stock_location", "odoo.stock_quant"):
            create_tables(conn, catalog.get(stream_id))
        conn.execute(
            "insert into raw.odoo__product_product (id, name, _published_at) "
            "select g, 'Product ' || g, now() from generate_series(%s::int, %s::int) g",
            (PRODUCTS[0], PRODUCTS[-1]),
        )
        conn.execute(
            "insert into raw.odoo__stock_location (id, name, _published_at) "
            "select g, 'WH/Stock/' || g, now() from generate_series(%s::int, %s::int) g",
            (LOCATIONS[0], LOCATIONS[-1]),
        )
    return url


@pytest.fixture(scope="module")
def tables(warehouse: str) -> Callable[[Stream], None]:
    """Creates another stream's tables in the module's warehouse, as extraction would."""

    def make(stream: Stream) -> None:
        with psycopg.connect(warehouse) as conn:
            create_tables(conn, stream)

    return make


@pytest.fixture(scope="module", autouse=True)
def gx_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of the repo's expectations/, so runs never touch the working tree."""
    root = seed_gx_root(tmp_path_factory.mktemp("expectations"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(GX_ROOT_ENV, str(root))
        yield root


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    """The real catalog without volume checks: tests land batches of any size they need
    (the volume check has its own test, with its own history)."""
    catalog = load_catalog()
    for stream in catalog.streams.values():
        checks = replace(stream.checks, volume=None)
        catalog.streams[stream.id] = replace(stream, checks=checks)
    return catalog


@pytest.fixture(scope="module")
def quant() -> Callable[..., Row]:
    """Factory of valid stock.quant rows; keyword arguments make one bad in one way."""

    def make(row_id: int, **changes: Any) -> Row:
        product = PRODUCTS[row_id % len(PRODUCTS)]
        location = LOCATIONS[row_id % len(LOCATIONS)]
        row = {
            "id": row_id,
            "product_id": product,
            "product_id_name": f"Product {product}",
            "location_id": location,
            "location_id_name": f"WH/Stock/{location}",
            "quantity": Decimal(row_id % 97) + Decimal("0.5"),
            "reserved_quantity": Decimal(0),
            "company_id": 1,
            "company_id_name": "Demo Company",
            "write_date": "2026-03-31T12:00:00Z",
        }
        return {**row, **changes}

    return make


@pytest.fixture
def land(warehouse: str) -> Callable[..., str]:
    """COPY rows into landing.<table> as a new batch; returns the batch id."""

    def land_rows(rows: list[Row], table: str = "odoo__stock_quant") -> str:
        batch_id = f"{table}-test-{uuid.uuid4().hex[:8]}"
        columns = list(rows[0]) if rows else ["id"]
        with psycopg.connect(warehouse) as conn, conn.cursor() as cur:
            names = ", ".join([*columns, "_batch_id", "_extracted_at"])
            with cur.copy(f"copy landing.{table} ({names}) from stdin") as copy:
                for row in rows:
                    copy.write_row([*(row[c] for c in columns), batch_id, "2026-03-31T12:00Z"])
            # The run log row extraction writes: publish and the counts identity need it.
            cur.execute(
                "insert into ops.sync_runs (stream, batch_id, status, rows_read, rows_landed) "
                "values (%s, %s, 'landed', %s, %s)",
                (table.replace("__", "."), batch_id, len(rows), len(rows)),
            )
        return batch_id

    return land_rows
