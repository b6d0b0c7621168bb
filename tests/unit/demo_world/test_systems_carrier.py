"""The carrier feed: JSON lines behind a cursor that delivers every event exactly once."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator

import httpx
import pytest
from support.systems_world import start_systems_world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    handle = start_systems_world(tmp_path_factory.mktemp("carrier"))
    yield handle
    handle.stop()


def drain(url: str, cursor: str | None, limit: int) -> tuple[list[dict], str]:
    events = []
    while True:
        params = {"limit": limit} | ({"since": cursor} if cursor else {})
        response = httpx.get(f"{url}/events", params=params, timeout=10)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "application/x-ndjson"
        events += [json.loads(line) for line in response.text.splitlines()]
        cursor = response.headers["X-Next-Cursor"]
        if response.headers["X-Has-More"] == "false":
            return events, cursor


def test_cursor_returns_each_event_once_even_late_arrivals(world) -> None:
    # GIVEN the feed read to its end, seven events at a time
    truth = world.store.query("SELECT event_id FROM carrier_events ORDER BY rowid")
    events, cursor = drain(world.carrier_url, None, 7)
    assert [e["event_id"] for e in events] == [r["event_id"] for r in truth]
    assert events[0]["occurred_at"].endswith("Z") and "shipper_reference" in events[0]
    # WHEN an event arrives late (it happened before others already read)
    conn = sqlite3.connect(world.store_path)
    with conn:
        conn.execute(
            "INSERT INTO carrier_events VALUES "
            "('EVT-LATE', 'UPS', '1Z999', 'S00001', 'EX', '2026-03-01 10:00:00', 'Joliet, IL')"
        )
    conn.close()
    # THEN resuming from the stored cursor yields it, once
    late, cursor = drain(world.carrier_url, cursor, 7)
    assert [e["event_id"] for e in late] == ["EVT-LATE"]
    assert drain(world.carrier_url, cursor, 7)[0] == []


def test_foreign_cursor_is_refused(world) -> None:
    response = httpx.get(f"{world.carrier_url}/events", params={"since": "bm9wZQ"}, timeout=10)
    assert response.status_code == 400
