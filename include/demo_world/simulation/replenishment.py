"""Replenishment for live mode, where no opening inventory is sized after the fact.

Per SKU and warehouse the Replenisher projects free stock: what is on hand, plus what open
purchase orders will receive, minus what confirmed orders have reserved. When an order would
take that below `REORDER_POINT`, it buys up to `ORDER_UP_TO` through `Planner.buy` (the path
generation's purchases take: lead times, late and partial receipts, cancellations), and the
order's delivery waits until the stock it needs has arrived, as an Odoo delivery waits for
availability. Reservations are booked at that moment, before the goods actually leave, so the
projection never overstates the stock and no internal quant goes negative.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from typing import Any

from .planning import Planner, remaining
from .plans import Line, Order

REORDER_POINT = 60.0
ORDER_UP_TO = 240.0
PACK = 12  # purchased quantities are whole packs

Key = tuple[int, str]  # product id, warehouse code


class Replenisher:
    """Projects free stock per (product, warehouse) and buys before it runs out."""

    def __init__(self, planner: Planner, on_hand: dict[Key, float]) -> None:
        self.planner = planner
        self.level: dict[Key, float] = defaultdict(float, on_hand)  # once `events` so far happened
        self.events: dict[Key, list[tuple[dt.datetime, float]]] = defaultdict(list)

    def ready(self, order: Order) -> dt.datetime:
        """When the order's delivery can leave; buys whatever would run short."""
        assert order.confirmed_at is not None
        need: dict[int, float] = defaultdict(float)
        products: dict[int, dict[str, Any]] = {}
        for line, qty in zip(order.lines, remaining(order), strict=True):
            need[line.product["id"]] += qty
            products[line.product["id"]] = line.product
        wanted = {(pid, order.wh.code): qty for pid, qty in sorted(need.items()) if qty > 0}
        at = order.confirmed_at
        for key, qty in wanted.items():
            while self.position(key) - qty < REORDER_POINT:
                self._buy(products[key[0]], order, self.position(key) - qty)
            at = max(at, self._covered_from(key, qty, at))
        for key, qty in wanted.items():
            self.events[key].append((at, -qty))
        return at

    def position(self, key: Key) -> float:
        """On hand, plus on order, minus reserved: the free stock once everything planned ran."""
        return self.level[key] + sum(q for _, q in self.events[key])

    def advance(self, now: dt.datetime) -> None:
        """Fold what has happened by `now` into the levels (the projection only looks ahead)."""
        for key, events in self.events.items():
            past = [q for t, q in events if t <= now]
            if past:
                self.level[key] += sum(past)
                self.events[key] = [(t, q) for t, q in events if t > now]

    def _buy(self, product: dict[str, Any], order: Order, free: float) -> None:
        m = self.planner.m
        vendor = m.vendors[product["id"] % len(m.vendors)]  # as generation assigns vendors
        qty = float(PACK * math.ceil((ORDER_UP_TO - free) / PACK))
        line = Line(product, qty, product["standard_price"])
        po = self.planner.buy(vendor, order.wh, order.confirmed_at, [line])
        for receipt in po.receipts:  # none if the vendor cancels: the caller buys again
            assert receipt.done_at is not None
            self.events[product["id"], order.wh.code].append((receipt.done_at, receipt.qtys[0]))

    def _covered_from(self, key: Key, qty: float, at: dt.datetime) -> dt.datetime:
        """The first moment from `at` on after which the projection stays at `qty` or more."""
        level = self.level[key]
        ready: dt.datetime | None = at if level >= qty else None
        for t, q in sorted(self.events[key]):
            level += q
            if level < qty:
                ready = None
            elif ready is None:
                ready = max(at, t)
        assert ready is not None  # the position covers `qty`, so the last level does
        return ready
