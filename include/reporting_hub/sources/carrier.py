"""Carrier tracking events: an NDJSON feed behind an opaque, resumable cursor.

`GET {carrier_url}{endpoint}?since=<cursor>&limit=<n>` answers one event per line and the
cursor to resume from in `X-Next-Cursor`; `X-Has-More: true` while pages remain. The
watermark is that cursor, stored only when the batch publishes, so every event is
published exactly once: a crash re-reads from the last published cursor, and the merge
on `event_id` absorbs what the lost batch had already landed. A feed that says more is
waiting but gives no new cursor would serve the same page forever: that is an error.
Each event keeps its page (`/events?since=<cursor>`) and line as lineage; lines are read
as strict UTF-8, so a garbled one is a dead letter, never text with U+FFFD in it.
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
from reporting_hub.sources.decoding import Decoding
from reporting_hub.sources.retry import RetryPolicy
from reporting_hub.sources.values import (
    columns_of,
    record_converter,
    source_columns,
    unloaded_keys,
)

MAX_LIMIT = 5000


class StuckCursor(RuntimeError):
    """The feed says more events wait but gives no cursor past this page."""


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
    convert = record_converter(source_columns(stream))
    try:
        while True:
            page = f"{stream.endpoint}?since={cursor[0] or ''}"
            more, after = _next_cursor(stream, response, cursor[0])
            rows = []
            for number, line in enumerate(response.content.split(b"\n"), start=1):
                item = _event(convert, line, page, number)
                if isinstance(item, DeadLetter):
                    letters.append(item)
                elif item is not None:
                    rows.append(item)
            if rows:
                yield rows
            cursor[0] = after
            if not more:
                return
            response = _fetch(client, policy, url, stream, cursor[0])
    finally:
        client.close()


def _next_cursor(
    stream: Stream, response: httpx.Response, cursor: str | None
) -> tuple[bool, str | None]:
    """Whether another page waits, and the cursor to ask for it (or to resume from later)."""
    more = response.headers.get("X-Has-More", "").lower() == "true"
    after = response.headers.get("X-Next-Cursor") or None
    if more and (after is None or after == cursor):
        raise StuckCursor(
            f"{stream.id}: the feed says more events wait (X-Has-More: true) but gives "
            f"{'no' if after is None else 'the same'} cursor after since={cursor or 'start'} "
            "(X-Next-Cursor): reading on would fetch the same page forever"
        )
    return more, after or cursor


def _event(convert: Any, raw: bytes, page: str, number: int) -> list[Any] | DeadLetter | None:
    """One NDJSON line as column values plus lineage, a dead letter, or None if blank."""
    origin = f"{page}:{number}"
    line = Decoding(None, None).text(raw.rstrip(b"\r"))
    if not isinstance(line, str):
        return DeadLetter(line.shown, line.error, origin, raw)
    if not line.strip():
        return None
    try:
        return [*convert(json.loads(line)), page, number]
    except ValueError as exc:
        return DeadLetter(line, str(exc), origin)


def parse_dead_letter(stream: Stream, settings: Settings, letter: DeadLetter) -> list[Any]:
    """A dead-lettered event line converted again, after a fix, with its page and line."""
    page, _, number = letter.origin.rpartition(":")
    text = letter.payload if letter.raw is None else letter.raw.decode("utf-8")
    convert = record_converter(source_columns(stream))
    return [*convert(json.loads(text)), page, int(number)]


def _unloaded(response: httpx.Response, columns: list) -> dict[str, str]:
    first = response.text.split("\n", 1)[0]
    try:
        record = json.loads(first) if first.strip() else {}
    except ValueError:
        return {}
    return unloaded_keys(record, columns) if isinstance(record, dict) else {}
