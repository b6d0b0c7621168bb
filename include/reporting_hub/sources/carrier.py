"""Carrier tracking events: an NDJSON feed behind an opaque, resumable cursor.

`GET {carrier_url}{endpoint}?since=<cursor>&limit=<n>` answers one event per line and the
cursor to resume from in `X-Next-Cursor`; `X-Has-More: true` while pages remain. The
watermark is that cursor, stored only when the batch publishes, so every event is
published exactly once: a crash re-reads from the last published cursor, and the merge
on `event_id` absorbs what the lost batch had already landed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx

from reporting_hub.catalog import Stream
from reporting_hub.settings import Settings, SettingsError
from reporting_hub.sources import http
from reporting_hub.sources.base import DeadLetter, Extraction
from reporting_hub.sources.retry import RetryPolicy
from reporting_hub.sources.values import columns_of, record_converter, unloaded_keys

MAX_LIMIT = 5000


def open_extraction(stream: Stream, settings: Settings, watermark: str | None) -> Extraction:
    """Read the first page now (a wrong URL fails here), then follow the cursor."""
    if settings.carrier_url is None:
        raise SettingsError(f"{stream.id}: no carrier feed configured: set CARRIER_URL")
    url = settings.carrier_url + stream.endpoint
    client, policy = http.new_client({"Accept": "application/x-ndjson"}), RetryPolicy()
    first = _fetch(client, policy, url, stream, watermark)
    columns = columns_of(stream)
    cursor = [watermark]
    letters: list[DeadLetter] = []
    pages = _pages(stream, client, policy, url, first, cursor, letters)
    return Extraction(
        columns=columns,
        pages=pages,
        watermark=lambda: cursor[0],
        unloaded_fields=_unloaded(first, columns),
        dead_letters=letters,
        retries=lambda: policy.retries,
    )


def _fetch(
    client: httpx.Client, policy: RetryPolicy, url: str, stream: Stream, cursor: str | None
) -> httpx.Response:
    params: dict[str, Any] = {"limit": min(stream.page_size, MAX_LIMIT)}
    if cursor:
        params["since"] = cursor
    return http.get(client, url, policy, f"{stream.id} since {cursor or 'start'}", params)


def _pages(
    stream: Stream,
    client: httpx.Client,
    policy: RetryPolicy,
    url: str,
    response: httpx.Response,
    cursor: list[str | None],
    letters: list[DeadLetter],
) -> Iterator[list[list[Any]]]:
    """Each page's events; the cursor advances only past pages already handed over."""
    convert = record_converter(columns_of(stream))
    try:
        while True:
            origin = f"{stream.endpoint}?since={cursor[0] or ''}"
            rows = []
            for number, line in enumerate(response.text.splitlines(), start=1):
                if not line.strip():
                    continue
                try:
                    rows.append(convert(json.loads(line)))
                except ValueError as exc:
                    letters.append(DeadLetter(line, str(exc), f"{origin} line {number}"))
            if rows:
                yield rows
            cursor[0] = response.headers.get("X-Next-Cursor") or cursor[0]
            if response.headers.get("X-Has-More", "").lower() != "true":
                return
            response = _fetch(client, policy, url, stream, cursor[0])
    finally:
        client.close()


def parse_dead_letter(stream: Stream, settings: Settings, letter: DeadLetter) -> list[Any]:
    """A dead-lettered event line converted again, after a fix."""
    return record_converter(columns_of(stream))(json.loads(letter.payload))


def _unloaded(response: httpx.Response, columns: list) -> dict[str, str]:
    first = response.text.split("\n", 1)[0]
    try:
        record = json.loads(first) if first.strip() else {}
    except ValueError:
        return {}
    return unloaded_keys(record, columns) if isinstance(record, dict) else {}
