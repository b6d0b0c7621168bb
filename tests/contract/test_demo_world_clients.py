"""The client libraries the pipeline uses work against the demo Odoo unchanged."""

from __future__ import annotations

import odoolib
import odoorpc

FIELDS = ["product_id", "location_id", "quantity", "reserved_quantity", "write_date"]


def rpc_login(world) -> odoorpc.ODOO:
    odoo = odoorpc.ODOO("127.0.0.1", port=world.port)
    odoo.login("demo", "admin", "admin")
    return odoo


def json2_connection(world):
    return odoolib.get_connection(
        hostname="127.0.0.1",
        protocol="json2",
        port=world.port,
        database="demo",
        password=world.api_key,
    )


def test_odoorpc_login_and_search_read(world) -> None:
    odoo = rpc_login(world)
    assert odoo.env.uid == 2 and odoo.env.context["tz"]
    rows = odoo.execute_kw(
        "stock.quant",
        "search_read",
        [[["location_id.usage", "=", "internal"]]],
        {
            "fields": FIELDS,
            "limit": 5,
            "order": "write_date asc, id asc",
            "context": {"active_test": False},
        },
    )
    assert len(rows) == 5
    assert [(r["write_date"], r["id"]) for r in rows] == sorted(
        (r["write_date"], r["id"]) for r in rows
    )
    assert all(
        isinstance(r["product_id"], list) and r["product_id"][1].startswith("[SKU-") for r in rows
    )
    # odoorpc's model proxies go through fields_get without attributes
    assert odoo.env["stock.warehouse"].search([("code", "=", "WH1")]) == [1]


def test_odoo_client_lib_json2(world) -> None:
    conn = json2_connection(world)
    model = conn.get_model("stock.quant")
    named = model.search_read(domain=[], fields=FIELDS, limit=3, order="id asc")
    positional = model.search_read([], FIELDS, limit=3, order="id asc")  # via /doc-bearer
    assert named == positional and len(named) == 3
    assert model.search_count(domain=[]) == world_count(world, "stock_quant")
    assert (
        conn.get_model("stock.location").read([1], ["complete_name"])["complete_name"] == "Vendors"
    )
    assert conn.check_login()


def world_count(world, table: str) -> int:
    from demo_world.store import Store

    store = Store(world.store_path)
    try:
        return store.query(f"SELECT count(*) AS n FROM {table}")[0]["n"]
    finally:
        store.close()


REPORTING_MODELS = [
    "res.company",
    "res.partner",
    "res.currency",
    "product.product",
    "product.template",
    "stock.warehouse",
    "stock.location",
    "stock.quant",
    "stock.picking",
    "stock.move",
    "stock.move.line",
    "sale.order",
    "sale.order.line",
    "purchase.order",
    "purchase.order.line",
    "account.move",
    "account.move.line",
    "account.payment",
    "product.value",
]


def test_both_clients_read_every_reporting_model(world) -> None:
    odoo = rpc_login(world)
    conn = json2_connection(world)
    for name in REPORTING_MODELS:
        fields = ["id", "display_name", "write_date"]
        kwargs = {
            "fields": fields,
            "limit": 50,
            "order": "write_date asc, id asc",
            "context": {"active_test": False},
        }
        via_rpc = odoo.execute_kw(name, "search_read", [[]], kwargs)
        via_json2 = conn.get_model(name).search_read(domain=[], **kwargs)
        assert via_rpc == via_json2 and via_rpc, name
        assert odoo.env[name].search_count([]) == world_count(world, name.replace(".", "_")) or (
            name in ("res.partner", "stock.location", "res.currency")  # archived records
        ), name
