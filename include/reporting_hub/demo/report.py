"""What `hub demo --once` prints at the end: positions, KPIs, exceptions and their score."""

from __future__ import annotations

from pathlib import Path

import psycopg

from reporting_hub.warehouse.introspect import table_exists

MART_SQL = """
select sku, warehouse_code, company_id, on_hand_qty, reserved_qty, available_qty
from marts_ops.fct_inventory_positions order by warehouse_code, sku
"""
KPI_SQL = """
select max(date_day) as through, sum(revenue)::numeric(14, 2) as revenue,
       sum(gross_margin)::numeric(14, 2) as gross_margin, sum(orders) as orders,
       round(sum(orders_otif)::numeric / nullif(sum(orders_due), 0), 3) as otif_rate
from marts_exec.kpi_daily
where date_day > (select max(date_day) - 30 from marts_exec.kpi_daily)
"""
EXCEPTIONS_SQL = """
select exception_type, severity, count(*), sum(value_at_risk)
from marts_reconciliation.exceptions group by 1, 2 order by 1, 2
"""


def print_results(conn: psycopg.Connection) -> None:
    """Inventory positions, then the KPI and reconciliation summaries when those marts exist."""
    if table_exists(conn, "marts_ops.fct_inventory_positions"):
        _print_positions(conn.execute(MART_SQL).fetchall())
    if table_exists(conn, "marts_exec.kpi_daily"):
        print("\nKPIs (marts_exec.kpi_daily, last 30 days):")
        cur = conn.execute(KPI_SQL)
        names = [c.name for c in cur.description or []]
        for row in cur.fetchall():
            print("  " + "  ".join(f"{n}={v}" for n, v in zip(names, row, strict=True)))
    if table_exists(conn, "marts_reconciliation.exceptions"):
        rows = conn.execute(EXCEPTIONS_SQL).fetchall()
        print(f"\nReconciliation exceptions (marts_reconciliation.exceptions): {len(rows)} kinds")
        for exception_type, severity, count, value in rows:
            print(f"  {exception_type:<28} {severity or '-':<9} {count:>5}  {value or 0:>14,.2f}")


def print_score(warehouse_url: str, manifest: Path) -> None:
    """Precision and recall of the exceptions against the demo world's ground truth."""
    from reporting_hub.demo.scoring import report, score

    with psycopg.connect(warehouse_url) as conn:
        if not table_exists(conn, "marts_reconciliation.exceptions"):
            return
    print("\n" + report(score(warehouse_url, manifest)))


def _print_positions(rows: list[tuple]) -> None:
    print(f"\nInventory positions (marts_ops.fct_inventory_positions): {len(rows)} rows")
    print(
        f"  {'warehouse':<9} {'sku':<12} {'company':>7} {'on hand':>10} {'reserved':>10} "
        f"{'available':>10}"
    )
    shown = rows[:25]
    for sku, wh, company, on_hand, reserved, available in shown:
        print(
            f"  {wh:<9} {sku or '-':<12} {company:>7} {on_hand:>10,.2f} {reserved:>10,.2f} "
            f"{available:>10,.2f}"
        )
    if len(rows) > len(shown):
        print(f"  ... and {len(rows) - len(shown)} more")
