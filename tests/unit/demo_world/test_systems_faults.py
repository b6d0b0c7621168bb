"""Every fault knob is observable from a client, and repeatable given a seed."""

from __future__ import annotations

import http.client
import json
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from support.systems_world import start_systems_world, systems_store

from demo_world.faults import Faults, Plan

VERSION = "/web/webclient/version_info"


@pytest.fixture(scope="module")
def state_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("faults")
    systems_store(path)
    return path


@pytest.fixture
def serve(state_dir: Path) -> Iterator:
    """Start a world with the given fault JSON; stopped after the test."""
    started = []

    def start(spec: dict):
        world = start_systems_world(state_dir, faults=Faults.parse(json.dumps(spec)))
        started.append(world)
        return world

    yield start
    for world in started:
        world.stop()


def execute_kw(world, model: str = "res.company") -> dict:
    body = {
        "jsonrpc": "2.0",
        "method": "call",
        "id": 1,
        "params": {
            "service": "object",
            "method": "execute_kw",
            "args": ["demo", 2, "admin", model, "search_count", [[]]],
        },
    }
    return httpx.post(f"{world.url}/jsonrpc", json=body, timeout=10).json()


def test_config_parses_overrides_and_rejects_unknown_knobs() -> None:
    faults = Faults.parse(
        '{"error_rate": 0.1, "session_expiry_rate": 0.2, "shop": {"error_rate": 0}}'
    )
    assert faults.for_system("odoo").error_rate == 0.1
    assert faults.for_system("shop").error_rate == 0.0
    assert faults.for_system("carrier").session_expiry_rate == 0.0  # Odoo-only knob
    assert not Faults.parse(None).for_system("odoo").active
    with pytest.raises(ValueError, match="unknown fault knob"):
        Faults.parse('{"eror_rate": 0.1}')
    with pytest.raises(ValueError, match="between 0 and 1"):
        Faults.parse('{"drop_rate": 2}')


def test_plans_are_deterministic_and_rates_roughly_right() -> None:
    spec = '{"error_rate": 0.1, "throttle_rate": 0.05, "seed": 42}'
    plans = [Faults.parse(spec).injector("shop").plan() for _ in range(1)]
    first = Faults.parse(spec).injector("shop")
    second = Faults.parse(spec).injector("shop")
    a = [first.plan() for _ in range(2000)]
    assert a == [second.plan() for _ in range(2000)]
    assert 150 <= sum(p.action == "error" for p in a) <= 250
    assert 60 <= sum(p.action == "throttle" for p in a) <= 140
    assert plans[0] in (Plan(), Plan(0.0, "error"), Plan(0.0, "throttle"))


def test_error_rate_answers_503_at_about_the_rate(serve) -> None:
    world = serve({"error_rate": 0.25, "seed": 3})
    with httpx.Client(base_url=world.carrier_url, timeout=10) as client:
        codes = [client.get("/events", params={"limit": 1}).status_code for _ in range(200)]
    assert set(codes) == {200, 503}
    assert 30 <= codes.count(503) <= 70


def test_latency_and_slow_pages_are_felt(serve) -> None:
    world = serve(
        {"latency_ms": 80, "shop": {"latency_ms": 0, "slow_page_rate": 1.0, "slow_page_ms": 150}}
    )
    started = time.perf_counter()
    httpx.get(world.url + VERSION, timeout=10)
    assert time.perf_counter() - started >= 0.08
    started = time.perf_counter()
    httpx.get(world.shop_url + "/admin/api/2024-10/orders.json", timeout=10)
    assert time.perf_counter() - started >= 0.15


def test_dropped_connection_raises_a_connection_error(serve) -> None:
    world = serve({"drop_rate": 1.0})
    with pytest.raises(ConnectionError):
        urllib.request.urlopen(world.url + VERSION, timeout=5)
    with pytest.raises(httpx.TransportError):
        httpx.get(world.carrier_url + "/events", timeout=5)


def test_truncated_response_breaks_mid_body(serve) -> None:
    world = serve({"truncate_rate": 1.0})
    with pytest.raises((http.client.IncompleteRead, ConnectionError)):
        urllib.request.urlopen(world.carrier_url + "/events", timeout=5).read()


def test_timeout_hangs_past_the_client_timeout(serve) -> None:
    world = serve({"timeout_rate": 1.0, "timeout_s": 30})
    started = time.perf_counter()
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(world.url + VERSION, timeout=0.3)
    assert time.perf_counter() - started < 5


def test_injected_429_carries_retry_after(serve) -> None:
    world = serve({"throttle_rate": 1.0, "retry_after_s": 1.5})
    response = httpx.get(world.carrier_url + "/events", timeout=5)
    assert response.status_code == 429 and response.headers["Retry-After"] == "1.5"


def test_odoo_errors_travel_inside_the_protocol(serve) -> None:
    world = serve({"odoo_error_rate": 1.0})
    error = execute_kw(world)["error"]
    assert error["message"] == "Odoo Server Error"
    assert error["data"]["name"] == "psycopg2.OperationalError"
    json2 = httpx.post(
        f"{world.url}/json/2/res.company/search_count",
        json={"domain": []},
        headers={"Authorization": f"bearer {world.api_key}", "X-Odoo-Database": "demo"},
        timeout=10,
    )
    assert json2.status_code == 500 and json2.json()["name"] == "psycopg2.OperationalError"


def test_session_expiry_denies_access_like_odoo(serve) -> None:
    world = serve({"session_expiry_rate": 1.0})
    assert execute_kw(world)["error"]["data"]["name"] == "odoo.exceptions.AccessDenied"
    version = httpx.post(
        f"{world.url}/jsonrpc",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"service": "common", "method": "version", "args": []},
        },
        timeout=10,
    )
    assert version.json()["result"]["server_version"] == "19.0"  # only model calls expire
    json2 = httpx.post(
        f"{world.url}/json/2/res.company/search_count",
        json={"domain": []},
        headers={"Authorization": f"bearer {world.api_key}"},
        timeout=10,
    )
    assert json2.status_code == 401 and json2.json()["message"] == "Invalid apikey"


def test_faults_are_off_by_default(serve) -> None:
    world = serve({})
    assert execute_kw(world)["result"] >= 1
