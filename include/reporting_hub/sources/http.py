"""GET with the retry rules every REST source shares.

429 (with the server's `Retry-After`), 5xx, timeouts and dropped connections are
transient: retried with backoff by `RetryPolicy`. 401/403 mean the credentials are
wrong, and other 4xx mean the request is; both fail at once with the server's words.
"""

from __future__ import annotations

import re
from typing import Any

import httpx

from reporting_hub.sources.retry import RetryPolicy, TransientError

TIMEOUT = httpx.Timeout(30.0, connect=10.0)
_NEXT_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


class SourceAuthError(PermissionError):
    """The source refused the credentials: retrying will not help."""


class SourceRequestError(RuntimeError):
    """The source refused the request itself (4xx): a bug or a misconfiguration."""


def new_client(headers: dict[str, str] | None = None) -> httpx.Client:
    return httpx.Client(timeout=TIMEOUT, headers=headers or {}, follow_redirects=False)


def get(
    client: httpx.Client,
    url: str,
    policy: RetryPolicy,
    what: str,
    params: dict[str, Any] | None = None,
) -> httpx.Response:
    """One GET, retried while the failure is transient; returns a 2xx response."""
    return policy.call(lambda: _get_once(client, url, params, what), what)


def _get_once(
    client: httpx.Client, url: str, params: dict[str, Any] | None, what: str
) -> httpx.Response:
    try:
        response = client.get(url, params=params)
        response.read()  # a body cut short raises here, inside the retry
    except (httpx.TimeoutException, httpx.TransportError) as exc:
        raise TransientError(f"{what}: {type(exc).__name__}: {exc}") from exc
    status = response.status_code
    if status == 429:
        wait = retry_after(response.headers.get("Retry-After"))
        raise TransientError(f"{what}: 429 Too Many Requests", retry_after=wait)
    if status >= 500:
        raise TransientError(f"{what}: HTTP {status}")
    if status in (401, 403):
        raise SourceAuthError(f"{what}: HTTP {status}, credentials refused: {_said(response)}")
    if status >= 400:
        raise SourceRequestError(f"{what}: HTTP {status}: {_said(response)}")
    return response


def retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (the delta-seconds form); None if absent or odd."""
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def next_link(link_header: str | None) -> str | None:
    """The `rel="next"` URL of a Link header, if there is one."""
    match = _NEXT_LINK.search(link_header or "")
    return match.group(1) if match else None


def _said(response: httpx.Response) -> str:
    return response.text[:300].strip() or response.reason_phrase
