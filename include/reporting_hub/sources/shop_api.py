"""Shop orders from a Shopify-like REST Admin API: incremental on `updated_at`, cursor-paged.

One stream, `shop.orders`, keeps each order's `line_items` as jsonb: the lines arrive
inside their order, so a separate lines stream would fetch every page twice; the dbt
staging model unnests them. A run asks for `updated_at_min` = watermark minus the
look-back (the merge absorbs the overlap), then follows the `rel="next"` links.
"""

from __future__ import annotations

import datetime as dt
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

MAX_LIMIT = 250  # Shopify's largest page
CURSOR_COLUMN = "updated_at"


def open_extraction(stream: Stream, settings: Settings, watermark: str | None) -> Extraction:
    """Ask for the first page now (wrong token or URL fail here), then page on."""
    if settings.shop is None:
        raise SettingsError(f"{stream.id}: no shop configured: set SHOP_URL and SHOP_TOKEN")
    token = settings.shop.token.get_secret_value()
    client = http.new_client({"X-Shopify-Access-Token": token, "Accept": "application/json"})
    policy = RetryPolicy()
    params: dict[str, Any] = {"status": "any", "limit": min(stream.page_size, MAX_LIMIT)}
    since = updated_since(watermark, stream.lookback_minutes)
    if since is not None:
        params["updated_at_min"] = since.isoformat()
    try:
        first = http.get(
            client, settings.shop.url + stream.endpoint, policy, _what(stream, 1), params
        )
    except http.SourceAuthError as exc:
        client.close()
        raise http.SourceAuthError(f"{exc} (check SHOP_TOKEN)") from None
    columns = columns_of(stream)
    orders = first.json().get("orders") or []
    marks: list[dt.datetime] = [since_mark] if (since_mark := parse_mark(watermark)) else []
    letters: list[DeadLetter] = []
    return Extraction(
        columns=columns,
        pages=_pages(stream, client, policy, first, marks, letters),
        watermark=lambda: max(marks).isoformat() if marks else None,
        unloaded_fields=unloaded_keys(orders[0], columns) if orders else {},
        dead_letters=letters,
        retries=lambda: policy.retries,
    )


def _pages(
    stream: Stream,
    client: httpx.Client,
    policy: RetryPolicy,
    response: httpx.Response,
    marks: list[dt.datetime],
    letters: list[DeadLetter],
) -> Iterator[list[list[Any]]]:
    """Convert each page; an order seen twice in a run (updated meanwhile) is kept once.

    The later version is not lost: the watermark covers its updated_at, so the next run's
    look-back window reads it again.
    """
    convert = record_converter(columns_of(stream))
    cursor_at = stream.fields.index(CURSOR_COLUMN)
    keys = [stream.fields.index(k) for k in stream.primary_key]
    seen: set[tuple] = set()
    number = 1
    try:
        while True:
            rows = []
            for order in response.json().get("orders") or []:
                try:
                    row = convert(order)
                except ValueError as exc:
                    origin = f"{stream.endpoint} page {number}, order {order.get('id')}"
                    letters.append(DeadLetter(json.dumps(order), str(exc), origin))
                    continue
                key = tuple(row[i] for i in keys)
                if row[cursor_at] is not None:
                    marks.append(row[cursor_at])
                if key not in seen:
                    seen.add(key)
                    rows.append(row)
            if rows:
                yield rows
            url = http.next_link(response.headers.get("Link"))
            if url is None:
                return
            number += 1
            response = http.get(client, url, policy, _what(stream, number))
    finally:
        client.close()


def parse_dead_letter(stream: Stream, settings: Settings, letter: DeadLetter) -> list[Any]:
    """A dead-lettered order (its JSON) converted again, after a fix."""
    return record_converter(columns_of(stream))(json.loads(letter.payload))


def updated_since(watermark: str | None, lookback_minutes: int) -> dt.datetime | None:
    """Where the next read starts: the watermark minus the look-back (None: everything)."""
    mark = parse_mark(watermark)
    return None if mark is None else mark - dt.timedelta(minutes=lookback_minutes)


def parse_mark(watermark: str | None) -> dt.datetime | None:
    """The stored watermark: the latest `updated_at` published, ISO-8601 in UTC."""
    if not watermark:
        return None
    return dt.datetime.fromisoformat(watermark).astimezone(dt.UTC)


def _what(stream: Stream, page: int) -> str:
    return f"{stream.id} page {page}"
