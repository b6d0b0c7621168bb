"""Fixtures for the quality gate: one migrated warehouse per module, batches landed by COPY."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest

from reporting_hub.catalog import Catalog, load_catalog
from reporting_hub.quality.context import DEFAULT_GX_ROOT, GX_ROOT_ENV
from reporting_hub.warehouse.locate import drop_database, ensure_database, with_database
from reporting_hub.warehouse.migrate import migrate

PRODUCTS = range(1, 21)
LOCATIONS = range(1, 6)
# Landing and raw tables as the loader creates them (docs/contracts.md column mapping).
SCHEMA = """
create table landing.odoo__stock_quant (
    id bigint, product_id bigint, product_id_name text, location_id bigint,
    location_id_name text, quantity numeric, reserved_quantity numeric, company_id bigint,
    company_id_name text, write_date timestamptz, _batch_id text, _extracted_at timestamptz
);
create index on landing.odoo__stock_quant (_batch_id);
create table landing.odoo__stock_location (
    id bigint, name text, complete_name text, usage text, _batch_id text,
    _extracted_at timestamptz
);
create table raw.odoo__product_product (
    id bigint primary key, name text, _batch_id text, _extracted_at timestamptz,
    _published_at timestamptz not null default now()
);
create table raw.odoo__stock_location (
    id bigint primary key, name text, _batch_id text, _extracted_at timestamptz,
    _published_at timestamptz not null default now()
);
"""

Row = dict[str, Any]


@pytest.fixture(scope="module")
def warehouse(pg_server: str) -> Iterator[str]:
    """A fresh, migrated database with published products and locations to reference."""
    name = f"hub_test_{uuid.uuid4().hex[:12]}"
    ensure_database(pg_server, name)
    url = with_database(pg_server, name)
    try:
        migrate(url)
        with psycopg.connect(url) as conn:
            conn.execute(SCHEMA)
            conn.execute(
                "insert into raw.odoo__product_product (id, name) "
                "select g, 'Product ' || g from generate_series(%s::int, %s::int) g",
                (PRODUCTS[0], PRODUCTS[-1]),
            )
            conn.execute(
                "insert into raw.odoo__stock_location (id, name) "
                "select g, 'WH/Stock/' || g from generate_series(%s::int, %s::int) g",
                (LOCATIONS[0], LOCATIONS[-1]),
            )
        yield url
    finally:
        drop_database(pg_server, name)


@pytest.fixture(scope="module", autouse=True)
def gx_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of the repo's expectations/, so runs never touch the working tree."""
    root = tmp_path_factory.mktemp("expectations")
    shutil.copytree(
        DEFAULT_GX_ROOT, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("uncommitted")
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(GX_ROOT_ENV, str(root))
        yield root


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


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
        return batch_id

    return land_rows
