"""Copies that are not errors: a record delivered twice publishes once; differing copies wait.

GIVEN a carrier feed that delivers at least once (re-sending events, now and then a garbled
copy) and a bank that repeats a booking in the next day's statement, WHEN the hub syncs,
THEN identical copies publish once and are counted, differing copies are held in quarantine
naming every copy, and a steward who keeps the right one gets it published.
"""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
import threading
from contextlib import closing
from dataclasses import replace

import httpx
import pytest
from support.connectors import CATALOG, bank_published, bank_source, fetch, settings_for

from demo_world.store import Store
from demo_world.systems.reading import store_as_of
from reporting_hub import pipeline
from reporting_hub.catalog import Catalog
from reporting_hub.ops import steward
from reporting_hub.ops.duplicate_choice import keep_copy
from reporting_hub.sources.carrier import StuckCursor

EVENTS, BANK = "carrier.events", "bank.statement_lines"
PAGE = 100
SMALL_PAGES = Catalog({**CATALOG.streams, EVENTS: replace(CATALOG.get(EVENTS), page_size=PAGE)})
EVENT_COLUMNS = "event_id, carrier, tracking_number, shipper_reference, status_code, location"


def events_source(world) -> list[tuple]:
    rows = Store(world.store_path).query(
        "select event_id, carrier, tracking_number, order_ref, status_code, location, "
        "occurred_at from carrier_events order by event_id"
    )
    return [(*r.values(),) for r in rows]


def events_published(url: str) -> list[tuple]:
    return fetch(
        url,
        f"select {EVENT_COLUMNS}, to_char(occurred_at at time zone 'UTC', "
        "'YYYY-MM-DD HH24:MI:SS') from raw.carrier__events order by event_id",
    )


def copies_in_the_feed(world) -> tuple[int, dict[str, list[dict]]]:
    """Page the feed as any client would: copies of events already seen, and every copy."""
    seen: dict[str, list[dict]] = {}
    cursor, again = None, 0
    while True:
        params = {"limit": PAGE, **({"since": cursor} if cursor else {})}
        response = httpx.get(f"{world.carrier_url}/events", params=params)
        for event in (
            httpx.Response(200, content=line).json() for line in response.content.splitlines()
        ):
            again += event["event_id"] in seen
            seen.setdefault(event["event_id"], []).append(event)
        cursor = response.headers["X-Next-Cursor"]
        if response.headers["X-Has-More"] != "true":
            return again, seen


def test_a_feed_that_resends_events_publishes_each_once_and_counts_the_copies(
    make_world, warehouse_url, tmp_path
):
    world = make_world(habits='{"carrier": {"repeat_rate": 1}}')
    hub = settings_for(world, warehouse_url, tmp_path / "hub")
    again, _ = copies_in_the_feed(world)
    assert again > 0

    outcome = pipeline.sync(EVENTS, hub, SMALL_PAGES)

    assert events_published(warehouse_url) == events_source(world)
    run = fetch(
        warehouse_url,
        "select rows_read, rows_duplicate, rows_quarantined, rows_published from ops.sync_runs "
        "where batch_id = %s",
        (outcome["batch_id"],),
    )
    assert run == [(len(events_source(world)) + again, again, 0, len(events_source(world)))]


def test_differing_copies_are_held_naming_each_copy_and_the_one_a_steward_keeps_publishes(
    make_world, warehouse_url, tmp_path
):
    # GIVEN a feed that sends some events twice, the second copy garbled
    world = make_world(habits='{"carrier": {"conflict_rate": 0.05}}')
    hub = settings_for(world, warehouse_url, tmp_path / "hub")
    _, delivered = copies_in_the_feed(world)
    garbled = {e: copies for e, copies in delivered.items() if len(copies) > 1}
    assert garbled

    outcome = pipeline.sync(EVENTS, hub, SMALL_PAGES)

    # THEN every copy of those events is held, each naming itself and the other copy
    held = fetch(
        warehouse_url,
        "select event_id, _source_file || ':' || _source_line, _reasons -> 0 from "
        "quarantine.carrier__events where _batch_id = %s and _status = 'open' order by 1, 2",
        (outcome["batch_id"],),
    )
    assert {e for e, _, _ in held} == set(garbled)
    assert len(held) == 2 * len(garbled)
    for event_id, origin, reason in held:
        assert reason["expectation"] == "conflicting_duplicates"
        assert reason["key"] == {"event_id": event_id}
        assert reason["copy"] == origin
        assert origin in reason["copies"] and len(reason["copies"]) == 2
        assert reason["differs_in"] == ["occurred_at", "location"]
        assert reason["detail"].startswith(f"event_id={event_id} came 2 times with different")
    truth = {r[0]: r for r in events_source(world)}
    assert events_published(warehouse_url) == [r for e, r in truth.items() if e not in garbled]

    # WHEN a steward keeps, for each event, the copy the carrier really recorded
    for event_id in garbled:
        right = fetch(
            warehouse_url,
            "select _source_file || ':' || _source_line from quarantine.carrier__events "
            "where event_id = %s and location is not distinct from %s",
            (event_id, truth[event_id][5]),
        )[0][0]
        keep_copy(warehouse_url, outcome["batch_id"], right, "the carrier's own record", "steward")
    steward.release(warehouse_url, outcome["batch_id"], "copies chosen", "steward")

    # THEN raw holds every event as the carrier has it
    assert events_published(warehouse_url) == events_source(world)
    assert fetch(
        warehouse_url,
        "select _status, count(*) from quarantine.carrier__events group by 1 order by 1",
    ) == [("rejected", len(garbled)), ("released", len(garbled))]


def test_a_booking_repeated_next_day_publishes_once_and_a_changed_one_waits_for_a_steward(
    make_world, warehouse_url, tmp_path
):
    # GIVEN a bank that repeats the day before's last booking with its value date changed
    world = make_world(habits='{"bank": {"conflict_rate": 1}}')
    hub = settings_for(world, warehouse_url, tmp_path / "hub")
    first = pipeline.sync(BANK, hub)
    truth = {r[0]: r for r in bank_source(world.store_path)}
    held = fetch(
        warehouse_url,
        "select bank_line_ref, value_date::text, _source_file || ':' || _source_line "
        "from quarantine.bank__statement_lines where _status = 'open' order by 1, 3",
    )
    assert held and len(held) == 2 * len({ref for ref, _, _ in held})
    for ref in {ref for ref, _, _ in held}:  # the steward keeps the bank's own record
        right = next(origin for r, value, origin in held if r == ref and value == truth[ref][3])
        keep_copy(warehouse_url, first["batch_id"], right, "value date per the bank", "steward")
    steward.release(warehouse_url, first["batch_id"], "copies chosen", "steward")
    assert bank_published(warehouse_url) == bank_source(world.store_path)

    # WHEN the next day's statement repeats a published booking with another value date
    with closing(sqlite3.connect(world.store_path)) as conn, conn:
        conn.execute(
            "insert into bank_lines select 'BNK-NEXT-1', account_iban, '2026-04-01', "
            "'2026-04-01', 10.5, currency, counterparty_name, 'INV/NEXT', company_id "
            "from bank_lines limit 1"
        )
    world.bank.drop_until(store_as_of(Store(world.store_path)) + dt.timedelta(days=1))
    second = pipeline.sync(BANK, hub)

    # THEN that copy is held against the published record, which stays as it was
    ((reason,),) = fetch(
        warehouse_url,
        "select _reasons -> 0 from quarantine.bank__statement_lines where _batch_id = %s",
        (second["batch_id"],),
    )
    published, new = reason["copies"]
    assert published.endswith(" (published)") and new.startswith("statement_2026-04-01.csv:")
    assert reason["differs_in"] == ["value_date"]
    keep_copy(warehouse_url, second["batch_id"], published, "the first statement is right", "me")
    assert bank_published(warehouse_url) == bank_source(world.store_path)


def test_a_booking_repeated_identically_publishes_once_and_is_counted(
    make_world, warehouse_url, tmp_path
):
    world = make_world(habits='{"bank": {"repeat_rate": 1}}')
    hub = settings_for(world, warehouse_url, tmp_path / "hub")
    from support.connectors import statement_rows

    seen, again = set(), 0
    for path in sorted(world.bank_dir.glob("statement_*.csv")):
        for row in statement_rows(path):
            again += row["bank_line_ref"] in seen
            seen.add(row["bank_line_ref"])
    assert again > 0

    outcome = pipeline.sync(BANK, hub)

    assert bank_published(warehouse_url) == bank_source(world.store_path)
    assert fetch(
        warehouse_url,
        "select rows_duplicate, rows_quarantined from ops.sync_runs where batch_id = %s",
        (outcome["batch_id"],),
    ) == [(again, 0)]


def test_a_feed_that_says_more_waits_but_gives_no_cursor_fails_instead_of_looping(
    make_world, warehouse_url, tmp_path
):
    world = make_world(habits='{"carrier": {"cursorless_rate": 1}}')
    hub = settings_for(world, warehouse_url, tmp_path / "hub")
    failure: list[BaseException] = []

    def sync() -> None:
        try:
            pipeline.sync(EVENTS, hub, SMALL_PAGES)
        except BaseException as exc:  # handed to the test thread
            failure.append(exc)

    reader = threading.Thread(target=sync, daemon=True)
    reader.start()
    reader.join(timeout=60)

    assert not reader.is_alive(), "the sync is still reading the same page"
    assert len(failure) == 1 and isinstance(failure[0], StuckCursor)
    assert "X-Has-More: true" in str(failure[0])
    assert fetch(
        warehouse_url, "select status, error like '%%same page forever%%' from ops.sync_runs"
    ) == [("failed", True)]
    assert fetch(warehouse_url, "select count(*) from ops.stream_state") == [(0,)]
    with pytest.raises(StuckCursor):
        pipeline.sync(EVENTS, hub, SMALL_PAGES)


def test_a_confirmation_sent_early_then_final_publishes_the_final_and_counts_the_early_one(
    make_world, warehouse_url, tmp_path
):
    # GIVEN a 3PL that confirms some lines the day before, as only picked, then as shipped
    world = make_world(habits='{"wms": {"repeat_rate": 0.3}}')
    hub = settings_for(world, warehouse_url, tmp_path / "hub")
    early = sum(
        row["status_code"] == "PCK"
        for path in world.wms_inbox.glob("confirmations_*.csv")
        for row in csv.DictReader(path.read_text().splitlines())
    )
    assert early > 0

    outcome = pipeline.sync("wms.confirmations", hub)

    # THEN the later copy is the update: raw holds each final status, the early ones counted
    truth = Store(world.store_path).query(
        "select confirmation_id, status_code from wms_confirmations order by 1"
    )
    assert fetch(
        warehouse_url, "select confirmation_id, status_code from raw.wms__confirmations order by 1"
    ) == [tuple(r.values()) for r in truth]
    assert fetch(
        warehouse_url,
        "select rows_superseded, rows_duplicate, rows_quarantined from ops.sync_runs "
        "where batch_id = %s",
        (outcome["batch_id"],),
    ) == [(early, 0, 0)]
