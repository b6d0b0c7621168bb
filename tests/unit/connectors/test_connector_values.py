"""Typed values from text and JSON: NULLs, numbers, times; a bad value names its column."""

import datetime as dt
from decimal import Decimal

import pytest

from reporting_hub.catalog import COLUMN_TYPES
from reporting_hub.load.columns import Column
from reporting_hub.sources.values import (
    JSON_PARSERS,
    TEXT_PARSERS,
    column_parser,
    record_converter,
    unloaded_keys,
)


def parse(pg_type, value, parsers=TEXT_PARSERS):
    return column_parser(parsers, Column("c", pg_type))(value)


def test_every_catalog_type_has_a_parser_for_text_and_for_json():
    assert set(COLUMN_TYPES) == set(TEXT_PARSERS) == set(JSON_PARSERS)


@pytest.mark.parametrize(
    ("pg_type", "text", "value"),
    [
        ("numeric", "-1234.50", Decimal("-1234.50")),
        ("bigint", "42", 42),
        ("date", "2026-03-31", dt.date(2026, 3, 31)),
        ("timestamptz", "2026-03-31T23:00:00Z", dt.datetime(2026, 3, 31, 23, tzinfo=dt.UTC)),
        ("boolean", "true", True),
        ("jsonb", "[1, 2]", "[1, 2]"),
        ("text", "", None),
        ("numeric", "", None),
    ],
)
def test_text_values_are_typed(pg_type, text, value):
    assert parse(pg_type, text) == value


@pytest.mark.parametrize(
    ("pg_type", "text"),
    [
        ("numeric", "12 pcs"),
        ("numeric", "NaN"),
        ("numeric", "1_000"),
        ("bigint", "4.5"),
        ("timestamptz", "2026-03-31 23:00:00"),  # no offset: which zone?
        ("date", "31/03/2026"),
        ("jsonb", "{broken"),
    ],
)
def test_bad_text_values_raise_naming_the_column(pg_type, text):
    with pytest.raises(ValueError, match=rf"column c \({pg_type}\)"):
        parse(pg_type, text)


def test_json_records_convert_by_name_and_report_unknown_keys():
    columns = [Column("id", "bigint"), Column("total", "numeric"), Column("lines", "jsonb")]
    record = {"id": 7, "total": "10.50", "lines": [{"sku": "A"}], "note": "x"}

    assert record_converter(columns)(record) == [7, Decimal("10.50"), '[{"sku":"A"}]']
    assert unloaded_keys(record, columns) == {"note": "str"}
    with pytest.raises(ValueError, match="column id"):
        record_converter(columns)({"id": 1.5})
