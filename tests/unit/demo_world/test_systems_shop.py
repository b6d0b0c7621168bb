"""The shop answers like Shopify's REST Admin API: Link-header paging, filters, auth, 429s."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from support.systems_world import start_systems_world

from demo_world.systems.ratelimit import LeakyBucket
from demo_world.systems.shop import SHOP_TZ, shop_time

ORDERS = "/admin/api/2024-10/orders.json"
NEXT = re.compile(r'<([^>]+)>; rel="next"')


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    roomy = LeakyBucket(capacity=10_000, leak_per_s=100.0)  # paging tests must not be throttled
    handle = start_systems_world(tmp_path_factory.mktemp("shop"), shop_bucket=roomy)
    yield handle
    handle.stop()


@pytest.fixture
def shop(world) -> Iterator[httpx.Client]:
    headers = {"X-Shopify-Access-Token": world.shop_token}
    with httpx.Client(base_url=world.shop_url, headers=headers, timeout=10) as client:
        yield client


def store_orders(world, where: str = "1 = 1", params: tuple = ()) -> list[dict]:
    return world.store.query(
        f"SELECT * FROM shop_orders WHERE {where} ORDER BY updated_at, order_number", params
    )


def walk(shop: httpx.Client, first_params: dict) -> tuple[list[dict], int]:
    """Follow Link headers from the first page to the last; (orders, pages)."""
    response = shop.get(ORDERS, params=first_params)
    orders, pages = [], 0
    while True:
        assert response.status_code == 200, response.text
        orders += response.json()["orders"]
        pages += 1
        link = NEXT.search(response.headers.get("Link", ""))
        if not link:
            return orders, pages
        assert "updated_at_min" not in link[1] and "status" not in link[1]
        response = shop.get(link[1])


def test_link_paging_returns_every_order_once_in_updated_at_order(world, shop) -> None:
    # GIVEN the shop's orders, WHEN a client follows the Link headers five orders at a time
    orders, pages = walk(shop, {"status": "any", "limit": 5})
    # THEN it sees every order exactly once, ordered by updated_at then id
    truth = store_orders(world)
    assert [o["source_identifier"] for o in orders] == [r["shop_order_id"] for r in truth]
    assert pages == -(-len(truth) // 5)
    keys = [(o["updated_at"], o["id"]) for o in orders]
    assert keys == sorted(keys)


def test_updated_at_min_is_honoured_on_the_first_page_only(world, shop) -> None:
    cut = store_orders(world)[10]["updated_at"]
    since = shop_time(cut)  # shop time with its offset, as a client would send it back
    orders, _ = walk(shop, {"status": "any", "limit": 4, "updated_at_min": since})
    expected = store_orders(world, "updated_at >= ?", (cut,))
    assert [o["name"] for o in orders] == [f"#{r['order_number']}" for r in expected]
    first = shop.get(ORDERS, params={"status": "any", "limit": 4})
    next_url = NEXT.search(first.headers["Link"])[1]
    refused = shop.get(next_url + "&updated_at_min=2026-01-01T00:00:00Z")
    assert refused.status_code == 400
    assert (
        "cannot be passed when page_info is present" in refused.json()["errors"]["updated_at_min"]
    )


def test_orders_have_shopify_shape(world, shop) -> None:
    order = shop.get(ORDERS, params={"status": "any", "limit": 1}).json()["orders"][0]
    row = store_orders(world)[0]
    assert order["name"] == f"#{row['order_number']}" and isinstance(order["id"], int)
    assert order["total_price"] == f"{row['total_price']:.2f}"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-0[56]:00", order["created_at"])
    assert order["line_items"] and {"sku", "quantity", "price"} <= set(order["line_items"][0])
    assert isinstance(order["line_items"][0]["price"], str)
    assert str(SHOP_TZ) == "America/Chicago"


def test_status_filters_and_count(world, shop) -> None:
    cancelled = store_orders(world, "cancelled_at IS NOT NULL")
    got = shop.get(ORDERS, params={"status": "cancelled", "limit": 250}).json()["orders"]
    assert [o["source_identifier"] for o in got] == [r["shop_order_id"] for r in cancelled]
    assert all(o["cancelled_at"] for o in got)
    count = shop.get("/admin/api/2024-10/orders/count.json", params={"status": "any"}).json()
    assert count == {"count": len(store_orders(world))}


def test_previous_link_leads_back(shop) -> None:
    first = shop.get(ORDERS, params={"status": "any", "limit": 3})
    second = shop.get(NEXT.search(first.headers["Link"])[1])
    previous = re.search(r'<([^>]+)>; rel="previous"', second.headers["Link"])[1]
    assert shop.get(previous).json() == first.json()


def test_authentication_and_bad_cursor(world, shop) -> None:
    anonymous = httpx.get(world.shop_url + ORDERS, timeout=10)
    assert anonymous.status_code == 401 and "Invalid API key" in anonymous.json()["errors"]
    bad = shop.get(ORDERS, params={"page_info": "not-a-cursor"})
    assert bad.status_code == 400 and bad.json() == {"errors": {"page_info": "Invalid value."}}


def test_a_burst_is_throttled_with_retry_after(tmp_path_factory) -> None:
    # GIVEN a shop whose bucket holds 5 calls and leaks 1 per second
    world = start_systems_world(
        tmp_path_factory.mktemp("burst"), shop_bucket=LeakyBucket(capacity=5, leak_per_s=1.0)
    )
    try:
        headers = {"X-Shopify-Access-Token": world.shop_token}
        with httpx.Client(base_url=world.shop_url, headers=headers, timeout=10) as client:
            # WHEN a client fires 12 calls at once
            answers = [client.get(ORDERS, params={"limit": 1}) for _ in range(12)]
    finally:
        world.stop()
    # THEN the first five pass and the rest get 429 with a Retry-After
    assert [a.status_code for a in answers[:5]] == [200] * 5
    throttled = [a for a in answers if a.status_code == 429]
    assert len(throttled) >= 6
    assert all(0 < float(a.headers["Retry-After"]) <= 1.0 for a in throttled)
    assert answers[4].headers["X-Shopify-Shop-Api-Call-Limit"] == "5/5"
    assert "Exceeded 1 calls per second" in throttled[0].json()["errors"]


def test_leaky_bucket_drains_over_time() -> None:
    now = [0.0]
    bucket = LeakyBucket(capacity=2, leak_per_s=2.0, clock=lambda: now[0])
    assert [bucket.take("k").allowed for _ in range(3)] == [True, True, False]
    now[0] = 0.5  # one unit leaked
    assert bucket.take("k").allowed and not bucket.take("k").allowed
    assert bucket.take("other").allowed  # buckets are per client
