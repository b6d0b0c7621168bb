"""Row-level expectations become SQL predicates; the catalog declares statuses and volume."""

from __future__ import annotations

import pytest

from reporting_hub.catalog import CatalogError, NotInFuture, RowRule, VolumeCheck, load_catalog
from reporting_hub.catalog import _parse_checks as parse_checks
from reporting_hub.catalog import _parse_stream as parse_stream
from reporting_hub.quality.unexpected import level, row_check


@pytest.fixture(scope="module")
def quant():
    return load_catalog().get("odoo.stock_quant")


def entry(expectation: str, **kwargs) -> dict:
    return {"expectation": expectation, "column": kwargs.get("column"), "kwargs": kwargs}


def text(check) -> str:
    return check.predicate.as_string(None)


def test_not_null_and_bounds_predicates(quant):
    # GIVEN failed not-null and bounds results WHEN turned into predicates
    null = row_check(entry("expect_column_values_to_not_be_null", column="location_id"), quant)
    bounds = row_check(
        entry("expect_column_values_to_be_between", column="quantity", min_value=-1, max_value=9),
        quant,
    )
    # THEN they select the null rows, and the rows outside (NaN included) the bounds
    assert text(null) == 'b."location_id" is null'
    assert (
        text(bounds)
        == 'b."quantity" is not null and not (b."quantity" >=  -1 and b."quantity" <= 9)'
    )
    assert null.reason == {
        "expectation": "expect_column_values_to_not_be_null",
        "column": "location_id",
    }


def test_duplicate_key_selects_every_copy_of_the_batch(quant):
    check = row_check(entry("expect_column_values_to_be_unique", column="id"), quant)
    assert text(check) == (
        '(b."id") in (select "id" from (select * from "landing"."odoo__stock_quant" '
        'where _batch_id = %(batch_id)s) d group by "id" having count(*) > 1)'
    )


def test_accepted_values_quote_their_literals(quant):
    check = row_check(
        entry("expect_column_values_to_be_in_set", column="usage", value_set=["internal", "o'dd"]),
        quant,
    )
    assert text(check) == "b.\"usage\" is not null and b.\"usage\" not in ('internal', 'o''dd')"


def test_reference_reuses_the_suites_query_scoped_to_the_batch(quant):
    query = 'select b."id", b."product_id" from {batch} b where b.x like \'%a\''
    check = row_check(entry("unexpected_rows_expectation", unexpected_rows_query=query), quant)
    assert text(check).startswith(
        'exists (select 1 from (select b."id", b."product_id" from (select'
    )
    assert "like '%%a'" in text(check) and text(check).endswith('u where u."id" = b."id")')


def test_a_rule_labels_the_rows_it_rejects(quant):
    # GIVEN a failed row rule's entry WHEN it becomes a check
    query = 'select b."id" from {batch} b join raw.x l on l.id = b."location_id"'
    failed = entry("unexpected_rows_expectation", unexpected_rows_query=query)
    check = row_check({**failed, "rule": "no_negative_internal_on_hand"}, quant)
    # THEN `_reasons` name the rule beside the expectation
    assert check.reason == {
        "expectation": "unexpected_rows_expectation",
        "column": None,
        "rule": "no_negative_internal_on_hand",
    }


@pytest.mark.parametrize(
    ("expectation", "error", "expected"),
    [
        ("expect_column_values_to_not_be_null", None, "row"),
        ("unexpected_rows_expectation", None, "row"),
        ("unexpected_rows_expectation", "relation missing", "batch"),
        ("expect_column_values_to_be_of_type", None, "batch"),
        ("expect_table_row_count_to_be_between", None, "batch"),
    ],
)
def test_level_is_row_only_where_rows_can_be_named(expectation, error, expected):
    assert level({"expectation": expectation, "error": error}) == expected


def test_catalog_checks_declare_statuses_volume_and_bad_row_share():
    checks = parse_checks(
        "odoo.x",
        {
            "accepted_values": {"usage": ["internal"]},
            "volume": {"runs": 5},
            "max_bad_row_share": 0.2,
        },
    )
    assert checks.accepted_values == {"usage": ("internal",)}
    assert checks.volume == VolumeCheck(runs=5, min_runs=3, low=0.5, high=2.0)
    assert checks.max_bad_row_share == 0.2
    assert parse_checks("odoo.x", {"volume": True}).volume == VolumeCheck()
    assert parse_checks("odoo.x", {}).volume is None


@pytest.mark.parametrize(
    "spec",
    [
        {"volume": {"low": 1.5}},
        {"volume": {"runs": 2}},
        {"volume": {"nope": 1}},
        {"max_bad_row_share": 2},
    ],
)
def test_catalog_rejects_bad_check_settings(spec):
    with pytest.raises(CatalogError, match="odoo.x"):
        parse_checks("odoo.x", spec)


RULE = {
    "name": "no_negative",
    "description": "d",
    "unexpected_rows_query": 'select b."id" from {batch} b join raw.x l on l.id = b.x',
}


def test_catalog_checks_declare_future_dates_and_row_rules():
    checks = parse_checks(
        "odoo.x", {"not_in_future": {"columns": ["write_date"]}, "row_rules": [RULE]}
    )
    assert checks.not_in_future == NotInFuture(("write_date",), skew_minutes=5)
    assert checks.row_rules == (RowRule(**RULE),)


@pytest.mark.parametrize(
    "spec",
    [
        {"not_in_future": {"columns": []}},
        {"not_in_future": {"columns": ["d"], "skew_minutes": -1}},
        {"not_in_future": {"columns": ["d"], "skew": 5}},
        {"row_rules": [RULE, RULE]},
        {"row_rules": [{**RULE, "name": "no negative"}]},
        {"row_rules": [{**RULE, "unexpected_rows_query": "select 1 from x join y on true"}]},
        {"row_rules": [{**RULE, "unexpected_rows_query": "select b.id from {batch} b"}]},
        {"row_rules": [{**RULE, "unexpected_rows_query": RULE["unexpected_rows_query"] + "{x}"}]},
        {"row_rules": [{"name": "r", "query": "q"}]},
    ],
)
def test_catalog_rejects_bad_domain_checks(spec):
    with pytest.raises(CatalogError, match="odoo.x"):
        parse_checks("odoo.x", spec)


def test_not_in_future_names_declared_fields_only():
    spec = {
        "source": "odoo", "object": "x", "primary_key": ["id"], "cursor": "snapshot",
        "fields": ["id"], "sync_class": "realtime", "page_size": 1, "quality_suite": "x",
        "row_failure_policy": "block", "checks": {"not_in_future": {"columns": ["nope"]}},
    }  # fmt: skip
    with pytest.raises(CatalogError, match="not_in_future names 'nope'"):
        parse_stream("odoo.x", spec)
