"""Connecting to Odoo: the protocol the settings ask for (or the best the server offers),
behind retries that survive a server briefly away and a session that expired.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from dataclasses import replace
from typing import Any

from reporting_hub.settings import OdooSettings
from reporting_hub.sources.odoo.client import OdooAuthError, OdooClient, OdooTransientError
from reporting_hub.sources.retry import RetryPolicy

log = logging.getLogger(__name__)
JSON2_SINCE = 19  # Odoo 19 introduced /json/2 and deprecated /jsonrpc


def connect(settings: OdooSettings, timeout: float = 120) -> OdooClient:
    """Log in with the configured protocol (or the best the server offers) and return a client."""
    if settings.protocol == "auto":
        settings = replace(settings, protocol=offered_protocol(settings, timeout))
    if settings.protocol == "json2":
        from reporting_hub.sources.odoo.json2 import Json2Client

        return Json2Client(settings, timeout=timeout)
    from reporting_hub.sources.odoo.jsonrpc import JsonRpcClient

    return JsonRpcClient(settings, timeout=timeout)


def offered_protocol(settings: OdooSettings, timeout: float = 30) -> str:
    """json2 when the server is Odoo 19+ and we hold an API key; jsonrpc otherwise."""
    if not settings.api_key:
        return "jsonrpc"
    request = urllib.request.Request(
        f"{settings.url}/web/webclient/version_info",
        data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": {}}).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            major = json.load(reply)["result"]["server_version_info"][0]
    except (OSError, ValueError, KeyError) as exc:
        raise OdooTransientError(
            f"cannot read the version of Odoo at {settings.url}: {exc}"
        ) from exc
    return "json2" if int(major) >= JSON2_SINCE else "jsonrpc"


class RetryingClient:
    """An OdooClient whose calls are retried on transient errors."""

    def __init__(self, client: OdooClient, policy: RetryPolicy | None = None):
        self._client = client
        self._policy = policy or RetryPolicy()
        self._answered = False

    @property
    def server_version(self) -> tuple[int, int]:
        return self._client.server_version

    @property
    def retries(self) -> int:
        return self._policy.retries

    def execute(self, model: str, method: str, **kwargs: Any) -> Any:
        what = f"{model}.{method}"
        try:
            result = self._policy.call(lambda: self._client.execute(model, method, **kwargs), what)
        except OdooAuthError:
            if not self._answered:
                raise  # never authenticated: the credentials are wrong, fail fast
            # It worked a moment ago: the session expired. Log in again, once.
            log.warning("%s: access denied after earlier success; logging in again", what)
            self._policy.retries += 1
            self._policy.call(self._client.relogin, f"login again for {what}")
            result = self._policy.call(lambda: self._client.execute(model, method, **kwargs), what)
        self._answered = True
        return result


def connect_with_retries(
    settings: OdooSettings, policy: RetryPolicy | None = None
) -> RetryingClient:
    """Log in to Odoo, retrying a server that is briefly away, and wrap the client."""
    policy = policy or RetryPolicy()
    client = policy.call(lambda: connect(settings), f"login to {settings.url}")
    return RetryingClient(client, policy)
