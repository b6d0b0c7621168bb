"""The carrier's tracking feed: events as JSON lines behind an opaque, resumable cursor.

`GET /events?since=<cursor>&limit=<n>` answers `application/x-ndjson`, one event per line in the
order the carrier received them, and the cursor to resume from in `X-Next-Cursor` (also sent
when nothing is new, so a client can always store it); `X-Has-More: true` means another page is
waiting. Without `since` the feed starts at the beginning. Polling is the primary delivery mode;
the cursor walks the arrival order, so an event that arrives late is still delivered exactly
once even when its `occurred_at` is older than events already read.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from demo_world.store import Store

from .clock import iso_utc
from .http import Handler
from .reading import has_table

DEFAULT_LIMIT, MAX_LIMIT = 500, 5000
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


def read_events(store: Store, after: int, limit: int) -> tuple[list[dict[str, Any]], int, bool]:
    """Events that arrived after position `after`: (events, next position, more waiting)."""
    if not has_table(store, "carrier_events"):
        return [], after, False
    rows = store.query(
        "SELECT rowid AS position, * FROM carrier_events WHERE rowid > ? ORDER BY rowid LIMIT ?",
        [after, limit + 1],
    )
    more = len(rows) > limit
    rows = rows[:limit]
    position = rows[-1]["position"] if rows else after
    return [event_json(r) for r in rows], position, more


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
        events, position, more = read_events(self.store, after, limit)
        body = "".join(json.dumps(e, separators=(",", ":")) + "\n" for e in events).encode()
        headers = {"X-Next-Cursor": encode_cursor(position), "X-Has-More": str(more).lower()}
        self.send(200, NDJSON, body, headers)


def carrier_handler(store: Store) -> type[CarrierHandler]:
    """A handler class bound to one store."""
    return type("BoundCarrierHandler", (CarrierHandler,), {"store": store})
