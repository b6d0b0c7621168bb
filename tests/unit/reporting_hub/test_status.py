"""`hub status` shows every catalog stream, never-run ones included, with readable ages."""

from datetime import UTC, datetime, timedelta

from reporting_hub.ops.status import render

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def test_rows_show_freshness_counts_and_a_short_error():
    rows = [
        (
            "odoo.stock_quant",
            "published",
            NOW - timedelta(minutes=3),
            379,
            379,
            None,
            NOW - timedelta(minutes=3),
            379,
        ),
        (
            "shop.orders",
            "failed",
            NOW - timedelta(hours=2),
            0,
            0,
            "HTTP 401 " + "x" * 100,
            NOW - timedelta(days=2),
            3855,
        ),
        ("bank.statement_lines", None, None, None, None, None, None, None),
    ]
    lines = render(rows, now=NOW).splitlines()
    assert lines[0].split()[:2] == ["stream", "freshness"]
    assert "3m ago" in lines[1] and "published" in lines[1] and "379" in lines[1]
    assert "2d ago" in lines[2] and "3,855" in lines[2] and "HTTP 401" in lines[2]
    assert len(lines[2]) < 200  # errors are cut, the table stays readable
    assert "never" in lines[3]
