"""The simulated distributor: master data, a planned business, injected cases, derived stock.

`build(seed, scale, rates)` returns a World holding every Odoo row (`rows`), the other systems'
rows (`tables`) and the ground truth (`cases`, `in_flight`, `populations`). Deterministic per
(seed, scale, rates): one `random.Random(seed)` drives the business, another the scenarios, and
timestamps come from a fixed timeline, never the wall clock.
"""

from __future__ import annotations

import random
from typing import Any

from .documents import Writer
from .master import Master, build_master
from .planning import Planner
from .stock import (
    opening_and_counts,
    product_quantities,
    product_values,
    quants,
    wms_aliases,
    wms_snapshots,
)
from .world import AS_OF, SCALES, Scale, World

__all__ = ["AS_OF", "SCALES", "Scale", "World", "build", "sink_into"]


def sink_into(w: World):
    """Where the writer's rows go during generation: Odoo models vs the other systems' tables."""

    def sink(name: str, row: dict[str, Any]) -> None:
        (w.rows if "." in name else w.tables)[name].append(row)

    return sink


def build(seed: int, scale: str, rates: dict[str, float] | None = None) -> World:
    """Plan, inject, write and derive a whole world in memory."""
    from demo_world.scenarios import Injector  # the engine edits simulation plans: imported late

    w = World(random.Random(seed), SCALES[scale])
    m: Master = build_master(w)
    planner = Planner(w, m)
    planner.run(w.days())
    injector = Injector(w, m, planner, seed, rates)
    injector.before_write()
    writer = Writer(w, m, sink_into(w))
    for order in planner.orders:
        writer.order(order, w.as_of)
    for po in planner.purchases:
        writer.purchase(po, w.as_of)
    injector.drift(writer.wms_ledger)
    opening_and_counts(w, m, writer)
    quants(w, m, writer)
    product_quantities(w, m)
    product_values(w, m)
    wms_snapshots(w, m, writer)
    wms_aliases(w, m)
    injector.natural_in_flight()
    w.cases, w.in_flight = injector.resolved()
    w.populations = injector.populations
    w.rates = injector.rates
    w.plans = (m, planner, writer)
    return w
