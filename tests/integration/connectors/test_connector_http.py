"""REST sources under stress: 429s honoured, 5xx and drops retried, 401 fails fast.

GIVEN the demo shop and carrier feed misbehaving on purpose (seeded fault knobs), WHEN the
hub syncs, THEN raw still equals the source exactly once, and the retries are on record.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from support.connectors import CATALOG, fetch, settings_for

from demo_world.store import Store
from reporting_hub import pipeline
from reporting_hub.catalog import Catalog
from reporting_hub.settings import ShopSettings
from reporting_hub.sources.http import SourceAuthError


def small_pages(stream_id: str, page_size: int) -> Catalog:
    """The catalog with one stream paging small, so a tiny world still takes many requests."""
    streams = dict(CATALOG.streams)
    streams[stream_id] = replace(streams[stream_id], page_size=page_size)
    return Catalog(streams)


def shop_ids(world) -> list[tuple]:
    rows = Store(world.store_path).query("select order_number from shop_orders order by 1")
    return [(r["order_number"],) for r in rows]


def test_shop_429s_are_honoured_and_counted_and_every_order_lands_once(
    make_world, warehouse_url, tmp_path
):
    faults = '{"shop": {"throttle_rate": 0.3, "retry_after_s": 0.05, "seed": 11}}'
    world = make_world(faults)
    hub = settings_for(world, warehouse_url, tmp_path / "hub")

    outcome = pipeline.sync("shop.orders", hub, small_pages("shop.orders", 10))

    assert outcome["pages"] > 10
    (retries,) = fetch(
        warehouse_url,
        "select retries from ops.sync_runs where batch_id = %s",
        (outcome["batch_id"],),
    )[0]
    assert retries > 0
    assert fetch(warehouse_url, "select order_number from raw.shop__orders order by 1") == (
        shop_ids(world)
    )


def test_carrier_5xx_and_dropped_connections_are_retried_and_events_publish_exactly_once(
    make_world, warehouse_url, tmp_path
):
    faults = '{"carrier": {"error_rate": 0.15, "drop_rate": 0.15, "seed": 4}}'
    world = make_world(faults)
    hub = settings_for(world, warehouse_url, tmp_path / "hub")
    catalog = small_pages("carrier.events", 100)
    crashed = pipeline.extract("carrier.events", hub, catalog)  # lands, then the worker dies

    outcome = pipeline.sync("carrier.events", hub, catalog)

    events = Store(world.store_path).query("select count(*) n from carrier_events")[0]["n"]
    assert outcome["rows_published"] == events
    assert fetch(
        warehouse_url, "select count(*), count(distinct event_id) from raw.carrier__events"
    ) == [(events, events)]
    assert fetch(
        warehouse_url,
        "select status, retries > 0 from ops.sync_runs where batch_id in (%s, %s) order by run_id",
        (crashed["batch_id"], outcome["batch_id"]),
    ) == [
        ("failed", True),
        ("published", True),
    ]
    again = pipeline.sync("carrier.events", hub, catalog)
    assert again["rows_landed"] == 0


def test_a_wrong_shop_token_fails_fast_with_a_clear_message(world, warehouse_url, tmp_path):
    hub = settings_for(world, warehouse_url, tmp_path / "hub")
    hub = replace(hub, shop=ShopSettings(world.shop_url, "shpat_wrong"))

    with pytest.raises(SourceAuthError, match=r"HTTP 401.*check SHOP_TOKEN"):
        pipeline.sync("shop.orders", hub)

    assert fetch(warehouse_url, "select status, retries from ops.sync_runs") == [("failed", 0)]
