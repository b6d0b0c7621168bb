"""REST rules: which answers are retried, which fail at once; Link paging; the shop's window."""

import datetime as dt

import httpx
import pytest

from reporting_hub.sources import http
from reporting_hub.sources.retry import RetryPolicy, TransientError
from reporting_hub.sources.shop_api import updated_since


def answering(status: int, headers: dict | None = None) -> httpx.Client:
    def handler(request):
        return httpx.Response(status, headers=headers or {}, text='{"errors": "nope"}')

    return httpx.Client(transport=httpx.MockTransport(handler))


def once(status, headers=None):
    policy = RetryPolicy(attempts=1)
    with answering(status, headers) as client:
        return http.get(client, "http://shop/orders.json", policy, "shop.orders page 1")


def test_429_and_5xx_are_transient_and_auth_and_other_4xx_are_permanent():
    with pytest.raises(TransientError, match="429 Too Many Requests"):
        once(429, {"Retry-After": "2.0"})
    with pytest.raises(TransientError, match="HTTP 503"):
        once(503)
    with pytest.raises(http.SourceAuthError, match="HTTP 401, credentials refused: .*nope"):
        once(401)
    with pytest.raises(http.SourceRequestError, match="HTTP 400"):
        once(400)


def test_retries_sleep_what_the_server_asked_then_succeed():
    answers = iter([429, 429, 200])
    slept = []

    def handler(request):
        return httpx.Response(next(answers), headers={"Retry-After": "0.7"}, json={})

    policy = RetryPolicy(sleep=slept.append)
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        assert http.get(client, "http://shop/x", policy, "x").status_code == 200
    assert slept == [0.7, 0.7] and policy.retries == 2


def test_the_next_link_is_found_among_others():
    header = (
        '<http://s/o.json?page_info=a>; rel="previous", <http://s/o.json?page_info=b>; rel="next"'
    )
    assert http.next_link(header) == "http://s/o.json?page_info=b"
    assert http.next_link('<http://s/o.json?page_info=a>; rel="previous"') is None
    assert http.next_link(None) is None


def test_the_shop_window_starts_a_look_back_before_the_watermark():
    assert updated_since(None, 10) is None
    since = updated_since("2026-03-31T04:12:00+00:00", 10)
    assert since == dt.datetime(2026, 3, 31, 4, 2, tzinfo=dt.UTC)
