"""Write-audit-publish against the demo Odoo and a real PostgreSQL.

GIVEN a demo Odoo and an empty warehouse, WHEN streams are synced, THEN raw tables
equal the source row for row, reruns converge, and nothing unvalidated is published.
"""

from __future__ import annotations

from dataclasses import replace

import psycopg
import pytest
from support.slices import INVENTORY

from reporting_hub import pipeline
from reporting_hub.catalog import load_catalog
from reporting_hub.load.publish import NotValidated
from reporting_hub.ops.stream_state import TargetsNotPublished
from reporting_hub.settings import OdooSettings
from reporting_hub.sources.odoo.client import OdooAuthError, OdooUnknownField

QUANT_SQL = (
    "select id, product_id, location_id, quantity, reserved_quantity from stock_quant order by id"
)


def sync_all(settings):
    return {outcome["stream"]: outcome for outcome in pipeline.sync_many(INVENTORY, settings)}


def sync_products(settings):
    """Products need their templates published first (the gate checks the reference)."""
    return pipeline.sync_many(["odoo.product_template", "odoo.product_product"], settings)[-1]


def fetch(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()


def raw_quants(url: str) -> list[tuple]:
    rows = fetch(
        url,
        "select id, product_id, location_id, quantity, reserved_quantity "
        "from raw.odoo__stock_quant where _deleted_at is null order by id",
    )
    return [(i, p, loc, float(q), float(r)) for i, p, loc, q, r in rows]


def test_raw_equals_the_source_row_for_row(own_settings, source):
    source.execute(
        "update product_product set active = 0 where id = (select max(id) from product_product)"
    )
    outcomes = sync_all(own_settings)

    assert raw_quants(own_settings.warehouse_url) == source.rows(QUANT_SQL)
    products = fetch(
        own_settings.warehouse_url,
        "select id, default_code, active from raw.odoo__product_product order by id",
    )
    # Archived products are part of the truth: active_test is off.
    assert products == [
        (i, c, bool(a))
        for i, c, a in source.rows(
            "select id, default_code, active from product_product order by id"
        )
    ]
    assert any(not active for _, _, active in products)
    for stream, outcome in outcomes.items():
        assert outcome["rows_published"] == outcome["rows_landed"] > 0, stream
    runs = fetch(own_settings.warehouse_url, "select stream, status from ops.sync_runs")
    assert sorted(runs) == sorted((s, "published") for s in INVENTORY)
    assert fetch(own_settings.warehouse_url, "select count(*) from landing.odoo__stock_quant") == [
        (0,)
    ]


def test_rerun_converges_and_history_keeps_each_version_once(own_settings, source):
    url = own_settings.warehouse_url
    sync_all(own_settings)
    history_before = fetch(url, "select count(*) from raw.odoo__stock_quant__history")[0][0]

    sync_all(own_settings)
    assert fetch(url, "select count(*) from raw.odoo__stock_quant__history")[0][0] == history_before

    # Odoo changes quants by raw SQL without write_date, and deletes emptied ones.
    changed, deleted = source.rows("select id from stock_quant order by id limit 2")
    source.execute("update stock_quant set quantity = quantity + 5 where id = ?", changed)
    source.execute("delete from stock_quant where id = ?", deleted)
    pipeline.sync("odoo.stock_quant", own_settings)

    assert raw_quants(url) == source.rows(QUANT_SQL)
    versions = fetch(
        url,
        "select quantity from raw.odoo__stock_quant__history where id = %s order by _published_at",
        changed,
    )
    assert len(versions) == 2 and versions[1][0] == versions[0][0] + 5


def test_incremental_run_reads_only_the_lookback_window(own_settings, source):
    url = own_settings.warehouse_url
    first = sync_products(own_settings)
    last_write = source.rows("select max(write_date) from product_product")[0][0]
    window = source.rows(
        "select count(*) from product_product where write_date >= datetime(?, '-10 minutes')",
        (last_write,),
    )[0][0]

    second = sync_products(own_settings)
    assert second["rows_landed"] == window < first["rows_landed"]

    # A long transaction commits late: its write_date lies inside the look-back window.
    source.execute(
        "update product_product set default_code = 'LATE-1', "
        "write_date = datetime(?, '-5 minutes') where id = "
        "(select min(id) from product_product)",
        (last_write,),
    )
    sync_products(own_settings)
    assert fetch(
        url, "select count(*) from raw.odoo__product_product where default_code = 'LATE-1'"
    ) == [(1,)]


def test_failed_gate_publishes_nothing_and_keeps_the_watermark(own_settings, source):
    from reporting_hub.quality.gate import GateFailed

    url = own_settings.warehouse_url
    sync_all(own_settings)
    before = raw_quants(url)
    state_before = fetch(url, "select * from ops.stream_state order by stream")
    source.execute(
        "insert into stock_quant (id, product_id, company_id, location_id, quantity, "
        "reserved_quantity, on_hand, inventory_quantity_set, create_date, write_date) "
        "select 9999, 999999, company_id, location_id, 1, 0, 1, 0, create_date, "
        "write_date from stock_quant limit 1"
    )

    source.execute(
        "update stock_location set name = 'Renamed' where id = (select min(id) from stock_location)"
    )
    with pytest.raises(pipeline.SyncFailed, match="odoo.stock_quant") as failed:
        sync_all(own_settings)

    assert isinstance(failed.value.outcomes[-1]["exception"], GateFailed)
    assert "product_id" in failed.value.outcomes[-1]["error"]
    # The other streams are not held back by the quant stream's failure.
    assert fetch(url, "select count(*) from raw.odoo__stock_location where name = 'Renamed'") == [
        (1,)
    ]
    assert raw_quants(url) == before
    quant_state = "select * from ops.stream_state where stream = 'odoo.stock_quant'"
    assert fetch(url, quant_state) == [s for s in state_before if s[0] == "odoo.stock_quant"]
    status, error = fetch(
        url,
        "select status, error from ops.sync_runs "
        "where stream = 'odoo.stock_quant' order by run_id desc limit 1",
    )[0]
    assert status == "failed" and "product_id" in error


def test_gate_needs_the_referenced_streams_published_first(own_settings):
    batch = pipeline.extract("odoo.stock_quant", own_settings)
    with pytest.raises(TargetsNotPublished, match="odoo.product_product"):
        pipeline.validate(batch, own_settings)


def test_publish_refuses_a_batch_the_gate_has_not_passed(own_settings):
    batch = pipeline.extract("odoo.stock_location", own_settings)
    with pytest.raises(NotValidated, match="has not been validated"):
        pipeline.publish(batch, own_settings)
    assert fetch(own_settings.warehouse_url, "select count(*) from raw.odoo__stock_location") == [
        (0,)
    ]


def test_declared_field_missing_on_the_server_names_field_model_and_version(own_settings):
    catalog = load_catalog()
    quant = catalog.get("odoo.stock_quant")
    broken = replace(quant, fields=(*quant.fields, "no_such_field"))
    catalog.streams["odoo.stock_quant"] = broken
    with pytest.raises(OdooUnknownField, match=r"no_such_field.*stock\.quant.*Odoo 19\.0"):
        pipeline.extract("odoo.stock_quant", own_settings, catalog)
    status = fetch(own_settings.warehouse_url, "select status from ops.sync_runs")
    assert status == [("failed",)]


def test_wrong_password_is_an_auth_error(own_settings):
    bad = replace(own_settings, odoo=replace(own_settings.odoo, password="wrong"))
    with pytest.raises(OdooAuthError, match="refused login 'admin'"):
        pipeline.extract("odoo.stock_location", bad)


def test_json2_lands_the_same_rows_as_jsonrpc(own_settings, own_odoo, make_warehouse):
    json2 = replace(
        own_settings,
        warehouse_url=make_warehouse(),
        odoo=OdooSettings(
            url=own_odoo.url, db="demo", user="admin", api_key=own_odoo.api_key, protocol="json2"
        ),
    )
    sync_all(own_settings)
    sync_all(json2)
    for stream in INVENTORY:
        table = stream.replace(".", "__")
        sql = f"select * from raw.{table} order by id"
        strip = slice(0, -4)  # drop _batch_id, _extracted_at, _published_at, _deleted_at
        left = [row[strip] for row in fetch(own_settings.warehouse_url, sql)]
        right = [row[strip] for row in fetch(json2.warehouse_url, sql)]
        assert left == right, stream
