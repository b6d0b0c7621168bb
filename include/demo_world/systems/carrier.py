"""The carrier's tracking feed: events as JSON lines behind an opaque, resumable cursor.

`GET /events?since=<cursor>&limit=<n>` answers `application/x-ndjson`, one event per line in the
order the carrier received them, and the cursor to resume from in `X-Next-Cursor` (also sent
when nothing is new, so a client can always store it); `X-Has-More: true` means another page is
waiting. Without `since` the feed starts at the beginning. Polling is the primary delivery mode;
the cursor walks the arrival order, so an event that arrives late is still delivered exactly
once even when its `occurred_at` is older than events already read. With delivery habits (see
`demo_world.habits`) the feed is at-least-once, as many are: a page may start with the last few
events of the page before again, and now and then an event comes twice, the second copy garbled
(another time and place). The cursor is unaffected, so every event still arrives.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

from demo_world.habits import Habits
from demo_world.store import Store

from .clock import iso_utc
from .http import Handler
from .reading import has_table

DEFAULT_LIMIT, MAX_LIMIT = 500, 5000
REPEATED = 3  # events a page re-sends from the page before, with the repeat habit
NDJSON = "application/x-ndjson"


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"evt:{position}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The arrival position after which to read; raises ValueError for a foreign cursor."""
    if not cursor:
        return 0
    text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    prefix, _, number = text.partition(":")
    if prefix != "evt" or not number.isdigit():
        raise ValueError(f"not a cursor: {cursor!r}")
    return int(number)


def read_events(
    store: Store, after: int, limit: int, habits: Habits | None = None
) -> tuple[list[dict[str, Any]], int, bool]:
    """Events that arrived after position `after`: (events, next position, more waiting)."""
    if not has_table(store, "carrier_events"):
        return [], after, False
    habits = habits or Habits()
    rows = store.query(
        "SELECT rowid AS position, * FROM carrier_events WHERE rowid > ? ORDER BY rowid LIMIT ?",
        [after, limit + 1],
    )
    more = len(rows) > limit
    rows = rows[:limit]
    position = rows[-1]["position"] if rows else after
    if after and rows and habits.draw("repeat", after) < habits.repeat_rate:
        rows = (
            store.query(
                "SELECT rowid AS position, * FROM carrier_events WHERE rowid <= ? "
                "ORDER BY rowid DESC LIMIT ?",
                [after, min(REPEATED, limit)],
            )[::-1]
            + rows
        )
    return [e for r in rows for e in _copies(r, habits)], position, more


def _copies(row: dict[str, Any], habits: Habits) -> list[dict[str, Any]]:
    """The event, and with the conflict habit sometimes a garbled second copy of it."""
    event = event_json(row)
    if habits.draw("conflict", row["position"]) >= habits.conflict_rate:
        return [event]
    garbled = dict(event, location=f"{event['location'] or ''} (hub)".strip())
    moment = dt.datetime.fromisoformat(event["occurred_at"]) + dt.timedelta(hours=1)
    garbled["occurred_at"] = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return [event, garbled]


def event_json(row: dict[str, Any]) -> dict[str, Any]:
    """One event as the carrier writes it: its own status codes, UTC timestamps."""
    return {
        "event_id": row["event_id"],
        "carrier": row["carrier"],
        "tracking_number": row["tracking_number"],
        "shipper_reference": row["order_ref"],
        "status_code": row["status_code"],
        "occurred_at": iso_utc(row["occurred_at"]),
        "location": row["location"],
    }


class CarrierHandler(Handler):
    """`GET /events`: the tracking feed."""

    server_version = "carrier-tracking/2.3"
    sys_version = ""
    store: Store
    habits: Habits = Habits()

    def route(self, method: str, path: str, query: dict[str, list[str]]) -> None:
        if method != "GET" or path.rstrip("/") != "/events":
            self.send_json(404, {"error": "not_found"})
            return
        try:
            after = decode_cursor((query.get("since") or [None])[-1])
            limit = max(1, min(MAX_LIMIT, int((query.get("limit") or [DEFAULT_LIMIT])[-1])))
        except ValueError as exc:
            self.send_json(400, {"error": "invalid_request", "detail": str(exc)})
            return
        events, position, more = read_events(self.store, after, limit, self.habits)
        body = "".join(json.dumps(e, separators=(",", ":")) + "\n" for e in events).encode()
        headers = {"X-Next-Cursor": encode_cursor(position), "X-Has-More": str(more).lower()}
        if more and self.habits.draw("cursorless", after) < self.habits.cursorless_rate:
            del headers["X-Next-Cursor"]  # a buggy feed: more waits, but from where?
        self.send(200, NDJSON, body, headers)


def carrier_handler(store: Store, habits: Habits | None = None) -> type[CarrierHandler]:
    """A handler class bound to one store (and the feed's delivery habits)."""
    attributes = {"store": store, "habits": habits or Habits()}
    return type("BoundCarrierHandler", (CarrierHandler,), attributes)
