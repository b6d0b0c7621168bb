"""Sync engine behaviours against the demo Odoo: crashes, deletes, faults, new fields.

GIVEN a demo Odoo whose data a test changes, WHEN the engine syncs, THEN the warehouse
converges to the source: nothing lost, nothing duplicated, deletions tombstoned.
"""

from __future__ import annotations

from dataclasses import replace

import psycopg
import pytest
from support.slices import INVENTORY

from reporting_hub import pipeline
from reporting_hub.settings import OdooSettings


def sync_products(settings):
    """Products need their templates published first (the gate checks the reference)."""
    return pipeline.sync_many(["odoo.product_template", "odoo.product_product"], settings)[-1]


def fetch(url, sql, params=()):
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()


def live_products(url):
    return fetch(
        url,
        "select id, default_code from raw.odoo__product_product "
        "where _deleted_at is null order by id",
    )


def source_products(source):
    return source.rows("select id, default_code from product_product order by id")


def test_a_crash_between_landing_and_publish_then_a_rerun_gives_exactly_the_source(
    own_settings, source
):
    url = own_settings.warehouse_url
    sync_products(own_settings)
    source.execute(
        "update product_product set default_code = 'MOVED-1', write_date = "
        "(select max(write_date) from product_product) where id = 1"
    )
    crashed = pipeline.extract("odoo.product_product", own_settings)  # ... and the worker dies

    sync_products(own_settings)

    assert live_products(url) == source_products(source)
    status, error = fetch(
        url, "select status, error from ops.sync_runs where batch_id = %s", (crashed["batch_id"],)
    )[0]
    assert status == "failed" and error.startswith("abandoned")
    assert fetch(url, "select count(*) from landing.odoo__product_product") == [(0,)]
    assert fetch(url, "select count(*) from raw.odoo__product_product where id = 1") == [(1,)]


def test_delete_scan_tombstones_what_the_source_deleted_and_keeps_history(own_settings, source):
    url = own_settings.warehouse_url
    sync_products(own_settings)
    (gone,) = source.rows("select max(id) from product_product")[0]
    source.execute("delete from product_product where id = ?", (gone,))

    outcome = pipeline.scan_deletes("odoo.product_product", own_settings)

    assert outcome["rows_deleted"] == 1
    assert live_products(url) == source_products(source)
    assert fetch(
        url, "select _deleted_at is not null from raw.odoo__product_product where id = %s", (gone,)
    ) == [(True,)]
    assert fetch(
        url, "select count(*) from raw.odoo__product_product__history where id = %s", (gone,)
    ) == [(1,)]
    assert fetch(
        url,
        "select kind, rows_deleted from ops.sync_runs where batch_id = %s",
        (outcome["batch_id"],),
    ) == [("delete_scan", 1)]
    # A second scan finds nothing more to do.
    assert pipeline.scan_deletes("odoo.product_product", own_settings)["rows_deleted"] == 0


def test_transient_server_faults_are_retried_and_the_result_is_exact(make_warehouse, tmp_path):
    from demo_world.faults import Faults
    from demo_world.server import start_server
    from demo_world.store import Store
    from reporting_hub.settings import Settings

    faults = Faults.parse('{"seed": 7, "odoo": {"error_rate": 0.15, "drop_rate": 0.1}}')
    world = start_server(tmp_path / "faulty", scale="tiny", port=0, faults=faults)
    try:
        settings = Settings(
            make_warehouse(),
            OdooSettings(url=world.url, db="demo", user="admin", password="admin"),
            tmp_path / "hub",
        )
        pipeline.sync_many(INVENTORY, settings)
        retries = fetch(settings.warehouse_url, "select sum(retries) from ops.sync_runs")[0][0]
        store = Store(world.store_path)
        truth = [
            (r["id"], r["default_code"])
            for r in store.query("select id, default_code from product_product order by id")
        ]
        assert live_products(settings.warehouse_url) == truth
        assert retries > 0
    finally:
        world.stop()


def test_fields_the_catalog_does_not_load_are_reported(own_settings):
    pipeline.sync_many(["odoo.stock_location", "odoo.stock_warehouse"], own_settings)
    reported = {
        f
        for (f,) in fetch(
            own_settings.warehouse_url,
            "select field from ops.source_fields where stream = 'odoo.stock_warehouse'",
        )
    }
    assert "sequence" in reported and "code" not in reported


def test_wrong_api_key_fails_fast_over_json2(own_settings, own_odoo):
    from reporting_hub.sources.odoo.client import OdooAuthError

    bad = replace(
        own_settings,
        odoo=OdooSettings(
            url=own_odoo.url, db="demo", user="admin", api_key="not-a-key", protocol="json2"
        ),
    )
    with pytest.raises(OdooAuthError, match="API key"):
        pipeline.extract("odoo.stock_location", bad)
    assert fetch(own_settings.warehouse_url, "select status, retries from ops.sync_runs") == [
        ("failed", 0)
    ]


def test_auto_protocol_speaks_json2_to_odoo_19_when_an_api_key_is_set(own_odoo):
    from reporting_hub.sources.odoo.connect import connect
    from reporting_hub.sources.odoo.json2 import Json2Client
    from reporting_hub.sources.odoo.jsonrpc import JsonRpcClient

    def settings(**secret):
        return OdooSettings(url=own_odoo.url, db="demo", user="admin", protocol="auto", **secret)

    assert isinstance(connect(settings(api_key=own_odoo.api_key)), Json2Client)
    assert isinstance(connect(settings(password="admin")), JsonRpcClient)


def test_status_shows_the_last_load_not_the_nightly_delete_scan(own_settings):
    from reporting_hub.catalog import load_catalog
    from reporting_hub.ops.status import stream_status

    loaded = sync_products(own_settings)
    pipeline.scan_deletes("odoo.product_product", own_settings)
    rows = {r[0]: r for r in stream_status(own_settings.warehouse_url, load_catalog())}
    _, status, _, landed, published, error, _, total = rows["odoo.product_product"]
    assert (status, landed, published, error) == (
        "published",
        loaded["rows_landed"],
        loaded["rows_published"],
        None,
    )
    assert total == loaded["rows_published"]
    assert rows["shop.orders"][1] is None  # never run: listed all the same
