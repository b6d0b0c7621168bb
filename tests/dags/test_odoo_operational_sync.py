"""The operational sync DAG is wired from the catalog in write-audit-publish order.

What matters to the business: nothing reaches raw.* unvalidated, a stream's gate only
runs once the streams it references are published, and the marts rebuild only after
every stream has published.
"""

from __future__ import annotations

import pytest

from reporting_hub.assets import CATALOG, INVENTORY_POSITIONS, RAW

DAG_ID = "odoo_operational_sync"
STREAMS = [s for s in CATALOG.for_source("odoo") if s.sync_class == "realtime"]


@pytest.fixture(scope="module")
def dag(dagbag):
    return dagbag.dags[DAG_ID]


def upstream(dag, task_id: str) -> set[str]:
    """Every task that must finish before task_id starts (transitively)."""
    return set(dag.get_task(task_id).get_flat_relative_ids(upstream=True))


def test_one_group_per_stream_plus_the_marts_build(dag):
    expected = {f"{s.table}.{step}" for s in STREAMS for step in ("extract", "validate", "publish")}
    assert set(dag.task_ids) == expected | {"build_marts"}
    assert {"odoo.product_product", "odoo.stock_location", "odoo.stock_quant"} <= {
        s.id for s in STREAMS
    }


@pytest.mark.parametrize("stream", STREAMS, ids=lambda s: s.id)
def test_each_stream_is_extracted_then_validated_then_published(dag, stream):
    assert f"{stream.table}.extract" in upstream(dag, f"{stream.table}.validate")
    assert f"{stream.table}.validate" in upstream(dag, f"{stream.table}.publish")


def test_quant_gate_runs_after_products_and_locations_are_published(dag):
    before_gate = upstream(dag, "odoo__stock_quant.validate")
    assert {"odoo__product_product.publish", "odoo__stock_location.publish"} <= before_gate


@pytest.mark.parametrize(
    ("stream", "target"),
    [(s, t) for s in STREAMS for t in sorted(set(s.checks.references.values()) - {s.id})],
    ids=lambda v: getattr(v, "id", v),
)
def test_referencing_streams_are_read_first_and_gated_last(dag, stream, target):
    target_table = target.replace(".", "__")
    assert f"{target_table}.publish" in upstream(dag, f"{stream.table}.validate")
    assert f"{stream.table}.extract" in upstream(dag, f"{target_table}.extract")


def test_marts_build_after_every_publish_and_select_the_odoo_lineage(dag):
    publishes = {f"{s.table}.publish" for s in STREAMS}
    build = dag.get_task("build_marts")
    assert publishes <= upstream(dag, "build_marts")
    assert list(build.op_args) == [["source:odoo+"]]


def test_publish_tasks_emit_their_raw_asset_and_the_build_emits_the_mart(dag):
    for stream in STREAMS:
        assert dag.get_task(f"{stream.table}.publish").outlets == [RAW[stream.id]]
        for step in ("extract", "validate"):
            assert dag.get_task(f"{stream.table}.{step}").outlets == []
    assert dag.get_task("build_marts").outlets == [INVENTORY_POSITIONS]


def test_raw_assets_are_named_after_their_tables_with_stable_uris():
    quant = RAW["odoo.stock_quant"]
    assert quant.name == "raw.odoo__stock_quant"
    assert quant.uri == "postgres://warehouse:5432/warehouse/raw/odoo__stock_quant"
    assert len({a.uri for a in RAW.values()}) == len(CATALOG.streams)
