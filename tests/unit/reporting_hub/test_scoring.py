"""Scoring exception rows against a manifest: type + exact keys, in-flight lags marked."""

from __future__ import annotations

from reporting_hub.demo.scoring import report, score_rows

MANIFEST = {
    "cases": [
        {"case_id": "c-1", "type": "stuck_order", "keys": {"order_ref": "S00170"}},
        {"case_id": "c-2", "type": "inventory_drift", "keys": {"sku": "SKU-1", "warehouse": "3PL"}},
    ],
    "in_flight": [{"case_id": "f-1", "type": "stuck_order", "keys": {"order_ref": "S00205"}}],
}


def row(kind: str, **keys: str) -> dict:
    return {"exception_type": kind, "exception_keys": keys}


def test_exact_rows_score_one():
    rows = [
        row("stuck_order", order_ref="S00170"),
        row("inventory_drift", warehouse="3PL", sku="SKU-1"),
    ]

    result = score_rows(rows, MANIFEST)

    assert (result.precision, result.recall, result.matched) == (1.0, 1.0, 2)
    assert result.by_type["stuck_order"] == {"cases": 1, "matched": 1, "rows": 1}


def test_wrong_key_name_is_both_missed_and_spurious():
    rows = [row("stuck_order", order_ref="S00170"), row("inventory_drift", sku="SKU-1", wh="3PL")]

    result = score_rows(rows, MANIFEST)

    assert (result.precision, result.recall) == (0.5, 0.5)
    assert [c["case_id"] for c in result.missed] == ["c-2"]
    assert result.spurious[0]["exception_keys"] == {"sku": "SKU-1", "wh": "3PL"}


def test_a_reported_in_flight_lag_is_spurious_and_says_so():
    rows = [row("stuck_order", order_ref="S00170"), row("stuck_order", order_ref="S00205")]

    result = score_rows(rows, MANIFEST)

    assert result.precision == 0.5
    assert result.spurious[0]["in_flight"] is True
    assert "(in flight)" in report(result)


def test_nothing_to_find_and_nothing_found_is_perfect():
    result = score_rows([], {"cases": []})

    assert (result.precision, result.recall) == (1.0, 1.0)
