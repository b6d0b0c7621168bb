"""The DAGs are wired from the catalog: schedules, write-audit-publish order, Asset lineage.

What matters to the business: every stream is synced by exactly one DAG on the cadence of
its sync class, nothing reaches raw.* unvalidated, a stream's gate only runs once the
streams it references are published, the marts rebuild whenever any raw table is
published, and reconciliation follows the marts.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from airflow.sdk import AssetAny

from reporting_hub.orchestration.assets import CATALOG, EXCEPTIONS, INVENTORY_POSITIONS, MARTS, RAW
from reporting_hub.orchestration.dag_factory import delete_scan_streams, streams_of

SYNC_DAGS = {
    "operational_sync": "realtime",
    "finance_sync": "near_realtime",
    "nightly_finance": "nightly",
}


def upstream(dag, task_id: str) -> set[str]:
    """Every task that must finish before task_id starts (transitively)."""
    return set(dag.get_task(task_id).get_flat_relative_ids(upstream=True))


def produced(dag) -> set[str]:
    return {a.uri for task in dag.tasks for a in task.outlets}


def consumed(dag) -> set[str]:
    condition = dag.timetable.asset_condition
    assert isinstance(condition, AssetAny)
    return {a.uri for a in condition.objects}


@pytest.fixture(params=sorted(SYNC_DAGS))
def sync(request, dagbag):
    return dagbag.dags[request.param], streams_of(SYNC_DAGS[request.param])


def test_every_stream_is_synced_by_the_dag_of_its_sync_class(dagbag):
    owners = {
        s.id: dag_id for dag_id, sync_class in SYNC_DAGS.items() for s in streams_of(sync_class)
    }
    assert set(owners) == set(CATALOG.streams)
    assert {"odoo.sale_order_line", "wms.stock_snapshots", "shop.orders", "carrier.events"} <= {
        s for s, d in owners.items() if d == "operational_sync"
    }
    assert owners["odoo.account_payment"] == "finance_sync"
    assert owners["bank.statement_lines"] == "nightly_finance"


def test_one_group_per_stream_plus_data_docs(sync):
    dag, streams = sync
    expected = {f"{s.table}.{step}" for s in streams for step in ("extract", "validate", "publish")}
    scans = {t for t in dag.task_ids if t.startswith("delete_scans.")}
    assert set(dag.task_ids) - scans == expected | {"refresh_data_docs"}
    assert {f"{s.table}.validate" for s in streams} <= upstream(dag, "refresh_data_docs")


def test_each_stream_is_extracted_then_validated_then_published(sync):
    dag, streams = sync
    for stream in streams:
        assert f"{stream.table}.extract" in upstream(dag, f"{stream.table}.validate")
        assert f"{stream.table}.validate" in upstream(dag, f"{stream.table}.publish")


def test_referencing_streams_are_read_first_and_gated_after_their_targets_publish(sync):
    dag, streams = sync
    ids = {s.id for s in streams}
    pairs = [(s, t) for s in streams for t in set(s.checks.references.values()) - {s.id}]
    for stream, target in pairs:
        if target not in ids:
            continue  # synced by another DAG: its gate reads what that DAG last published
        target_table = target.replace(".", "__")
        assert f"{target_table}.publish" in upstream(dag, f"{stream.table}.validate")
        assert f"{stream.table}.extract" in upstream(dag, f"{target_table}.extract")


def test_quant_gate_runs_after_products_and_locations_are_published(dagbag):
    dag = dagbag.dags["operational_sync"]
    before_gate = upstream(dag, "odoo__stock_quant.validate")
    assert {"odoo__product_product.publish", "odoo__stock_location.publish"} <= before_gate


def test_only_publish_and_delete_scan_tasks_emit_raw_assets(sync):
    dag, streams = sync
    for stream in streams:
        assert dag.get_task(f"{stream.table}.publish").outlets == [RAW[stream.id]]
        for step in ("extract", "validate"):
            assert dag.get_task(f"{stream.table}.{step}").outlets == []
    assert dag.get_task("refresh_data_docs").outlets == []


def test_nightly_scans_every_odoo_keyset_stream_for_deletes(dagbag):
    dag = dagbag.dags["nightly_finance"]
    keyset = delete_scan_streams()
    assert {"odoo.sale_order_line", "odoo.account_move", "odoo.res_partner"} <= {
        s.id for s in keyset
    }
    assert "odoo.stock_quant" not in {s.id for s in keyset}  # a snapshot is re-read whole
    for stream in keyset:
        assert dag.get_task(f"delete_scans.{stream.table}").outlets == [RAW[stream.id]]


def test_every_raw_asset_is_published_by_exactly_one_sync_dag(dagbag):
    published = [
        {a.uri for t in dagbag.dags[d].tasks if t.task_id.endswith(".publish") for a in t.outlets}
        for d in SYNC_DAGS
    ]
    assert sum(len(p) for p in published) == len(set().union(*published))
    assert set().union(*published) == {a.uri for a in RAW.values()}


def test_build_marts_consumes_every_raw_asset_and_produces_the_marts(dagbag):
    dag = dagbag.dags["build_marts"]
    assert consumed(dag) == {a.uri for a in RAW.values()}
    assert dag.get_task("build_marts").outlets == MARTS
    assert INVENTORY_POSITIONS in MARTS
    assert all(not a.name.startswith("marts_reconciliation.") for a in MARTS)


def test_reconcile_consumes_the_marts_and_produces_the_exceptions(dagbag):
    dag = dagbag.dags["reconcile"]
    assert consumed(dag) == {a.uri for a in MARTS}
    assert EXCEPTIONS in dag.get_task("reconcile").outlets
    assert not produced(dag) & consumed(dag)  # no loop back into itself


def test_maintenance_prunes_before_vacuuming(dagbag):
    dag = dagbag.dags["maintenance"]
    assert set(dag.task_ids) == {
        "replay_dead_letters",
        "prune_history",
        "vacuum_hot_tables",
        "refresh_data_docs",
    }
    assert "prune_history" in upstream(dag, "vacuum_hot_tables")


@pytest.mark.parametrize(
    ("dag_id", "expected"),
    [
        ("operational_sync", timedelta(minutes=5)),
        ("finance_sync", timedelta(minutes=15)),
    ],
)
def test_sync_cadences_follow_the_hybrid_schedule(dagbag, dag_id, expected):
    assert dagbag.dags[dag_id].timetable.delta == expected


def test_nightly_runs_at_the_configured_hour_with_the_day_as_its_window(dagbag):
    timetable = dagbag.dags["nightly_finance"].timetable
    assert timetable.expression == "0 2 * * *"
    assert type(timetable).__name__ == "CronDataIntervalTimetable"


def test_raw_assets_are_named_after_their_tables_with_stable_uris():
    quant = RAW["odoo.stock_quant"]
    assert quant.name == "raw.odoo__stock_quant"
    assert quant.uri == "postgres://warehouse:5432/warehouse/raw/odoo__stock_quant"
    assert len({a.uri for a in RAW.values()}) == len(CATALOG.streams)
    assert EXCEPTIONS.uri == "postgres://warehouse:5432/warehouse/marts_reconciliation/exceptions"
