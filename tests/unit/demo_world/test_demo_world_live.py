"""Live mode keeps trading into the store, readable while it writes."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

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
