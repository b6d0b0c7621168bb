"""Suites are built from the catalog declaration, one family of checks per function."""

from __future__ import annotations

from dataclasses import replace

import pytest

from reporting_hub.catalog import load_catalog
from reporting_hub.quality.suites import (
    NOT_IN_FUTURE,
    NUMERIC_BOUND,
    build_suite,
    key_expectations,
    not_in_future_query,
    reference_query,
)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def checks_of(suite) -> list[tuple[str, str | None]]:
    return [(e.expectation_type, e.configuration.kwargs.get("column")) for e in suite.expectations]


@pytest.mark.parametrize("stream_id", list(load_catalog().streams))
def test_every_declared_check_becomes_an_expectation(catalog, stream_id):
    # GIVEN a stream of the real catalog
    stream = catalog.get(stream_id)
    # WHEN its suite is built
    suite = build_suite(stream)
    checks = checks_of(suite)
    # THEN keys, not-nulls, numerics and references each have their expectation
    assert suite.name == stream.quality_suite
    for key in stream.primary_key:
        assert ("expect_column_values_to_not_be_null", key) in checks
    for column in stream.checks.not_null:
        assert ("expect_column_values_to_not_be_null", column) in checks
    for column in stream.checks.numeric:
        assert ("expect_column_values_to_be_between", column) in checks
        assert ("expect_column_values_to_be_of_type", column) in checks
    queries = [e for e in suite.expectations if e.expectation_type.startswith("unexpected_rows")]
    references = [e.meta["column"] for e in queries if "rule" not in e.meta]
    assert sorted(references) == sorted(stream.checks.references)
    # AND each not-in-future column and each row rule has its query, labelled by rule
    future = [e.meta["column"] for e in queries if e.meta.get("rule") == NOT_IN_FUTURE]
    declared = stream.checks.not_in_future
    assert future == list(declared.columns if declared else ())
    rules = [e.meta["rule"] for e in queries if "column" not in e.meta]
    assert rules == [rule.name for rule in stream.checks.row_rules]


def test_numeric_bounds_are_finite_and_symmetric(catalog):
    # GIVEN the stock.quant stream, which declares numeric quantities
    suite = build_suite(catalog.get("odoo.stock_quant"))
    # WHEN its bounds checks are read
    bounds = [
        e for e in suite.expectations if e.expectation_type == "expect_column_values_to_be_between"
    ]
    # THEN each allows exactly the sane range
    assert {(e.min_value, e.max_value) for e in bounds} == {(-NUMERIC_BOUND, NUMERIC_BOUND)}


def test_compound_key_is_unique_as_a_whole(catalog):
    # GIVEN a stream keyed on two columns
    stream = replace(catalog.get("odoo.stock_quant"), primary_key=("id", "location_id"))
    # WHEN its key checks are built
    expectations = key_expectations(stream)
    # THEN each column is not null and the pair is unique (not each column alone)
    types = [e.expectation_type for e in expectations]
    assert types.count("expect_column_values_to_not_be_null") == 2
    assert "expect_compound_columns_to_be_unique" in types
    assert "expect_column_values_to_be_unique" not in types


def test_reference_query_is_a_batch_scoped_anti_join(catalog):
    # GIVEN stock.quant's product reference
    stream = catalog.get("odoo.stock_quant")
    # WHEN its query is built
    query = reference_query(stream, "product_id", "odoo.product_product")
    # THEN it reads the batch, joins the published target on id, keeps only dangling values
    assert (
        'from {batch} b left join raw."odoo__product_product" r on r.id = b."product_id"' in query
    )
    assert query.endswith('where b."product_id" is not null and r.id is null')
    assert query.startswith('select b."id", b."product_id"')


def test_building_a_suite_twice_gives_the_same_checks(catalog):
    # GIVEN the same stream
    stream = catalog.get("odoo.stock_warehouse")
    # WHEN its suite is built twice
    first, second = build_suite(stream), build_suite(stream)
    # THEN the checks are equal, so a rerun has nothing to save
    assert checks_of(first) == checks_of(second)
    assert first.expectations == second.expectations


def test_not_in_future_query_judges_dates_as_dates_and_instants_as_instants(catalog):
    # GIVEN account.move's accounting date, checked with a 5 minute skew
    query = not_in_future_query(catalog.get("odoo.account_move"), "date", 5)
    # THEN the database clock bounds it: a date at the latest time zone, else the instant
    assert query.startswith('select b."id", b."date" from {batch} b cross join')
    assert "now() + interval '5 minutes'" in query
    assert "b.\"date\"::date > (latest.at at time zone 'Etc/GMT-14')::date" in query
    assert query.endswith('else b."date"::timestamptz > latest.at end')
