"""The quality gate on real PostgreSQL: each family of checks blocks a crafted bad batch."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from reporting_hub.quality.docs import refresh_data_docs
from reporting_hub.quality.gate import GateFailed, enforce, run_gate

BATCH_ROWS = 50


@pytest.fixture
def stock_quant(catalog):
    return catalog.get("odoo.stock_quant")


@pytest.fixture
def clean_rows(quant):
    return [quant(i) for i in range(1, BATCH_ROWS + 1)]


def failed_checks(result) -> set[tuple[str, str | None]]:
    return {(r["expectation"], r["column"]) for r in result.results if not r["success"]}


def test_clean_batch_passes(stock_quant, land, clean_rows, warehouse):
    # GIVEN a batch whose every row is valid
    batch_id = land(clean_rows)
    # WHEN the gate runs on it
    result = run_gate(stock_quant, batch_id, warehouse)
    # THEN every expectation passes and enforce lets it through
    assert result.success, result.failures
    assert (result.evaluated, result.failed, result.failures) == (len(result.results), 0, [])
    assert result.suite == "odoo_stock_quant"
    assert enforce(result) is result


@pytest.mark.parametrize(
    ("bad_row", "expectation", "column"),
    [
        pytest.param({"id": None}, "expect_column_values_to_not_be_null", "id", id="null key"),
        pytest.param({"id": 7}, "expect_column_values_to_be_unique", "id", id="duplicate key"),
        pytest.param(
            {"location_id": None},
            "expect_column_values_to_not_be_null",
            "location_id",
            id="null declared column",
        ),
        pytest.param(
            {"quantity": Decimal("NaN")},
            "expect_column_values_to_be_between",
            "quantity",
            id="NaN quantity",
        ),
        pytest.param(
            {"reserved_quantity": Decimal("2e12")},
            "expect_column_values_to_be_between",
            "reserved_quantity",
            id="insane quantity",
        ),
        pytest.param(
            {"product_id": 999}, "unexpected_rows_expectation", "product_id", id="unknown product"
        ),
        pytest.param(
            {"location_id": 404},
            "unexpected_rows_expectation",
            "location_id",
            id="unknown location",
        ),
    ],
)
def test_bad_row_fails_its_check(
    stock_quant, land, clean_rows, quant, warehouse, bad_row, expectation, column
):
    # GIVEN a valid batch plus one row that is bad in exactly one way
    batch_id = land([*clean_rows, quant(BATCH_ROWS + 1, **bad_row)])
    # WHEN the gate runs on it
    result = run_gate(stock_quant, batch_id, warehouse)
    # THEN exactly that check fails, and its sentence names the column and the count
    assert not result.success
    assert failed_checks(result) == {(expectation, column)}
    assert result.failed == 1
    (sentence,) = result.failures
    assert expectation in sentence and column in sentence
    assert "1 " in sentence or "2 " in sentence


def test_failure_names_sample_keys_and_values(stock_quant, land, clean_rows, quant, warehouse):
    # GIVEN a batch with two quants of products nobody published
    batch_id = land([*clean_rows, quant(901, product_id=999), quant(902, product_id=998)])
    # WHEN the gate runs on it
    result = run_gate(stock_quant, batch_id, warehouse)
    # THEN the failure lists the offending keys and the dangling product ids
    (entry,) = [r for r in result.results if not r["success"]]
    assert entry["unexpected_count"] == 2
    assert sorted(k["id"] for k in entry["sample_keys"]) == [901, 902]
    assert sorted(entry["sample_values"]) == [998, 999]
    assert "id=901" in result.failures[0] and "999" in result.failures[0]


def test_nan_is_reported_with_keys_not_an_exception(
    stock_quant, land, clean_rows, quant, warehouse
):
    # GIVEN two NaN quantities (numeric NaN cannot be ordered, which trips GX's value ranking)
    nan = Decimal("NaN")
    batch_id = land([*clean_rows, quant(801, quantity=nan), quant(802, quantity=nan)])
    # WHEN the gate runs on it
    result = run_gate(stock_quant, batch_id, warehouse)
    # THEN the bounds check counts them and names their keys
    (entry,) = [r for r in result.results if not r["success"]]
    assert entry["error"] is None
    assert entry["unexpected_count"] == 2
    assert entry["sample_keys"] == [{"id": 801}, {"id": 802}]


def test_other_batches_do_not_affect_the_verdict(stock_quant, land, clean_rows, quant, warehouse):
    # GIVEN a thoroughly bad batch and a clean one in the same landing table
    bad = land([quant(1, id=None), quant(2, quantity=Decimal("NaN"), product_id=999)])
    clean = land(clean_rows)
    # WHEN the gate runs on each
    bad_result = run_gate(stock_quant, bad, warehouse)
    clean_result = run_gate(stock_quant, clean, warehouse)
    # THEN each verdict is about its own rows only
    assert clean_result.success, clean_result.failures
    assert not bad_result.success
    assert {r["element_count"] for r in clean_result.results} - {None} == {BATCH_ROWS}


def test_every_run_is_recorded(stock_quant, land, clean_rows, quant, warehouse):
    # GIVEN one clean and one bad batch
    clean = land(clean_rows)
    bad = land([*clean_rows, quant(999, id=1, product_id=999)])
    # WHEN the gate runs on both
    passed, failed = run_gate(stock_quant, clean, warehouse), run_gate(stock_quant, bad, warehouse)
    # THEN ops.validation_runs holds one row each, with the verdict and the evidence
    with psycopg.connect(warehouse) as conn:
        rows = conn.execute(
            "select batch_id, stream, suite, success, evaluated, failed, results "
            "from ops.validation_runs where batch_id in (%s, %s) order by validation_run_id",
            (clean, bad),
        ).fetchall()
    assert [r[:6] for r in rows] == [
        (clean, "odoo.stock_quant", "odoo_stock_quant", True, passed.evaluated, 0),
        (bad, "odoo.stock_quant", "odoo_stock_quant", False, failed.evaluated, 2),
    ]
    assert rows[1][6] == failed.results


def test_enforce_raises_with_every_failure(stock_quant, land, clean_rows, quant, warehouse):
    # GIVEN a batch with a duplicate key and an unknown location
    batch_id = land([*clean_rows, quant(BATCH_ROWS + 1, id=3, location_id=404)])
    result = run_gate(stock_quant, batch_id, warehouse)
    # WHEN the pipeline enforces the verdict
    with pytest.raises(GateFailed) as raised:
        enforce(result)
    # THEN the error carries the result and names each failure
    assert raised.value.result is result
    assert "expect_column_values_to_be_unique on id" in str(raised.value)
    assert "unexpected_rows_expectation on location_id" in str(raised.value)


def test_empty_snapshot_is_blocked(stock_quant, warehouse):
    # GIVEN a snapshot stream whose batch landed no rows
    # WHEN the gate runs on it
    result = run_gate(stock_quant, "odoo__stock_quant-never-landed", warehouse)
    # THEN it fails: publishing it would empty raw
    assert not result.success
    assert "empty snapshot" in result.failures[0]


def test_empty_incremental_batch_passes(catalog, warehouse):
    # GIVEN an incremental stream with nothing new this run
    stream = catalog.get("odoo.stock_location")
    # WHEN the gate runs on its empty batch
    result = run_gate(stream, "odoo__stock_location-nothing-new", warehouse)
    # THEN there is nothing to block
    assert result.success and result.evaluated == 0


def test_suite_follows_the_stream(catalog, land, warehouse):
    # GIVEN a stock.location batch with a nameless location (its catalog says name not null)
    rows = [
        {"id": 1, "name": "Stock", "usage": "internal"},
        {"id": 2, "name": None, "usage": "view"},
    ]
    batch_id = land(rows, table="odoo__stock_location")
    # WHEN the gate runs with that stream
    result = run_gate(catalog.get("odoo.stock_location"), batch_id, warehouse)
    # THEN its own suite catches it
    assert result.suite == "odoo_stock_location"
    assert failed_checks(result) == {("expect_column_values_to_not_be_null", "name")}


def test_data_docs_are_rebuilt(stock_quant, land, clean_rows, warehouse, gx_root: Path):
    # GIVEN a gate run, and the cycle's Data Docs refresh
    run_gate(stock_quant, land(clean_rows), warehouse)
    index = refresh_data_docs(warehouse)
    # WHEN a steward opens Data Docs
    assert index == gx_root / "gx/uncommitted/data_docs/local_site/index.html"
    # THEN the site exists and lists the suite
    assert index.exists()
    assert "odoo_stock_quant" in index.read_text()


def test_committed_config_holds_no_secret(stock_quant, land, clean_rows, warehouse, gx_root):
    # GIVEN a gate run against a warehouse URL
    run_gate(stock_quant, land(clean_rows), warehouse)
    # WHEN the config GX persists outside uncommitted/ is read
    committed = [p for p in (gx_root / "gx").rglob("*") if "uncommitted" not in p.parts]
    text = "".join(p.read_text() for p in committed if p.is_file())
    # THEN it names the URL by placeholder only
    assert "${WAREHOUSE_URL}" in text
    assert warehouse not in text and "127.0.0.1" not in text
