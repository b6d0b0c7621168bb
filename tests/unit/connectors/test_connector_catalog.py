"""Catalog keys of the non-Odoo streams: typed columns, file lineage, per-cursor options."""

import pytest
from support.catalogs import file_stream, load

from reporting_hub.catalog import CatalogError, load_catalog

FILES = file_stream("wms", "stock", "stock_*.csv", "item_code", "{item_code: text, qty: numeric}")


def test_a_file_stream_gets_its_typed_columns_plus_lineage(tmp_path):
    stream = load(tmp_path, FILES).get("wms.stock")

    assert stream.columns == (
        ("item_code", "text"),
        ("qty", "numeric"),
        ("_source_file", "text"),
        ("_source_line", "bigint"),
    )
    assert stream.fields == ("item_code", "qty", "_source_file", "_source_line")
    assert (stream.pattern, stream.delimiter, stream.max_files) == ("stock_*.csv", ",", None)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("qty: numeric", "qty: money"), r"wms\.stock: columns\.qty='money', expected one of"),
        (("    pattern: stock_*.csv\n", ""), r"wms\.stock: missing required key 'pattern'"),
        (("cursor: files", "cursor: updated_at"), r"wms\.stock: pattern applies to cursor files"),
        (
            ("    columns: {item_code: text, qty: numeric}\n", "    fields: [item_code]\n"),
            r"wms\.stock: missing required key 'columns'",
        ),
        (
            ("qty: numeric}", "qty: numeric, _source_line: bigint}"),
            r"wms\.stock: columns\._source_line is reserved",
        ),
        (
            ("    cursor: files\n", "    cursor: files\n    delimiter: ';;'\n"),
            r"wms\.stock: delimiter must be one character",
        ),
        (
            ("    cursor: files\n", "    cursor: files\n    max_files: 0\n"),
            r"wms\.stock: max_files must be at least 1",
        ),
    ],
)
def test_mistakes_are_refused_naming_stream_and_key(tmp_path, change, message):
    with pytest.raises(CatalogError, match=message):
        load(tmp_path, FILES.replace(*change))


def test_rest_streams_need_an_endpoint_path_and_their_cursor_column(tmp_path):
    body = FILES.replace("    pattern: stock_*.csv\n", "    endpoint: /orders.json\n").replace(
        "cursor: files", "cursor: updated_at"
    )
    with pytest.raises(CatalogError, match=r"'updated_at' is used as key or cursor"):
        load(tmp_path, body)
    with pytest.raises(CatalogError, match=r"wms\.stock: endpoint must be a path"):
        load(tmp_path, body.replace("/orders.json", "orders.json"))


def test_odoo_streams_keep_fields_and_odoo_cursors(tmp_path):
    body = FILES.replace("source: wms", "source: odoo")
    with pytest.raises(CatalogError, match=r"wms\.stock: columns is for sources without"):
        load(tmp_path, body)


def test_the_shipped_catalog_declares_every_system():
    sources = {s.source for s in load_catalog().streams.values()}
    assert {"wms", "shop", "carrier", "bank"} <= sources
