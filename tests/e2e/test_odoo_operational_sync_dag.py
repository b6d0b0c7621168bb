"""The real DAG, run in-process with dag.test() against the demo Odoo and a real PostgreSQL.

GIVEN a demo Odoo and an empty warehouse, WHEN odoo_operational_sync runs once, THEN
every task succeeds and fct_inventory_positions equals the demo Odoo's own quants,
summed independently from its store.
"""

from __future__ import annotations

import json
from decimal import Decimal

import psycopg
import pytest
from support.isolation import DAGS_FOLDER

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


@pytest.fixture
def airflow_connections(monkeypatch, warehouse_url, demo_odoo, tmp_path):
    """Point the DAG's connections at this test's warehouse and the demo Odoo."""
    monkeypatch.setenv(
        "AIRFLOW_CONN_WAREHOUSE",
        json.dumps({"conn_type": "postgres", "extra": {"url": warehouse_url}}),
    )
    monkeypatch.setenv(
        "AIRFLOW_CONN_ODOO_DEFAULT",
        json.dumps(
            {
                "conn_type": "http",
                "login": "admin",
                "password": "admin",
                "schema": "demo",
                "extra": {"url": demo_odoo.url, "protocol": "jsonrpc"},
            }
        ),
    )
    monkeypatch.setenv("HUB_HOME", str(tmp_path / "hub"))


@pytest.fixture(scope="module")
def operational_dag():
    from airflow.dag_processing.dagbag import DagBag
    from airflow.utils import db

    db.initdb()
    bag = DagBag(dag_folder=str(DAGS_FOLDER))
    assert not bag.import_errors, bag.import_errors
    dag = bag.dags["odoo_operational_sync"]
    for task in dag.tasks:
        task.retries = 0  # dag.test() would otherwise wait out each retry delay
    return dag


def normalise(rows):
    return sorted(
        (sku, wh, company, *(Decimal(str(v)) for v in nums)) for sku, wh, company, *nums in rows
    )


def test_one_run_publishes_every_stream_and_builds_the_mart(
    operational_dag, airflow_connections, warehouse_url, demo_odoo
):
    from demo_world.store import Store

    run = operational_dag.test()

    states = {ti.task_id: ti.state for ti in run.get_task_instances()}
    assert run.state == "success", states
    assert set(states.values()) == {"success"}
    with psycopg.connect(warehouse_url) as conn:
        mart = conn.execute(MART_SQL).fetchall()
        runs = conn.execute("select stream, status from ops.sync_runs").fetchall()
    truth = [tuple(r.values()) for r in Store(demo_odoo.store_path).query(TRUTH_SQL)]
    assert mart, "the mart is empty"
    assert normalise(mart) == normalise(truth)
    assert {status for _, status in runs} == {"published"}
    assert len(runs) == len(operational_dag.task_group_dict)
