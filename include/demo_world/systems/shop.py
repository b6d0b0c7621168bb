"""The online shop, served like Shopify's REST Admin API (version 2024-10).

`GET /admin/api/<version>/orders.json` answers `{"orders": [...]}` with Shopify-shaped orders,
ordered by `updated_at` then id. Filters (`updated_at_min`, `status`) go on the first request
only; later pages follow the opaque `page_info` cursor in the `Link` header, and a request that
combines `page_info` with filters is refused with 400, as Shopify does. Clients authenticate
with `X-Shopify-Access-Token` and share a leaky bucket (40 deep, 2/s): overflowing it answers
429 with `Retry-After`. `GET /admin/api/<version>/orders/count.json` counts with the same filters.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import uuid
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from demo_world.store import Store

from .clock import parse_ts
from .http import Handler
from .ratelimit import LeakyBucket
from .reading import has_table

SHOP_TZ = ZoneInfo("America/Chicago")  # the shop's timezone: Shopify answers in shop time
DEFAULT_LIMIT, MAX_LIMIT = 50, 250
ORDER_ID_BASE = 5_800_000_000_000  # Shopify ids are large integers, unrelated to order numbers
LINE_ID_BASE = 14_200_000_000_000
PAGINATION_DOC = "https://shopify.dev/api/usage/pagination-rest"
_ROUTE = re.compile(r"^/admin/api/(?P<version>\d{4}-\d{2})/orders(?P<count>/count)?\.json$")
_PAGE_PARAMS = {"limit", "fields", "page_info"}
_STATUS_SQL = {
    "any": "1 = 1",
    "cancelled": "cancelled_at IS NOT NULL",
    "closed": "cancelled_at IS NULL AND financial_status = 'paid' "
    "AND fulfillment_status = 'fulfilled'",
    "open": "cancelled_at IS NULL AND NOT (financial_status IS 'paid' "
    "AND fulfillment_status IS 'fulfilled')",
}


def shop_token_for(seed: int) -> str:
    """The Admin API access token: stable per seed, shaped like Shopify's `shpat_…` tokens."""
    return "shpat_" + hashlib.sha256(f"demo world shop {seed}".encode()).hexdigest()[:32]


class BadRequest(ValueError):
    """A 400 with Shopify's `{"errors": {param: message}}` body."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message)
        self.errors = {param: message}


@dataclass(frozen=True)
class OrderQuery:
    """One page request: the filters of the first request plus where the page starts."""

    updated_at_min: str | None = None  # naive UTC, store format
    status: str = "open"
    limit: int = DEFAULT_LIMIT
    after: tuple[str, int] | None = None  # (updated_at, order_number) keyset
    before: tuple[str, int] | None = None

    def cursor(self, key: tuple[str, int], direction: str) -> str:
        state = {"min": self.updated_at_min, "st": self.status, "d": direction, "k": list(key)}
        return (
            base64.urlsafe_b64encode(json.dumps(state, separators=(",", ":")).encode())
            .decode()
            .rstrip("=")
        )

    @classmethod
    def from_cursor(cls, page_info: str, limit: int) -> OrderQuery:
        try:
            padded = page_info + "=" * (-len(page_info) % 4)
            state = json.loads(base64.urlsafe_b64decode(padded))
            key = (str(state["k"][0]), int(state["k"][1]))
            query = cls(state["min"], state["st"], limit)
        except (ValueError, KeyError, TypeError, IndexError):
            raise BadRequest("page_info", "Invalid value.") from None
        return replace(query, after=key) if state["d"] == "next" else replace(query, before=key)


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]
    has_next: bool
    has_previous: bool


def parse_query(params: dict[str, list[str]]) -> OrderQuery:
    """Turn the query string into an OrderQuery, with Shopify's rules for `page_info`."""
    one = {k: v[-1] for k, v in params.items()}
    limit = _limit(one.get("limit"))
    if "page_info" in one:
        extra = sorted(set(one) - _PAGE_PARAMS)
        if extra:
            raise BadRequest(
                extra[0],
                f"{extra[0]} cannot be passed when page_info is present. "
                f"See {PAGINATION_DOC} for more information.",
            )
        return OrderQuery.from_cursor(one["page_info"], limit)
    status = one.get("status", "open")
    if status not in _STATUS_SQL:
        raise BadRequest("status", "Invalid value.")
    return OrderQuery(_utc_min(one.get("updated_at_min")), status, limit)


def _limit(text: str | None) -> int:
    if text is None:
        return DEFAULT_LIMIT
    try:
        return max(1, min(MAX_LIMIT, int(text)))
    except ValueError:
        raise BadRequest("limit", "Invalid value.") from None


def _utc_min(text: str | None) -> str | None:
    """`updated_at_min` in any ISO-8601 form; without an offset it means shop time."""
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.strip().replace(" ", "+"))
    except ValueError:
        raise BadRequest("updated_at_min", "Invalid value.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SHOP_TZ)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def _filters(query: OrderQuery) -> tuple[str, list[Any]]:
    where, params = [_STATUS_SQL[query.status]], []
    if query.updated_at_min:
        where.append("updated_at >= ?")
        params.append(query.updated_at_min)
    return " AND ".join(where), params


def fetch_page(store: Store, query: OrderQuery) -> Page:
    """One page of orders (with their lines) in (updated_at, order_number) order."""
    if not has_table(store, "shop_orders"):
        return Page([], False, False)
    where, params = _filters(query)
    order, key = "ASC", query.after
    if key:
        where += " AND (updated_at > ? OR (updated_at = ? AND order_number > ?))"
    elif query.before:
        order, key = "DESC", query.before
        where += " AND (updated_at < ? OR (updated_at = ? AND order_number < ?))"
    if key:
        params += [key[0], key[0], key[1]]
    sql = (
        f"SELECT * FROM shop_orders WHERE {where} "
        f"ORDER BY updated_at {order}, order_number {order} LIMIT ?"
    )
    rows = store.query(sql, [*params, query.limit + 1])
    more = len(rows) > query.limit
    rows = _with_lines(store, rows[: query.limit])
    if query.before:
        return Page(rows[::-1], True, more)
    return Page(rows, more, query.after is not None)


def count_orders(store: Store, query: OrderQuery) -> int:
    if not has_table(store, "shop_orders"):
        return 0
    where, params = _filters(query)
    return store.query(f"SELECT count(*) AS n FROM shop_orders WHERE {where}", params)[0]["n"]


def _with_lines(store: Store, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not rows:
        return rows
    ids = [r["shop_order_id"] for r in rows]
    marks = ", ".join("?" for _ in ids)
    lines = store.query(
        f"SELECT * FROM shop_order_lines WHERE shop_order_id IN ({marks}) "
        "ORDER BY shop_order_id, line_no",
        ids,
    )
    by_order: dict[str, list[dict[str, Any]]] = {}
    for line in lines:
        by_order.setdefault(line["shop_order_id"], []).append(line)
    return [{**r, "lines": by_order.get(r["shop_order_id"], [])} for r in rows]


# -- Shopify's JSON shape --------------------------------------------------------------------


def shop_time(text: str | None) -> str | None:
    """A store timestamp (naive UTC) in shop time with its offset, as Shopify writes it."""
    if text is None:
        return None
    return parse_ts(text).replace(tzinfo=dt.UTC).astimezone(SHOP_TZ).isoformat()


def order_json(row: dict[str, Any]) -> dict[str, Any]:
    """One store order as a Shopify REST order (the fields a sync reads)."""
    order_id = ORDER_ID_BASE + row["order_number"]
    first, _, last = (row.get("customer_name") or "").partition(" ")
    closed = row["financial_status"] == "paid" and row["fulfillment_status"] == "fulfilled"
    return {
        "id": order_id,
        "admin_graphql_api_id": f"gid://shopify/Order/{order_id}",
        "name": f"#{row['order_number']}",
        "order_number": row["order_number"],
        "source_identifier": row["shop_order_id"],
        "email": row["email"],
        "created_at": shop_time(row["created_at"]),
        "updated_at": shop_time(row["updated_at"]),
        "processed_at": shop_time(row["created_at"]),
        "cancelled_at": shop_time(row["cancelled_at"]),
        "closed_at": shop_time(row["updated_at"]) if closed else None,
        "financial_status": row["financial_status"],
        "fulfillment_status": row["fulfillment_status"],
        "currency": row["currency"],
        "presentment_currency": row["currency"],
        "total_price": _money(row["total_price"]),
        "customer": {"email": row["email"], "first_name": first, "last_name": last},
        "line_items": [_line_json(order_id, line) for line in row.get("lines", [])],
    }


def _line_json(order_id: int, line: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": LINE_ID_BASE + (order_id - ORDER_ID_BASE) * 100 + line["line_no"],
        "sku": line["sku"],
        "quantity": int(line["quantity"]),  # Shopify counts units in integers
        "price": _money(line["price"]),
    }


def _money(value: Any) -> str:
    return f"{float(value or 0):.2f}"


# -- HTTP ------------------------------------------------------------------------------------


class ShopHandler(Handler):
    """Routes the Admin API: authentication, the leaky bucket, then orders."""

    server_version = "nginx"
    sys_version = ""
    store: Store
    token: str
    bucket: LeakyBucket

    def route(self, method: str, path: str, query: dict[str, list[str]]) -> None:
        m = _ROUTE.match(path)
        if method != "GET" or not m:
            self.send_json(404, {"errors": "Not Found"})
            return
        headers = {"X-Shopify-API-Version": m["version"], "X-Request-Id": str(uuid.uuid4())}
        if self.headers.get("X-Shopify-Access-Token") != self.token:
            message = "[API] Invalid API key or access token (unrecognized login or wrong password)"
            self.send_json(401, {"errors": message}, headers)
            return
        verdict = self.bucket.take(self.token)
        headers["X-Shopify-Shop-Api-Call-Limit"] = f"{verdict.level}/{verdict.capacity}"
        if not verdict.allowed:
            headers["Retry-After"] = f"{max(verdict.retry_after_s, 0.1):.1f}"
            message = (
                f"Exceeded {self.bucket.leak_per_s:g} calls per second for api client. "
                "Reduce request rates to resume uninterrupted service."
            )
            self.send_json(429, {"errors": message}, headers)
            return
        try:
            self._orders(m["version"], bool(m["count"]), query, headers)
        except BadRequest as exc:
            self.send_json(400, {"errors": exc.errors}, headers)

    def _orders(
        self, version: str, count: bool, params: dict[str, list[str]], headers: dict[str, str]
    ) -> None:
        query = parse_query(params)
        if count:
            self.send_json(200, {"count": count_orders(self.store, query)}, headers)
            return
        page = fetch_page(self.store, query)
        links = self._links(version, query, page)
        if links:
            headers["Link"] = links
        orders = [order_json(r) for r in page.rows]
        wanted = [f for f in (params.get("fields") or [""])[-1].split(",") if f]
        if wanted:
            orders = [{k: o[k] for k in wanted if k in o} for o in orders]
        self.send_json(200, {"orders": orders}, headers)

    def _links(self, version: str, query: OrderQuery, page: Page) -> str:
        host = self.headers.get("Host") or f"{self.server.server_address[0]}"
        base = f"http://{host}/admin/api/{version}/orders.json"
        links = []
        if page.rows and page.has_previous:
            links.append(_link(base, query, page.rows[0], "previous"))
        if page.rows and page.has_next:
            links.append(_link(base, query, page.rows[-1], "next"))
        return ", ".join(links)


def _link(base: str, query: OrderQuery, row: dict[str, Any], rel: str) -> str:
    cursor = query.cursor((row["updated_at"], row["order_number"]), rel)
    return f'<{base}?{urlencode({"limit": query.limit, "page_info": cursor})}>; rel="{rel}"'


def shop_handler(store: Store, token: str, bucket: LeakyBucket) -> type[ShopHandler]:
    """A handler class bound to one store, token and bucket."""
    return type(
        "BoundShopHandler", (ShopHandler,), {"store": store, "token": token, "bucket": bucket}
    )
