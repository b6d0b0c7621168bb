"""The 3PL's file feed: stock snapshots and shipment/receipt confirmations dropped in an inbox.

The 3PL speaks its own language: items by its own codes (`item_code`, mapped to our SKUs by the
item master `items_<YYYYMMDD>.csv`), its own status codes, UTC timestamps in ISO-8601. Files
(comma-separated, UTF-8, one header line) are delivered atomically (see `files.deliver`):

- `stock_<YYYYMMDDHH>.csv`: one row per item x location at that hour
  (`snapshot_at,warehouse_code,item_code,location_code,qty_on_hand,qty_allocated`);
- `confirmations_<YYYYMMDDHHMM>.csv`: what was shipped or received
  (`confirmation_id,type,reference,order_ref,item_code,quantity,status_code,confirmed_at`);
- `items_<YYYYMMDD>.csv`: the item master (`item_code,client_sku`).

At serve start the history is dropped, bounded: the last `SNAPSHOT_DAYS` days of hourly
snapshots and every confirmation, one file per day. In live mode `drop_until(now)` adds the
hours that have closed since and the confirmations that arrived since. With delivery habits
(see `demo_world.habits`) some files come as UTF-8 with a BOM or UTF-16, live files may be
written in place, growing for a moment under their final name, and some confirmations come a
day early as only picked (`PCK`), then again with their final status.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from itertools import groupby
from pathlib import Path

from demo_world.faults import Injector
from demo_world.habits import Habits
from demo_world.store import Store

from .clock import fmt_ts, iso_utc, parse_ts
from .files import Delivery, csv_lines, deliver, history_time
from .reading import has_table, iter_rows

log = logging.getLogger(__name__)
SNAPSHOT_DAYS = 7
STOCK_HEADER = (
    "snapshot_at",
    "warehouse_code",
    "item_code",
    "location_code",
    "qty_on_hand",
    "qty_allocated",
)
CONFIRMATION_HEADER = (
    "confirmation_id",
    "type",
    "reference",
    "order_ref",
    "item_code",
    "quantity",
    "status_code",
    "confirmed_at",
)
ITEM_HEADER = ("item_code", "client_sku")
PICKED = "PCK"  # the status of a confirmation sent before it shipped


class WmsDropper:
    """Writes the 3PL's files for one store into `inbox`, remembering what it has delivered."""

    def __init__(
        self,
        store: Store,
        inbox: Path,
        injector: Injector | None = None,
        habits: Habits | None = None,
    ) -> None:
        self.store = store
        self.inbox = Path(inbox)
        self.injector = injector
        self.habits = habits or Habits()
        self.as_of: dt.datetime | None = None  # files due by then are history (set at start)
        self.now = dt.datetime.min  # the moment of the current drop: nothing is due later
        self.snapshot_mark: str | None = None  # last snapshot_at delivered
        self.confirmation_mark = 0  # rowid of the last confirmation delivered

    def drop_history(self, now: dt.datetime) -> int:
        """The files a 3PL would have left by `now`; returns how many were written."""
        self.as_of = self.now = now
        self.inbox.mkdir(parents=True, exist_ok=True)
        if not has_table(self.store, "wms_stock_snapshots"):
            log.warning("the store has no WMS tables yet: the inbox stays empty")
            return 0
        written = self._items(now)
        self.snapshot_mark = fmt_ts(now - dt.timedelta(days=SNAPSHOT_DAYS))
        written += self._snapshots(_hour_floor(now))
        rows = self._confirmations("confirmed_at <= ?", [fmt_ts(now)])
        days = [(d, list(g)) for d, g in groupby(rows, key=lambda r: r["confirmed_at"][:10])]
        for (day, group), (_, ahead) in zip(days, [*days[1:], ("", [])], strict=True):
            stamp = f"{day.replace('-', '')}2359"
            written += self._deliver_confirmations(stamp, group + self._provisional(ahead))
        return written

    def _provisional(self, ahead: list[dict]) -> list[dict]:
        """With the repeat habit: the next day's confirmations sent early, as only picked."""
        chosen = [
            r
            for r in ahead
            if self.habits.draw("repeat", r["confirmation_id"]) < self.habits.repeat_rate
        ]
        return [dict(r, status_code=PICKED) for r in chosen]

    def drop_until(self, now: dt.datetime) -> int:
        """Live mode: the snapshot hours closed and confirmations arrived since the last drop."""
        self.now = now
        if not has_table(self.store, "wms_stock_snapshots"):
            return 0
        written = self._snapshots(_hour_floor(now))
        rows = list(self._confirmations("rowid > ?", [self.confirmation_mark]))
        if rows:
            written += self._deliver_confirmations(now.strftime("%Y%m%d%H%M"), rows)
        return written

    def _items(self, now: dt.datetime) -> int:
        rows = self.store.query("SELECT wms_sku, sku FROM wms_sku_aliases ORDER BY wms_sku")
        lines = csv_lines(ITEM_HEADER, [(r["wms_sku"], r["sku"]) for r in rows], ",")
        return self._deliver(f"items_{now:%Y%m%d}.csv", lines, now)  # the day's item master

    def _snapshots(self, before: str) -> int:
        """Every snapshot hour after the mark and before `before` (hours still open wait)."""
        hours = self.store.query(
            "SELECT DISTINCT substr(snapshot_at, 1, 13) AS hour FROM wms_stock_snapshots "
            "WHERE snapshot_at > ? AND snapshot_at < ? ORDER BY hour",
            [self.snapshot_mark or "", before],
        )
        written = 0
        for hour in (h["hour"] for h in hours):  # one hour at a time: bench stores are large
            rows = self.store.query(
                "SELECT snapshot_at, warehouse_code, wms_sku, location_code, qty_on_hand, "
                "qty_allocated FROM wms_stock_snapshots WHERE snapshot_at >= ? AND snapshot_at < ? "
                "ORDER BY snapshot_at, warehouse_code, wms_sku, location_code",
                [f"{hour}:00:00", _next_hour(hour)],
            )
            data = [(iso_utc(r["snapshot_at"]), *list(r.values())[1:]) for r in rows]
            name = f"stock_{hour.replace('-', '').replace(' ', '')}.csv"
            closed = parse_ts(f"{hour}:00:00") + dt.timedelta(hours=1)
            written += self._deliver(name, csv_lines(STOCK_HEADER, data, ","), closed)
            self.snapshot_mark = rows[-1]["snapshot_at"]
        return written

    def _confirmations(self, where: str, params: list) -> Iterator[dict]:
        return iter_rows(
            self.store,
            "SELECT rowid AS position, confirmation_id, kind, reference, order_ref, wms_sku, "
            f"quantity, status_code, confirmed_at FROM wms_confirmations WHERE {where} "
            "ORDER BY confirmed_at, rowid",
            params,
        )

    def _deliver_confirmations(self, stamp: str, rows: list[dict]) -> int:
        data = [(*list(r.values())[1:-1], iso_utc(r["confirmed_at"])) for r in rows]
        self.confirmation_mark = max(self.confirmation_mark, *(r["position"] for r in rows))
        due = dt.datetime.strptime(stamp, "%Y%m%d%H%M")
        lines = csv_lines(CONFIRMATION_HEADER, data, ",")
        return self._deliver(f"confirmations_{stamp}.csv", lines, due)

    def _deliver(self, name: str, lines: list[str], due: dt.datetime) -> int:
        """One file, in the encoding the habits draw; live files maybe written in place."""
        at = history_time(min(due, self.now), self.as_of)
        live = at is None and self.as_of is not None
        how = Delivery(
            encoding=self.habits.encoding("utf-8", "wms", name),
            in_place=live and self.habits.draw("in_place", name) < self.habits.in_place_rate,
            delivered_at=at,
        )
        return int(deliver(self.inbox / name, lines, ",", self.injector, how))


def _next_hour(hour: str) -> str:
    return fmt_ts(dt.datetime.strptime(hour, "%Y-%m-%d %H") + dt.timedelta(hours=1))


def _hour_floor(moment: dt.datetime) -> str:
    """The start of the hour containing `moment` (+1s: the as_of second 23:59:59 closes a day)."""
    return fmt_ts((moment + dt.timedelta(seconds=1)).replace(minute=0, second=0, microsecond=0))
