"""Live mode keeps trading into the store, readable while it writes."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from support.systems_world import quants_off_their_moves

from demo_world.generate import ensure_world
from demo_world.live import LiveTrader
from demo_world.simulation.world import AS_OF
from demo_world.store import Store


def test_live_trading_writes_new_and_updated_records(world_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "live.sqlite"
    shutil.copy(world_path, path)
    store = Store(path)
    before = store.query("SELECT count(*) n, max(id) top FROM sale_order")[0]
    trader = LiveTrader(path, 7301, "tiny", hold_every=3)
    moment = AS_OF
    for _ in range(12):  # 12 ticks of 6 simulated hours
        moment += dt.timedelta(hours=6)
        trader.step(moment)
    trader.conn.close()
    after = store.query("SELECT count(*) n FROM sale_order")[0]["n"]
    assert after > before["n"]
    fresh = store.query(
        "SELECT name, state, write_date FROM sale_order WHERE id > ?", [before["top"]]
    )
    assert all(r["write_date"] > "2026-03-31 23:59:59" for r in fresh)
    assert {r["state"] for r in fresh} & {"sale"}
    assert (
        store.query(
            "SELECT count(*) n FROM stock_picking WHERE state = 'done' AND date_done > '2026-04-01'"
        )[0]["n"]
        > 0
    )
    names = store.query("SELECT name FROM sale_order GROUP BY name HAVING count(*) > 1")
    assert names == []
    store.close()


def test_a_long_live_run_replenishes_and_keeps_stock_consistent(
    world_path: Path, tmp_path: Path
) -> None:
    # GIVEN a tiny world trading live for 60 simulated days, far beyond its opening stock
    path = tmp_path / "live.sqlite"
    shutil.copy(world_path, path)
    trader = LiveTrader(path, 7301, "tiny", hold_every=4)
    moment = AS_OF
    for _ in range(60):
        moment += dt.timedelta(days=1)
        trader.step(moment)
    # WHEN the transactions held back are committed
    trader.hold_every = 0
    trader.step(moment + dt.timedelta(minutes=1))
    trader.conn.close()
    # THEN it bought and received stock, and every quant is the non-negative sum of its moves
    store = Store(path)
    received = store.query(
        "SELECT count(*) n FROM stock_picking WHERE picking_type_code = 'incoming' "
        "AND purchase_id IS NOT NULL AND state = 'done' AND date_done > '2026-04-01'"
    )
    assert received[0]["n"] > 0
    assert quants_off_their_moves(store) == []
    negative = store.query(
        "SELECT q.product_id, q.location_id, q.quantity FROM stock_quant q "
        "JOIN stock_location l ON l.id = q.location_id AND l.usage = 'internal' "
        "WHERE q.quantity < 0"
    )
    assert negative == []
    store.close()


def test_live_steps_keep_every_line_of_multi_line_shop_orders(tmp_path):
    """Rewriting an order must replace its lines one for one, not collapse or double them."""
    store = ensure_world(tmp_path, 7301, "tiny")
    trader = LiveTrader(store)
    for step in range(1, 40):
        trader.step(AS_OF + dt.timedelta(hours=6 * step))
    trader.stop()
    with closing(sqlite3.connect(store)) as conn:
        lines, distinct = conn.execute(
            "select count(*), count(distinct shop_order_id || '-' || line_no) from shop_order_lines"
        ).fetchone()
        live_multi_line = conn.execute(
            "select count(*) from (select l.shop_order_id from shop_order_lines l "
            "join shop_orders o using (shop_order_id) where o.created_at > ? "
            "group by l.shop_order_id having count(*) > 1)",
            (AS_OF.strftime("%Y-%m-%d %H:%M:%S"),),
        ).fetchone()[0]
    assert lines == distinct
    assert live_multi_line > 0  # orders placed live kept all their lines
