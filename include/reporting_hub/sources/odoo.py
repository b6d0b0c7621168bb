"""Read an Odoo stream page by page, the way Odoo wants to be read.

Rules learned from real servers (see DESIGN.md): explicit field lists, keyset
paging on (write_date, id) with a look-back window because write_date is the
start of the writing transaction, archived records included, every company the
user may read, and snapshots for models Odoo changes without write_date.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from reporting_hub.catalog import Stream
from reporting_hub.load.columns import FieldMapping, map_field
from reporting_hub.load.watermark import Watermark
from reporting_hub.sources.odoo_client import OdooClient, OdooUnknownField

log = logging.getLogger(__name__)
ODOO_DATETIME = "%Y-%m-%d %H:%M:%S"


def describe(client: OdooClient, stream: Stream) -> list[FieldMapping]:
    """Column mappings for the declared fields; a field the server lacks fails the stream."""
    meta = client.execute(stream.object, "fields_get", attributes=["type", "relation", "string"])
    missing = [f for f in stream.fields if f not in meta]
    if missing:
        major, minor = client.server_version
        raise OdooUnknownField(
            f"{stream.id}: declared field(s) {', '.join(missing)} do not exist on model "
            f"{stream.object} of Odoo {major}.{minor}; fix streams.yml or the version field map"
        )
    extra = sorted(set(meta) - set(stream.fields))
    if extra:
        log.debug("%s: %d server fields not loaded", stream.id, len(extra))
    return [map_field(name, meta[name]) for name in stream.fields]


def read_context(client: OdooClient) -> dict[str, Any]:
    """Context for every read: archived rows too, all readable companies, fixed lang and tz."""
    companies = client.execute("res.company", "search", domain=[], context={"active_test": False})
    return {
        "active_test": False,
        "allowed_company_ids": sorted(companies),
        "lang": "en_US",
        "tz": "UTC",
    }


def start_domain(stream: Stream, watermark: Watermark | None) -> list[Any]:
    """Where an incremental read starts: the look-back window before the watermark."""
    if stream.is_snapshot or watermark is None:
        return []
    since = datetime.strptime(watermark.write_date, ODOO_DATETIME)
    since -= timedelta(minutes=stream.lookback_minutes)
    return [("write_date", ">=", since.strftime(ODOO_DATETIME))]


def after(stream: Stream, last: dict[str, Any]) -> list[Any]:
    """Keyset condition for the page after the record `last`."""
    if stream.is_snapshot:
        return [("id", ">", last["id"])]
    wd = last["write_date"]
    return ["|", ("write_date", ">", wd), "&", ("write_date", "=", wd), ("id", ">", last["id"])]


def read_pages(
    client: OdooClient,
    stream: Stream,
    watermark: Watermark | None,
    context: dict[str, Any],
) -> Iterator[list[dict[str, Any]]]:
    """Yield pages of records in keyset order until the server has no more."""
    order = "id asc" if stream.is_snapshot else "write_date asc, id asc"
    base = start_domain(stream, watermark)
    domain = base
    while True:
        page = client.execute(
            stream.object,
            "search_read",
            domain=domain,
            fields=list(stream.fields),
            order=order,
            limit=stream.page_size,
            context=context,
        )
        if not page:
            return
        yield page
        if len(page) < stream.page_size:
            return
        domain = ["&", *base, *after(stream, page[-1])] if base else after(stream, page[-1])


def last_watermark(records: list[dict[str, Any]]) -> Watermark | None:
    """The highest (write_date, id) among records; pages arrive sorted, snapshots do not."""
    marks = [Watermark(r["write_date"], r["id"]) for r in records if r.get("write_date")]
    return max(marks, default=None)
