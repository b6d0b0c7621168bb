"""The in-memory world being generated: rows per model, id sequences, the timeline and scales.

Records are dicts keyed by field name, created and rewritten the way Odoo transactions would:
`add` is a create at time t (create_date = write_date = t), `touch` a later write (write_date =
that transaction's start). Every record a transaction writes shares its write_date.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

AS_OF = dt.datetime(2026, 3, 31, 23, 59, 59)  # the generated history ends
ODOOBOT, ADMIN, DEMO, PORTAL = 1, 2, 5, 6
WORK_START, WORK_END = 6, 20  # warehouse and office hours (UTC)


@dataclass(frozen=True)
class Scale:
    """How big a world is: its master data and its daily business."""

    days: int
    products: int
    customers: int  # B2B customer companies
    shoppers: int  # web shop customers (people)
    vendors: int
    shelves: int  # sublocations under each own warehouse's Stock
    web_orders_per_day: float
    b2b_orders_per_day: float
    purchase_every_days: int = 7  # each vendor is ordered from this often
    wms_daily_days: int = 14  # WMS snapshots: daily for this many days, then hourly
    wms_hourly_hours: int = 48


SCALES = {
    "tiny": Scale(90, 30, 8, 40, 3, 2, 1.2, 1.2),
    "demo": Scale(90, 200, 60, 1500, 15, 4, 40.0, 16.0),
    "bench": Scale(365, 4000, 1500, 30000, 80, 20, 300.0, 130.0, purchase_every_days=3),
}


def ts(moment: dt.datetime) -> str:
    """Odoo's datetime text: naive UTC, whole seconds."""
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def day(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d")


class World:
    """Rows per model plus the helpers every part of the simulation writes through."""

    def __init__(self, rng: random.Random, scale: Scale, as_of: dt.datetime = AS_OF) -> None:
        self.rng = rng
        self.scale = scale
        self.as_of = as_of
        self.start = dt.datetime.combine(
            (as_of - dt.timedelta(days=scale.days)).date(), dt.time(8, 0)
        )
        self.rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.by_id: dict[tuple[str, int], dict[str, Any]] = {}
        self.next_ids: dict[str, int] = defaultdict(lambda: 1)
        self.sequences: dict[str, int] = defaultdict(int)
        self.tables: dict[str, list[tuple]] = defaultdict(list)  # the other systems' rows

    # -- records ---------------------------------------------------------------------------

    def new_id(self, model: str) -> int:
        rec_id = self.next_ids[model]
        self.next_ids[model] = rec_id + 1
        return rec_id

    def add(self, model: str, at: dt.datetime, uid: int = ADMIN, **values: Any) -> int:
        """Create a record as one transaction at `at` would (create = write, same user)."""
        rec_id = values.pop("id", None) or self.new_id(model)
        stamp = ts(at)
        row = {
            "id": rec_id,
            "active": True,
            "create_uid": uid,
            "write_uid": uid,
            "create_date": stamp,
            "write_date": stamp,
            **values,
        }
        self.rows[model].append(row)
        self.by_id[model, rec_id] = row
        return rec_id

    def touch(self, model: str, rec_id: int, at: dt.datetime, **values: Any) -> None:
        """A later write: new values and write_date = that transaction's start."""
        row = self.by_id[model, rec_id]
        row.update(values, write_date=ts(at), write_uid=ADMIN)

    def get(self, model: str, rec_id: int) -> dict[str, Any]:
        return self.by_id[model, rec_id]

    def next_name(self, prefix: str, width: int = 5) -> str:
        """Odoo's ir.sequence: the next number of `prefix` (e.g. 'S' -> 'S00001')."""
        self.sequences[prefix] += 1
        return f"{prefix}{self.sequences[prefix]:0{width}d}"

    # -- time ------------------------------------------------------------------------------

    def moments(self, start: dt.datetime, end: dt.datetime, count: int) -> list[dt.datetime]:
        """`count` sorted transaction start times in [start, end), whole seconds."""
        span = max(1, int((end - start).total_seconds()))
        return sorted(start + dt.timedelta(seconds=self.rng.randrange(span)) for _ in range(count))

    def working_time(self, on: dt.date) -> dt.datetime:
        """A random moment within the working hours of a day."""
        seconds = self.rng.randrange((WORK_END - WORK_START) * 3600)
        return dt.datetime.combine(on, dt.time(WORK_START)) + dt.timedelta(seconds=seconds)

    def later(self, at: dt.datetime, low_hours: float, high_hours: float) -> dt.datetime:
        """A moment between low and high hours after `at`, kept inside working hours."""
        moment = at + dt.timedelta(seconds=self.rng.uniform(low_hours, high_hours) * 3600)
        if moment.hour >= WORK_END:
            moment = self.working_time(moment.date() + dt.timedelta(days=1))
        elif moment.hour < WORK_START:
            moment = self.working_time(moment.date())
        return moment.replace(microsecond=0)

    def days(self) -> list[dt.date]:
        first = self.start.date() + dt.timedelta(days=1)
        return [first + dt.timedelta(days=i) for i in range((self.as_of.date() - first).days + 1)]
