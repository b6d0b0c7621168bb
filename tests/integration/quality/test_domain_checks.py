"""The domain check families on real PostgreSQL: dates not in the future, and row rules.

GIVEN a batch with rows that break a domain rule, WHEN the gate judges it under the
quarantine policy, THEN exactly those rows wait in quarantine labelled with the rule,
and a clean batch passes untouched.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import psycopg
import pytest

from reporting_hub.catalog import NotInFuture
from reporting_hub.quality.audit import audit_batch
from reporting_hub.quality.gate import run_gate

ROWS = "unexpected_rows_expectation"
INTERNAL, CUSTOMER = 61, 62


def quarantining(stream, **checks):
    """The stream under the quarantine policy, with some checks overridden."""
    return replace(stream, row_failure_policy="quarantine", checks=replace(stream.checks, **checks))


def held(url: str, table: str, batch_id: str) -> dict[int, list]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            f"select id, _reasons from quarantine.{table} where _batch_id = %s", (batch_id,)
        ).fetchall()
    return {i: sorted((r.get("rule"), r["column"]) for r in reasons) for i, reasons in rows}


def rules_failed(result) -> set[tuple[str | None, str | None]]:
    return {(r["rule"], r["column"]) for r in result.results if not r["success"]}


@pytest.fixture(scope="module")
def ledger(warehouse: str, catalog, tables) -> str:
    """Published internal and customer locations, and a posted, balanced move 1 (+100/-100)."""
    for stream_id in ("odoo.account_move", "odoo.account_move_line"):
        tables(catalog.get(stream_id))
    with psycopg.connect(warehouse) as conn:
        conn.execute(
            "insert into raw.odoo__stock_location (id, name, usage, _published_at) "
            "values (%s, 'WH/Stock', 'internal', now()), (%s, 'Customers', 'customer', now())",
            (INTERNAL, CUSTOMER),
        )
        conn.execute(
            "insert into raw.odoo__account_move (id, _published_at) select g, now() "
            "from generate_series(1, 20) g"
        )
        conn.execute(
            "insert into raw.odoo__account_move_line (id, move_id, date, balance, parent_state, "
            "_published_at) values (1, 1, current_date, 100, 'posted', now()), "
            "(2, 1, current_date, -100, 'posted', now()), (3, 2, current_date, 40, 'posted', now())"
        )
    return warehouse


def test_future_dates_beyond_the_skew_are_quarantined(catalog, land, quant, warehouse):
    # GIVEN quants checked for a future write_date (instant) and inventory_date (date)
    stream = quarantining(
        catalog.get("odoo.stock_quant"),
        not_in_future=NotInFuture(("write_date", "inventory_date"), skew_minutes=5),
    )
    now, today = datetime.now(UTC), date.today()
    good = [quant(i, write_date=now - timedelta(hours=i), inventory_date=today) for i in range(30)]
    within_skew = quant(31, write_date=now + timedelta(minutes=2), inventory_date=today)
    late = quant(32, write_date=now + timedelta(hours=1), inventory_date=today)
    ahead = quant(33, write_date=now, inventory_date=today + timedelta(days=2))
    # WHEN the gate judges a clean batch, then one with two future rows
    clean = run_gate(stream, land([*good, within_skew]), warehouse)
    batch_id = land([*good, within_skew, late, ahead])
    audit = audit_batch(stream, batch_id, warehouse)
    # THEN the clean batch passes, and only the two future rows are held, labelled
    assert clean.success, clean.failures
    assert audit.outcome == "rows_quarantined"
    assert rules_failed(audit.result) == {
        ("not_in_future", "write_date"),
        ("not_in_future", "inventory_date"),
    }
    assert held(warehouse, "odoo__stock_quant", batch_id) == {
        32: [("not_in_future", "write_date")],
        33: [("not_in_future", "inventory_date")],
    }


def test_negative_on_hand_in_internal_locations_is_quarantined(catalog, ledger, land, quant):
    # GIVEN quants in a published internal and a customer location, some negative
    stream = quarantining(catalog.get("odoo.stock_quant"))
    rows = [quant(100 + i, location_id=INTERNAL) for i in range(30)]
    rows += [quant(200, location_id=CUSTOMER, quantity=Decimal(-5))]  # customers go negative
    bad = quant(201, location_id=INTERNAL, quantity=Decimal("-0.5"))
    # WHEN the gate judges the batch without, then with, the negative internal quant
    clean = run_gate(stream, land(rows), ledger)
    batch_id = land([*rows, bad])
    audit = audit_batch(stream, batch_id, ledger)
    # THEN only that quant is held, with the rule's name; its sentence names the rule
    assert clean.success, clean.failures
    assert rules_failed(audit.result) == {("no_negative_internal_on_hand", None)}
    assert held(ledger, "odoo__stock_quant", batch_id) == {
        201: [("no_negative_internal_on_hand", None)]
    }
    assert "rule no_negative_internal_on_hand" in audit.result.failures[0]


def line(line_id: int, move_id: int, balance: str, state: str = "posted") -> dict:
    return {
        "id": line_id,
        "move_id": move_id,
        "date": date.today(),
        "balance": Decimal(balance),
        "parent_state": state,
    }


def test_unbalanced_posted_entries_are_quarantined(catalog, ledger, land):
    # GIVEN account move lines under the quarantine policy, allowing a third of rows bad
    stream = quarantining(catalog.get("odoo.account_move_line"), max_bad_row_share=0.34)
    table = "odoo__account_move_line"
    balanced = [
        line(4, 2, "-40"),  # completes published line 3 of move 2
        line(5, 3, "10"),
        line(6, 3, "-9.995"),  # within rounding
        line(7, 4, "5", state="draft"),  # drafts may be unbalanced
        line(8, 5, "12.5"),
        line(9, 5, "-12.5"),
    ]
    # WHEN a clean batch is judged, then one changing published line 2 of move 1
    clean = run_gate(stream, land(balanced, table=table), ledger)
    batch_id = land([*balanced, line(2, 1, "-90"), line(10, 6, "1")], table=table)
    audit = audit_batch(stream, batch_id, ledger)
    # THEN the batch's lines of the two unbalanced moves are held, with the rule's name
    assert clean.success, clean.failures
    assert rules_failed(audit.result) == {("posted_entry_balances", None)}
    assert held(ledger, table, batch_id) == {
        2: [("posted_entry_balances", None)],
        10: [("posted_entry_balances", None)],
    }


def test_batch_lines_replace_their_published_versions(catalog, ledger, land):
    # GIVEN move 2's published line 3 (40), and a batch rewriting it and adding its pair
    stream = catalog.get("odoo.account_move_line")
    rows = [line(3, 2, "25"), line(4, 2, "-25")]
    # WHEN the gate judges it
    result = run_gate(stream, land(rows, table="odoo__account_move_line"), ledger)
    # THEN the published amounts do not count twice
    assert result.success, result.failures
