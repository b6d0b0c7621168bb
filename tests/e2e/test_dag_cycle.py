"""Every DAG, run in-process with dag.test() against a tiny demo world and a real PostgreSQL.

GIVEN a tiny demo world serving all five systems and an empty warehouse, WHEN one cycle
of every DAG runs in the order data flows (syncs, build_marts, reconcile, maintenance),
THEN every DAG succeeds, the marts match the demo Odoo's own numbers, and the ops tables
record each step. And WHEN one stream's gate then fails, THEN the next build rebuilds the
other streams' models but none downstream of the failed stream.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from support.systems_world import start_systems_world

from reporting_hub.catalog import load_catalog
from reporting_hub.orchestration.cycle import CYCLE, load_dags, run_cycle
from reporting_hub.warehouse.locate import drop_database, ensure_database, with_database

pytestmark = pytest.mark.slow
CATALOG = load_catalog()

TRUTH_SQL = """
select p.default_code, w.code, q.company_id,
       sum(q.quantity), sum(q.reserved_quantity), sum(q.quantity) - sum(q.reserved_quantity)
from stock_quant q
join stock_location l on l.id = q.location_id
join stock_warehouse w on w.id = l.warehouse_id
join product_product p on p.id = q.product_id
where l.usage = 'internal'
group by p.default_code, w.code, q.company_id
"""
MART_SQL = """
select sku, warehouse_code, company_id, on_hand_qty, reserved_qty, available_qty
from marts_ops.fct_inventory_positions
"""


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator:
    """A private tiny world: the gate-failure test writes a bad record into its store."""
    handle = start_systems_world(tmp_path_factory.mktemp("world"))
    yield handle
    handle.stop()


@pytest.fixture(scope="module")
def warehouse(pg_server: str) -> Iterator[str]:
    name = f"hub_test_{uuid.uuid4().hex[:12]}"
    ensure_database(pg_server, name)
    yield with_database(pg_server, name)
    drop_database(pg_server, name)


@pytest.fixture(scope="module")
def hub_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hub")


@pytest.fixture(scope="module")
def dags(world, warehouse, hub_home) -> Iterator[dict]:
    """The DAGs, with the connections and systems pointed at this module's world."""
    env = {
        "AIRFLOW_CONN_WAREHOUSE": json.dumps(
            {"conn_type": "postgres", "extra": {"url": warehouse}}
        ),
        "AIRFLOW_CONN_ODOO_DEFAULT": json.dumps(
            {
                "conn_type": "http",
                "login": "admin",
                "password": "admin",
                "schema": "demo",
                "extra": {"url": world.url, "protocol": "jsonrpc"},
            }
        ),
        "SHOP_URL": world.shop_url,
        "SHOP_TOKEN": world.shop_token,
        "CARRIER_URL": world.carrier_url,
        "WMS_INBOX": str(world.wms_inbox),
        "BANK_EXPORT_DIR": str(world.bank_dir),
        "HUB_HOME": str(hub_home),
    }
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        yield load_dags()


@pytest.fixture(scope="module")
def first_cycle(dags) -> dict:
    return {o.dag_id: o for o in run_cycle(dags)}


def normalise(rows):
    return sorted(
        (sku, wh, company, *(Decimal(str(v)) for v in nums)) for sku, wh, company, *nums in rows
    )


def fetch(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()


def test_one_cycle_of_every_dag_succeeds(first_cycle):
    assert list(first_cycle) == list(CYCLE)
    failed = {d: (o.state, o.failed_tasks) for d, o in first_cycle.items() if o.state != "success"}
    assert not failed


def test_the_cycle_publishes_every_stream_and_scans_deletes(first_cycle, warehouse, dags):
    runs = fetch(warehouse, "select stream, kind, status from ops.sync_runs")
    published = {
        stream for stream, kind, status in runs if kind == "sync" and status == "published"
    }
    scanned = {stream for stream, kind, status in runs if kind == "delete_scan"}
    assert {status for _, _, status in runs} == {"published"}
    assert published == set(CATALOG.streams)
    assert scanned and scanned < published


def test_the_marts_equal_the_demo_odoo_numbers(first_cycle, warehouse, world):
    from demo_world.store import Store

    truth = [tuple(r.values()) for r in Store(world.store_path).query(TRUTH_SQL)]
    mart = fetch(warehouse, MART_SQL)
    assert mart
    assert normalise(mart) == normalise(truth)
    lines = fetch(warehouse, "select count(*) from marts_ops.fct_order_lines")[0][0]
    odoo_lines = Store(world.store_path).query("select count(*) as n from sale_order_line")[0]
    assert lines == odoo_lines["n"]


def test_ops_tables_record_the_build_and_the_reconciliation(first_cycle, warehouse):
    builds = fetch(warehouse, "select status, held_back, selected from ops.mart_builds")
    assert [(status, held) for status, held, _ in builds] == [("success", [])]
    assert builds[0][2] == ["fqn:*"]  # the first build builds everything once
    recon = fetch(
        warehouse, "select open_count, new_count, resolved_count from ops.reconciliation_runs"
    )
    if fetch(warehouse, "select to_regclass('marts_reconciliation.exceptions')")[0][0]:
        assert len(recon) == 1 and recon[0][0] == recon[0][1]  # first run: all open are new
        opened = fetch(warehouse, "select count(*) from ops.reconciliation_exceptions")[0][0]
        assert opened == recon[0][0]


def test_a_gate_failure_stops_only_that_streams_downstream_models(
    first_cycle, dags, warehouse, world, hub_home
):
    # GIVEN a quant that Odoo now reports without a location (the quant gate blocks on it)
    with closing(sqlite3.connect(world.store_path)) as store, store:
        store.execute(
            "update stock_quant set location_id = null where id = (select min(id) from stock_quant)"
        )
    positions = fetch(warehouse, MART_SQL)

    # WHEN the operational sync runs again, and then the marts build
    sync, build = run_cycle({d: dags[d] for d in ("operational_sync", "build_marts")})

    # THEN only the quant stream failed, and the build held its lineage back
    assert sync.state == "failed"
    assert {t.split(".")[0] for t in sync.failed_tasks} == {"odoo__stock_quant"}
    assert build.state == "success"
    held, selected = fetch(
        warehouse,
        "select held_back, selected from ops.mart_builds order by build_id desc limit 1",
    )[0]
    assert held == ["odoo.stock_quant"]
    assert "source:odoo.sale_order_line+" in selected
    built = built_models(hub_home)
    assert {"stg_odoo__sale_order_lines", "fct_order_lines"} <= built
    assert not {"stg_odoo__stock_quants", "fct_inventory_positions"} & built
    assert normalise(fetch(warehouse, MART_SQL)) == normalise(positions)


def built_models(hub_home: Path) -> set[str]:
    """The models the last dbt build ran, from its run_results.json."""
    results = json.loads((hub_home / "dbt" / "target" / "run_results.json").read_text())
    return {
        r["unique_id"].split(".")[-1]
        for r in results["results"]
        if r["unique_id"].startswith("model.")
    }
