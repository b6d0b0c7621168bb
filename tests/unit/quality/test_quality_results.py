"""Validation results become JSON-safe rows, one sentence per failure, and a loud verdict."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from reporting_hub.quality.gate import GateFailed, GateResult, enforce
from reporting_hub.quality.results import describe, jsonable, key_rows


def entry(**changes):
    base = {
        "expectation": "expect_column_values_to_not_be_null",
        "column": "location_id",
        "kwargs": {"column": "location_id"},
        "success": False,
        "observed_value": None,
        "element_count": 5000,
        "unexpected_count": 3,
        "sample_keys": [{"id": 11}, {"id": 12}],
        "sample_values": [],
        "error": None,
    }
    return {**base, **changes}


def test_sentence_names_check_column_count_and_keys():
    # GIVEN a failed not-null check on three rows
    # WHEN it is described
    sentence = describe(entry())
    # THEN a reader learns what, where, how many and which rows
    assert sentence == (
        "expect_column_values_to_not_be_null on location_id: 3 of 5000 rows unexpected; "
        "sample keys (id=11), (id=12)"
    )


def test_sentence_for_a_check_that_could_not_run():
    # GIVEN a reference check whose target table is missing
    failed = entry(expectation="unexpected_rows_expectation", error="relation does not exist")
    # WHEN it is described
    # THEN the reason is given instead of a count
    assert describe(failed).endswith("could not be evaluated: relation does not exist")


def test_sentence_for_an_observed_value_check():
    # GIVEN a type check that saw text where numeric was declared
    failed = entry(
        expectation="expect_column_values_to_be_of_type",
        kwargs={"column": "quantity", "type_": "NUMERIC"},
        column="quantity",
        observed_value="TEXT",
        unexpected_count=None,
    )
    # WHEN it is described
    # THEN the observation and the expectation are both in the sentence
    assert describe(failed) == (
        "expect_column_values_to_be_of_type on quantity: observed 'TEXT' (type_=NUMERIC)"
    )


def test_jsonable_makes_database_values_storable_in_jsonb():
    # GIVEN values as the database returns them, NaN included
    raw = {"q": Decimal("NaN"), "inf": float("inf"), "at": datetime(2026, 3, 31, tzinfo=UTC)}
    # WHEN they are made JSON-safe
    safe = jsonable({**raw, "n": Decimal("1.5"), "keys": ({"id": 1},)})
    # THEN strict JSON accepts them (no NaN tokens) and numbers stay numbers
    json.dumps(safe, allow_nan=False)
    assert safe == {
        "q": "NaN",
        "inf": "inf",
        "at": "2026-03-31T00:00:00+00:00",
        "n": 1.5,
        "keys": [{"id": 1}],
    }


def test_column_wise_keys_become_rows():
    # GIVEN GX's column-wise key list (what it returns when values are excluded)
    # WHEN it is turned into rows
    # THEN each row is one key, as with GX's row-wise form
    assert key_rows([{"id": [3, 4], "company_id": [1, 1]}]) == [
        {"id": 3, "company_id": 1},
        {"id": 4, "company_id": 1},
    ]
    assert key_rows([{"id": 3}]) == [{"id": 3}]
    assert key_rows(None) == []


def test_enforce_raises_on_failure_and_lists_it():
    # GIVEN a failed verdict
    result = GateResult(False, "odoo.stock_quant", "b1", "odoo_stock_quant", 12, 1, ["x on y"], [])
    # WHEN it is enforced
    with pytest.raises(GateFailed, match="failed 1 of 12 expectations.*x on y") as raised:
        enforce(result)
    # THEN the result travels with the error
    assert raised.value.result is result
