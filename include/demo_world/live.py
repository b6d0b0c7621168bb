"""Live mode: the distributor keeps trading after the generated history, in accelerated time.

`LiveTrader(store_path)` (seed and scale read from the store) rebuilds the deterministic master
data in memory and picks up the store's id and name sequences. On every tick it plans new web
and B2B orders through the same Planner and writes every plan whose life moved on through the
same Writer, as of the simulated clock (INSERT OR REPLACE of the records it rewrites; quants
change by a raw SQL increment without touching write_date, as Odoo's do). A Replenisher buys
through the Planner's purchase path when free stock runs low, and deliveries wait for the stock
they need, so quants never go negative. Now and then a tick's writes are held back and committed
a few ticks later, keeping their earlier write_date: a long Odoo transaction. The store is in
WAL mode, so the server keeps reading while the trader writes.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import sqlite3
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from .models import load_registry
from .simulation.documents import Writer
from .simulation.master import build_master
from .simulation.planning import Planner
from .simulation.plans import Order, Purchase
from .simulation.replenishment import Replenisher
from .simulation.world import AS_OF, SCALES, World, ts
from .store import SYSTEM_TABLES, Store, insert_rows, insert_table, system_key

_NAMED = [
    ("sale_order", "name"),
    ("purchase_order", "name"),
    ("stock_picking", "name"),
    ("account_move", "name"),
    ("account_payment", "name"),
    ("bank_lines", "bank_line_ref"),
]
_NUMBERED = re.compile(r"^(.*?)(\d+)$")
Plan = Order | Purchase


class LiveTrader:
    """A background thread that keeps trading into a generated store."""

    def __init__(
        self,
        store_path: Path | str,
        seed: int | None = None,
        scale: str | None = None,
        speed: float = 60.0,
        tick_seconds: float = 1.0,
        start_at: dt.datetime | None = None,
        hold_every: int = 10,
    ) -> None:
        self.path = Path(store_path)
        self.speed, self.tick_seconds, self.hold_every = speed, tick_seconds, hold_every
        self.registry = load_registry()
        meta = Store(self.path).meta()  # the store knows which world it holds
        seed = meta["seed"] if seed is None else seed
        scale = meta["scale"] if scale is None else scale
        self.w = World(random.Random(seed), SCALES[scale])
        self.m = build_master(self.w)  # same ids and homes as the generated store
        self.w.rows.clear()
        self.w.rng = random.Random(f"{seed}:live")
        self.conn = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        self.conn.execute("PRAGMA journal_mode = WAL")
        self._resume_sequences()
        self.planner = Planner(self.w, self.m)
        self.planner.shop_number = self._scalar("SELECT max(order_number) FROM shop_orders") + 1
        self.replenisher = Replenisher(self.planner, self._on_hand())
        self.planner.ready = self.replenisher.ready
        self.clock = start_at or AS_OF
        self.open: list[Plan] = []
        self.held: list[tuple[list[Plan], dt.datetime, dt.datetime]] = []
        self.ticks = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _scalar(self, sql: str) -> int:
        return self.conn.execute(sql).fetchone()[0] or 0

    def _resume_sequences(self) -> None:
        for model in self.registry:
            self.w.next_ids[model.name] = self._scalar(f'SELECT max(id) FROM "{model.table}"') + 1
        for table, column in _NAMED:
            for (value,) in self.conn.execute(f"SELECT {column} FROM {table}"):
                m = _NUMBERED.match(value or "")
                if m:
                    prefix, number = m[1], int(m[2])
                    self.w.sequences[prefix] = max(self.w.sequences[prefix], number)

    def _on_hand(self) -> dict[tuple[int, str], float]:
        """The stock each (product, warehouse) starts from: the quant at the product's home."""
        quants = dict(
            ((product, location), qty)
            for product, location, qty in self.conn.execute(
                "SELECT product_id, location_id, quantity FROM stock_quant"
            )
        )
        return {
            (product, code): quants.get((product, location), 0.0)
            for (product, code), location in self.m.homes.items()
        }

    # -- running ---------------------------------------------------------------------------

    def start(self) -> LiveTrader:
        self._thread = threading.Thread(target=self._run, name="demo-world-live", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=10)
        self.conn.close()

    def _run(self) -> None:
        while not self._stop.wait(self.tick_seconds):
            self.step(self.clock + dt.timedelta(seconds=self.tick_seconds * self.speed))

    def step(self, now: dt.datetime) -> int:
        """Trade from the clock up to `now` and commit; returns the rows written."""
        start, self.clock = self.clock, now
        self.replenisher.advance(start)
        self._trade(start, now)
        moved = [o for o in self.open if _moved(o, start, now)]
        self.ticks += 1
        if self.hold_every and self.ticks % self.hold_every == 0 and moved:
            self.held.append((moved, start, now))  # committed later, with these write_dates
            return 0
        batches = [(moved, start, now), *self.held]
        self.held = []
        written = sum(self._commit(orders, since, until) for orders, since, until in batches)
        self.open = [o for o in self.open if not _settled(o, now)]
        return written

    def _trade(self, start: dt.datetime, end: dt.datetime) -> None:
        s, rng = self.w.scale, self.w.rng
        days = (end - start).total_seconds() / 86400
        orders, purchases = len(self.planner.orders), len(self.planner.purchases)
        for at in self.w.moments(start, end, _draw(rng, s.web_orders_per_day * days)):
            self.planner.web_order(at)
        for at in self.w.moments(start, end, _draw(rng, s.b2b_orders_per_day * days)):
            self.planner.b2b_order(at)
        self.open += self.planner.orders[orders:] + self.planner.purchases[purchases:]

    def _commit(self, plans: list[Plan], since: dt.datetime, until: dt.datetime) -> int:
        rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        writer = Writer(self.w, self.m, lambda name, row: rows[name].append(row))
        for plan in plans:
            if isinstance(plan, Purchase):
                writer.purchase(plan, until)
            else:
                writer.order(plan, until)
        for model, new in self.w.rows.items():  # partners created for new shoppers
            rows[model] += new
        self.w.rows.clear()
        with self.conn:
            for name, batch in rows.items():
                if name in SYSTEM_TABLES:
                    insert_table(self.conn, name, _dedupe(batch, system_key(name)), True)
                else:
                    insert_rows(
                        self.conn, self.registry[name], _dedupe(batch, ("id",)), replace=True
                    )
            self._quants(writer, since, until)
        return sum(len(b) for b in rows.values())

    def _quants(self, writer: Writer, since: dt.datetime, until: dt.datetime) -> None:
        """Quants move by raw SQL (no write_date), as in Odoo; missing ones are created."""
        low, high = ts(since), ts(until)
        for product, location, qty, at in writer.ledger:
            if not low < at <= high:
                continue
            cur = self.conn.execute(
                "UPDATE stock_quant SET quantity = quantity + ?, "
                "available_quantity = available_quantity + ? "
                "WHERE product_id = ? AND location_id = ?",
                (qty, qty, product, location),
            )
            if cur.rowcount == 0:
                loc = self.w.get("stock.location", location)
                insert_rows(
                    self.conn,
                    self.registry["stock.quant"],
                    [
                        {
                            "id": self.w.new_id("stock.quant"),
                            "create_date": at,
                            "write_date": at,
                            "create_uid": 2,
                            "write_uid": 2,
                            "product_id": product,
                            "location_id": location,
                            "company_id": loc["company_id"],
                            "warehouse_id": loc["warehouse_id"],
                            "quantity": qty,
                            "reserved_quantity": 0.0,
                            "available_quantity": qty,
                            "in_date": at,
                            "on_hand": True,
                            "inventory_date": "2026-12-31",
                        }
                    ],
                )


def _moments(o: Plan) -> list[dt.datetime | None]:
    if isinstance(o, Purchase):
        out = [o.created_at, o.confirmed_at, o.cancelled_at]
        return out + [t for rc in o.receipts for t in (rc.wms_at, rc.done_at)]
    out = [o.created_at, o.confirmed_at, o.cancelled_at, o.sent_at]
    for s in o.shipments:
        out += [s.wms_at, s.done_at, s.invoice_at, *(t for _, t in s.carrier)]
    out += [p.at for p in o.payments]
    if o.ret:
        out += [o.ret.done_at, o.ret.credit_at, o.ret.wms_at]
    if o.shop:
        out += [o.shop["created_at"], o.shop["cancelled_at"]]
    return out


def _moved(o: Plan, start: dt.datetime, end: dt.datetime) -> bool:
    return any(t is not None and start < t <= end for t in _moments(o))


def _settled(o: Plan, now: dt.datetime) -> bool:
    return all(t is None or t <= now for t in _moments(o))


def _dedupe(rows: list[dict[str, Any]], key: tuple[str, ...]) -> list[dict[str, Any]]:
    """The last version of each record written in this step."""
    return list({tuple(r[k] for k in key): r for r in rows}.values())


def _draw(rng: random.Random, mean: float) -> int:
    return int(mean) + (1 if rng.random() < mean - int(mean) else 0)


def run_forever(store_path: Path, seed: int, scale: str, speed: float = 60.0) -> None:
    """For a CLI: trade until interrupted."""
    trader = LiveTrader(store_path, seed, scale, speed=speed).start()
    try:
        while True:
            time.sleep(3600)
    finally:
        trader.stop()
