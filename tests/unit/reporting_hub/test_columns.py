"""Odoo field types map to warehouse columns and values as docs/contracts.md says."""

import json

import pytest

from reporting_hub.load.columns import UnsupportedFieldType, columns_of, map_field, row_converter

FIELDS = {
    "id": {"type": "integer"},
    "product_id": {"type": "many2one", "relation": "product.product"},
    "quantity": {"type": "float"},
    "name": {"type": "char"},
    "usage": {"type": "selection"},
    "active": {"type": "boolean"},
    "inventory_date": {"type": "date"},
    "write_date": {"type": "datetime"},
    "tag_ids": {"type": "many2many"},
}


def mappings():
    return [map_field(name, meta) for name, meta in FIELDS.items()]


def test_columns_and_types():
    cols = [(c.name, c.pg_type) for c in columns_of(mappings())]
    assert cols == [
        ("id", "bigint"),
        ("product_id", "bigint"),
        ("product_id_name", "text"),
        ("quantity", "numeric"),
        ("name", "text"),
        ("usage", "text"),
        ("active", "boolean"),
        ("inventory_date", "date"),
        ("write_date", "timestamptz"),
        ("tag_ids", "jsonb"),
    ]


def test_values_from_a_real_shaped_record():
    convert = row_converter(mappings())
    record = {
        "id": 3,
        "product_id": [20, "[E-COM07] Large Cabinet"],
        "quantity": 500.0,
        "name": "WH/Stock",
        "usage": "internal",
        "active": True,
        "inventory_date": "2026-12-31",
        "write_date": "2026-11-27 02:20:37",
        "tag_ids": [4, 5],
    }
    row = convert(record)
    assert row[:4] == [3, 20, "[E-COM07] Large Cabinet", 500.0]
    assert row[8] == "2026-11-27 02:20:37+00"  # naive UTC made explicit
    assert json.loads(row[9]) == [4, 5]


def test_odoo_false_is_null_except_for_booleans():
    convert = row_converter(mappings())
    row = convert({name: False for name in FIELDS})
    assert row == [None, None, None, None, None, None, False, None, None, "[]"]


def test_unsupported_type_is_named():
    with pytest.raises(UnsupportedFieldType, match="'image_1920'.*'binary'"):
        map_field("image_1920", {"type": "binary"})
