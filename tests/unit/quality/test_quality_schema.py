"""Drift is a source or loader problem; a field retired from the catalog is not drift."""

from reporting_hub.catalog import load_catalog
from reporting_hub.quality.schema import column_drift


def shape(stream, extra=()):
    cols = {f: "text" for f in stream.fields}
    cols.update({c: "text" for c in extra})
    return cols


def test_a_field_dropped_from_the_catalog_leaves_a_column_that_is_not_drift():
    stream = load_catalog().get("odoo.stock_warehouse")
    legacy = ("old_field", "old_field_name")
    assert column_drift(stream, shape(stream, legacy), shape(stream, legacy)) == {}


def test_an_undeclared_column_only_in_landing_is_drift():
    stream = load_catalog().get("odoo.stock_warehouse")
    drift = column_drift(stream, shape(stream, ["surprise"]), shape(stream))
    assert drift["undeclared"] == ["surprise"]


def test_a_declared_field_missing_from_the_batch_is_drift():
    stream = load_catalog().get("odoo.stock_warehouse")
    landed = shape(stream)
    landed.pop("code")
    assert column_drift(stream, landed, {})["missing"] == ["code"]
