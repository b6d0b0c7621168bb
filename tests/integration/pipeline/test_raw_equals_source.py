"""Every Odoo stream's raw table equals the demo Odoo's own rows, field for field.

GIVEN the tiny demo world, WHEN every Odoo stream is synced, THEN for each stream the
current raw rows hold exactly the source's records, and every declared field the
source stores has the same value (many2one compared by id).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime
from decimal import Decimal

import psycopg
import pytest

from reporting_hub import pipeline
from reporting_hub.catalog import load_catalog

CATALOG = load_catalog()
ODOO_STREAMS = [s.id for s in CATALOG.for_source("odoo")]


def comparable(value):
    """One form for both sides: Odoo's store (SQLite) and the warehouse (PostgreSQL)."""
    if isinstance(value, bool):  # PostgreSQL booleans against SQLite's 0/1
        return int(value)
    if value is None:
        return None
    if isinstance(value, (float, Decimal)):
        return round(float(value), 6)
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return value


@pytest.fixture(scope="module")
def synced(make_module_warehouse, tmp_path_factory):
    from demo_world.server import start_server
    from reporting_hub.settings import OdooSettings, Settings

    world = start_server(tmp_path_factory.mktemp("world"), scale="tiny", port=0)
    url = make_module_warehouse()
    odoo = OdooSettings(url=world.url, db="demo", user="admin", password="admin")
    pipeline.sync_many(ODOO_STREAMS, Settings(url, odoo, tmp_path_factory.mktemp("hub")))
    yield url, world.store_path
    world.stop()


@pytest.mark.parametrize("stream_id", ODOO_STREAMS)
def test_raw_table_equals_the_source(synced, stream_id):
    url, store_path = synced
    stream = CATALOG.get(stream_id)
    table = stream.object.replace(".", "_")
    with closing(sqlite3.connect(store_path)) as source:
        types = {row[1]: row[2] for row in source.execute(f'pragma table_info("{table}")')}
        fields = [f for f in stream.fields if f in types]
        # Odoo reads an empty float as 0.0, never false: so does the API the loader sees.
        cols = ", ".join(
            f'coalesce("{f}", 0.0)' if types[f] == "REAL" else f'"{f}"' for f in fields
        )
        truth = {r[0]: r for r in source.execute(f'select {cols} from "{table}" order by id')}
    cols = ", ".join(f'"{f}"' for f in fields)
    with psycopg.connect(url) as conn:
        raw = {
            r[0]: r
            for r in conn.execute(
                f"select {cols} from raw.{stream.table} where _deleted_at is null order by id"
            )
        }
    assert raw.keys() == truth.keys()
    for record_id, row in truth.items():
        assert [comparable(v) for v in raw[record_id]] == [comparable(v) for v in row], (
            stream_id,
            record_id,
            fields,
        )
