"""Transient errors are retried with backoff and jitter; permanent ones fail at once."""

import random

import pytest

from reporting_hub.sources.odoo.client import OdooAuthError, OdooTransientError
from reporting_hub.sources.odoo.connect import RetryingClient
from reporting_hub.sources.retry import RetryPolicy, TransientError


def policy(**kw):
    slept = []
    return RetryPolicy(sleep=slept.append, rng=random.Random(1), **kw), slept


def flaky(failures, error=None):
    error = error or OdooTransientError("HTTP 503")
    calls = []

    def call():
        calls.append(1)
        if len(calls) <= failures:
            raise error
        return "ok"

    return call, calls


def test_transient_errors_are_retried_with_growing_jittered_delays():
    p, slept = policy(attempts=5, base_seconds=1, cap_seconds=100)
    call, calls = flaky(3)
    assert p.call(call, "stock.quant.search_read") == "ok"
    assert len(calls) == 4 and p.retries == 3
    for attempt, delay in enumerate(slept, start=1):
        assert 0 <= delay <= 2 ** (attempt - 1)


def test_gives_up_after_the_last_attempt_and_says_so():
    p, slept = policy(attempts=3)
    call, calls = flaky(10)
    with pytest.raises(OdooTransientError, match="gave up after 3 attempts"):
        p.call(call, "x")
    assert len(calls) == 3 and len(slept) == 2


def test_permanent_errors_are_not_retried():
    p, slept = policy()
    call, calls = flaky(1, OdooAuthError("Access Denied"))
    with pytest.raises(OdooAuthError):
        p.call(call, "x")
    assert len(calls) == 1 and slept == []


def test_server_requested_wait_is_obeyed_up_to_the_cap():
    p, slept = policy(cap_seconds=10)
    call, _ = flaky(2, TransientError("429", retry_after=3))
    p.call(call, "shop.orders")
    assert slept == [3, 3]
    assert p.delay(1, retry_after=60) == 10


class ExpiringSession:
    """Answers, then forgets the session once, as an Odoo worker restart would."""

    server_version = (19, 0)

    def __init__(self):
        self.calls, self.logins = 0, 0

    def execute(self, model, method, **kwargs):
        self.calls += 1
        if self.calls == 2 and self.logins == 0:
            raise OdooAuthError("Session expired")
        return [self.calls]

    def relogin(self):
        self.logins += 1


def test_access_denied_after_success_logs_in_again_once():
    inner = ExpiringSession()
    client = RetryingClient(inner, policy()[0])
    client.execute("res.company", "search")
    assert client.execute("res.company", "search") == [3]
    assert inner.logins == 1 and client.retries == 1


def test_access_denied_on_the_first_call_is_a_credentials_problem():
    class Refusing(ExpiringSession):
        def execute(self, model, method, **kwargs):
            raise OdooAuthError("Access Denied")

    inner = Refusing()
    with pytest.raises(OdooAuthError):
        RetryingClient(inner, policy()[0]).execute("res.company", "search")
    assert inner.logins == 0
