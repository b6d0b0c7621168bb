"""Catalog fields (Odoo 19 names) are read from what older servers call them."""

import pytest

from reporting_hub.catalog import Checks, Stream
from reporting_hub.load.columns import columns_of
from reporting_hub.sources.odoo import extract as odoo
from reporting_hub.sources.odoo.client import OdooUnknownField
from reporting_hub.sources.odoo.versions import resolve


def stream(model, fields):
    return Stream(
        id=f"odoo.{model.replace('.', '_')}",
        source="odoo",
        object=model,
        primary_key=("id",),
        cursor="write_date,id",
        fields=tuple(fields),
        sync_class="realtime",
        page_size=100,
        lookback_minutes=10,
        quality_suite="s",
        row_failure_policy="block",
        checks=Checks(),
    )


class Server:
    def __init__(self, version, fields):
        self.server_version = version
        self.fields = fields

    def execute(self, model, method, **kwargs):
        assert method == "fields_get"
        return self.fields


V17_PRODUCT = {
    "id": {"type": "integer"},
    "detailed_type": {"type": "selection"},
    "write_date": {"type": "datetime"},
    "name": {"type": "char"},
}
V17_PAYMENT = {
    "id": {"type": "integer"},
    "ref": {"type": "char"},
    "write_date": {"type": "datetime"},
}


def test_odoo_19_reads_every_field_by_its_own_name():
    assert [s.source for s in resolve("account.payment", ("id", "memo"), 19)] == ["id", "memo"]
    assert [s.source for s in resolve("account.payment", ("id", "memo"), 18)] == ["id", "memo"]


def test_odoo_17_payment_memo_comes_from_ref():
    shape = odoo.describe(
        Server((17, 0), V17_PAYMENT), stream("account.payment", ["id", "memo", "write_date"])
    )
    assert shape.request_fields == ["id", "ref", "write_date"]
    assert [c.name for c in columns_of(shape.mappings)] == ["id", "memo", "write_date"]
    row = shape.converter()({"id": 1, "ref": "INV/2026/0001", "write_date": "2026-01-01 00:00:00"})
    assert row[1] == "INV/2026/0001"


@pytest.mark.parametrize(
    ("detailed_type", "storable"), [("product", True), ("consu", False), ("service", False)]
)
def test_odoo_17_storability_comes_from_detailed_type(detailed_type, storable):
    shape = odoo.describe(
        Server((17, 0), V17_PRODUCT), stream("product.product", ["id", "is_storable", "write_date"])
    )
    assert ("is_storable", "boolean") in [(c.name, c.pg_type) for c in columns_of(shape.mappings)]
    row = shape.converter()({"id": 1, "detailed_type": detailed_type, "write_date": False})
    assert row[1] is storable


def test_fields_new_in_19_land_as_null_on_older_servers():
    moves = {"id": {"type": "integer"}, "write_date": {"type": "datetime"}}
    shape = odoo.describe(
        Server((18, 0), moves), stream("stock.move", ["id", "value", "write_date"])
    )
    assert shape.request_fields == ["id", "write_date"]
    assert shape.converter()({"id": 4, "write_date": False})[1] is None


def test_missing_field_names_field_model_and_version():
    with pytest.raises(
        OdooUnknownField, match=r"memo do not exist on model account\.payment of Odoo 19\.0"
    ):
        odoo.describe(Server((19, 0), V17_PAYMENT), stream("account.payment", ["id", "memo"]))


def test_unloaded_server_fields_are_reported():
    shape = odoo.describe(
        Server((17, 0), V17_PRODUCT), stream("product.product", ["id", "write_date"])
    )
    assert shape.unloaded == {"detailed_type": "selection", "name": "char"}
