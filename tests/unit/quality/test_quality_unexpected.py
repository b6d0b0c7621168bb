"""Row-level expectations become SQL predicates; the catalog declares statuses and volume."""

from __future__ import annotations

import pytest

from reporting_hub.catalog import CatalogError, VolumeCheck, load_catalog
from reporting_hub.catalog import _parse_checks as parse_checks
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
