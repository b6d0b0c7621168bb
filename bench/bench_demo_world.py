"""Bench: generate a demo world at a scale, then measure how fast it serves search_read.

Prints generation time, row counts, and rows/s for keyset-paged search_read of 8 fields via
odoorpc against a direct SQLite SELECT of the same rows (the baseline ratio).
Usage: python bench/bench_demo_world.py [--scale bench] [--seed 7301] [--state-dir DIR]
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from pathlib import Path

FIELDS = [
    "id",
    "product_id",
    "location_id",
    "location_dest_id",
    "quantity",
    "state",
    "date",
    "write_date",
]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="bench")
    parser.add_argument("--seed", type=int, default=7301)
    parser.add_argument("--state-dir", type=Path, default=Path(tempfile.mkdtemp()))
    parser.add_argument("--pages", type=int, default=50)
    args = parser.parse_args([] if argv is None else argv)
    import odoorpc

    from demo_world.generate import generate, store_path
    from demo_world.server import start_server

    path = store_path(args.state_dir, args.seed, args.scale)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    started = time.perf_counter()
    generate(path, args.seed, args.scale)
    print(
        f"generation {args.scale}: {time.perf_counter() - started:.1f} s, "
        f"{path.stat().st_size / 1e6:.0f} MB"
    )
    conn = sqlite3.connect(path)
    for table in (
        "sale_order",
        "sale_order_line",
        "stock_move",
        "stock_move_line",
        "purchase_order_line",
        "account_move_line",
        "stock_quant",
        "shop_orders",
    ):
        print(f"  {table}: {conn.execute(f'SELECT count(*) FROM {table}').fetchone()[0]:,}")
    world = start_server(args.state_dir, args.seed, args.scale, port=0)
    try:
        odoo = odoorpc.ODOO("127.0.0.1", port=world.port)
        odoo.login("demo", "admin", "admin")
        rows, cursor, started = 0, ("2000-01-01 00:00:00", 0), time.perf_counter()
        for _ in range(args.pages):
            domain = [
                "|",
                ["write_date", ">", cursor[0]],
                "&",
                ["write_date", "=", cursor[0]],
                ["id", ">", cursor[1]],
            ]
            page = odoo.execute_kw(
                "stock.move",
                "search_read",
                [domain],
                {"fields": FIELDS, "limit": 2000, "order": "write_date asc, id asc"},
            )
            if not page:
                break
            rows += len(page)
            cursor = (page[-1]["write_date"], page[-1]["id"])
        rpc = rows / (time.perf_counter() - started)
        started = time.perf_counter()
        direct = conn.execute(
            "SELECT id, product_id, location_id, location_dest_id, quantity, state, date, "
            f"write_date FROM stock_move ORDER BY write_date, id LIMIT {rows}"
        ).fetchall()
        sql = len(direct) / (time.perf_counter() - started)
        print(
            f"search_read 8 fields via odoorpc: {rpc:,.0f} rows/s; direct SELECT: "
            f"{sql:,.0f} rows/s; ratio {sql / rpc:.1f}x"
        )
    finally:
        world.stop()
        conn.close()


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
