"""The governed marts on a synced demo world: KPIs equal the figures the demo store holds.

GIVEN the tiny demo world (seed 7301) synced from all five systems into a fresh warehouse,
WHEN `dbt_build` runs the whole project once (module scope), THEN the executive KPIs
match figures computed independently from the demo world's own store, every source status
is mapped except the carrier codes the scenario engine injected, and every contracted mart
stands in the warehouse with its primary key.
"""

from __future__ import annotations

from decimal import Decimal

import psycopg
import pytest
from support.connectors import settings_for

from demo_world.scenarios import manifest
from demo_world.store import Store
from reporting_hub import pipeline
from reporting_hub.catalog import load_catalog
from reporting_hub.transform.dbt import DbtResult, dbt_build
from reporting_hub.warehouse.migrate import migrate

CONTRACTED_MARTS = {
    "marts_ops": ["fct_order_lines", "fct_shipments", "fct_returns", "fct_purchase_receipts",
                  "fct_inventory_positions", "fct_inventory_daily"],
    "marts_finance": ["fct_invoices", "fct_payments", "fct_receivables_aging",
                      "fct_revenue_recognition"],
    "marts_core": ["dim_products", "dim_customers", "dim_vendors", "dim_warehouses",
                   "dim_companies", "dim_dates"],
    "marts_exec": ["kpi_daily"],
}  # fmt: skip


@pytest.fixture(scope="module")
def built(make_module_warehouse, demo_odoo, tmp_path_factory: pytest.TempPathFactory) -> tuple:
    """A module-scoped warehouse: every stream of every system synced, then one dbt build."""
    url = make_module_warehouse()
    migrate(url)
    settings = settings_for(demo_odoo, url, tmp_path_factory.mktemp("hub"), with_odoo=True)
    outcomes = pipeline.sync_many(list(load_catalog().streams), settings)
    assert not [o for o in outcomes if o.get("error")]
    result = dbt_build(None, url, settings.home)
    return url, result, Store(demo_odoo.store_path)


def rows(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()


def test_build_passes_every_model_test_and_unit_test(built) -> None:
    _, result, _ = built

    assert isinstance(result, DbtResult)
    assert set(result.by_status) <= {"success", "pass", "no-op"}
    assert result.by_type["unit_test"] >= 5
    assert result.by_type["snapshot"] == 3


def test_revenue_per_company_equals_posted_invoices_minus_credit_notes(built) -> None:
    url, _, store = built
    expected = {
        r["company_id"]: Decimal(str(r["revenue"])).quantize(Decimal("0.01"))
        for r in store.query(
            "select company_id, sum(case move_type when 'out_refund' then -amount_untaxed"
            " else amount_untaxed end) as revenue from account_move"
            " where state = 'posted' and move_type in ('out_invoice', 'out_refund')"
            " group by company_id"
        )
    }

    actual = dict(
        rows(
            url,
            "select company_id, sum(revenue) from marts_exec.kpi_daily"
            " where channel = '(all)' group by company_id",
        )
    )

    assert actual == expected


def test_orders_count_equals_confirmed_sale_orders(built) -> None:
    url, _, store = built
    expected = {
        r["company_id"]: r["n"]
        for r in store.query(
            "select company_id, count(*) as n from sale_order where state = 'sale'"
            " group by company_id"
        )
    }

    by_channel = dict(
        rows(
            url,
            "select company_id, sum(orders) from marts_exec.kpi_daily"
            " where channel != '(all)' group by company_id",
        )
    )
    overall = dict(
        rows(
            url,
            "select company_id, sum(orders) from marts_exec.kpi_daily"
            " where channel = '(all)' group by company_id",
        )
    )

    assert by_channel == overall == expected


def test_line_fill_rate_equals_first_delivery_coverage(built) -> None:
    url, _, store = built
    # Lines of confirmed orders that left the warehouse; filled = the first delivery (a
    # picking that is no backorder) carried the whole ordered quantity.
    (store_rate,) = store.query(
        "with shipped as ("
        " select l.id, l.product_uom_qty as ordered,"
        " sum(case when p.backorder_id is null then m.quantity else 0 end) as first_qty"
        " from sale_order_line l join sale_order o on o.id = l.order_id"
        " join stock_move m on m.sale_line_id = l.id and m.state = 'done'"
        " join stock_picking p on p.id = m.picking_id"
        " join stock_location d on d.id = m.location_dest_id and d.usage = 'customer'"
        " where o.state = 'sale' and l.product_uom_qty > 0 group by l.id)"
        " select 1.0 * sum(first_qty >= ordered) / count(*) as rate from shipped"
    )

    ((filled, shipped),) = rows(
        url,
        "select sum(lines_filled), sum(lines_shipped) from marts_exec.kpi_daily"
        " where channel = '(all)'",
    )

    assert shipped > 0
    assert float(filled / shipped) == pytest.approx(store_rate["rate"])


def test_only_injected_carrier_codes_are_unmapped(built) -> None:
    url, _, store = built
    cases = manifest(store.path)["cases"]
    injected = {c["keys"]["carrier_status"] for c in cases if c["type"] == "unknown_carrier_status"}

    unmapped = rows(
        url, "select system, entity, source_status from intermediate.int_unmapped_statuses"
    )

    assert injected
    assert sorted(unmapped) == sorted(("carrier", "tracking_event", code) for code in injected)


def test_every_contracted_mart_has_its_primary_key(built) -> None:
    url, _, _ = built
    keyed = set(
        rows(
            url,
            "select table_schema, table_name from information_schema.table_constraints"
            " where constraint_type = 'PRIMARY KEY' and table_schema like 'marts_%'",
        )
    )

    expected = {(schema, mart) for schema, marts in CONTRACTED_MARTS.items() for mart in marts}
    assert expected <= keyed
