"""Read an Odoo stream page by page, the way Odoo wants to be read.

Rules learned from real servers (see DESIGN.md): explicit field lists, keyset
paging on (write_date, id) with a look-back window because write_date is the
start of the writing transaction, archived records included, every company the
user may read, and snapshots for models Odoo changes without write_date.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from reporting_hub.catalog import Stream
from reporting_hub.load.columns import FieldMapping, columns_of, map_field, row_converter
from reporting_hub.load.watermark import Watermark, later
from reporting_hub.settings import Settings, SettingsError
from reporting_hub.sources.base import Extraction
from reporting_hub.sources.odoo.client import OdooClient, OdooUnknownField
from reporting_hub.sources.odoo.connect import connect_with_retries
from reporting_hub.sources.odoo.versions import FieldSource, resolve

log = logging.getLogger(__name__)
ODOO_DATETIME = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class OdooShape:
    """What one stream looks like on one server: columns, fields to ask for, fields left out."""

    mappings: list[FieldMapping]
    sources: list[FieldSource]
    unloaded: dict[str, str]  # server fields not in the catalog -> their type
    version: tuple[int, int]

    @property
    def request_fields(self) -> list[str]:
        return [s.source for s in self.sources if s.source]

    def converter(self) -> Callable[[dict[str, Any]], list[Any]]:
        """Record -> column values, translating moved fields first when there are any."""
        to_columns = row_converter(self.mappings)
        moved = [s for s in self.sources if s.source != s.name or s.values]
        if not moved:
            return to_columns

        def convert(record: dict[str, Any]) -> list[Any]:
            renamed = dict(record)
            for src in moved:
                renamed[src.name] = src.translate(record.get(src.source, False))
            return to_columns(renamed)

        return convert


def describe(client: OdooClient, stream: Stream) -> OdooShape:
    """How the declared fields read on this server; a field it lacks fails the stream."""
    meta = client.execute(stream.object, "fields_get", attributes=["type", "relation", "string"])
    major, minor = client.server_version
    sources = resolve(stream.object, stream.fields, major)
    missing = [s.source for s in sources if s.source and s.source not in meta]
    if missing:
        raise OdooUnknownField(
            f"{stream.id}: declared field(s) {', '.join(missing)} do not exist on model "
            f"{stream.object} of Odoo {major}.{minor}; fix streams.yml or the version field map "
            "(sources/odoo/versions.yml)"
        )
    mappings = [map_field(s.name, _field_meta(s, meta)) for s in sources]
    wanted = {s.source for s in sources}
    unloaded = {name: m.get("type", "?") for name, m in meta.items() if name not in wanted}
    return OdooShape(mappings, sources, unloaded, (major, minor))


def _field_meta(source: FieldSource, meta: dict[str, Any]) -> dict[str, Any]:
    found = dict(meta[source.source]) if source.source else {}
    if source.type:
        found["type"] = source.type
    return found


def open_extraction(stream: Stream, settings: Settings, watermark: str | None) -> Extraction:
    """Connect, check the declared fields against the server, and page through the model."""
    if settings.odoo is None:
        raise SettingsError(
            f"{stream.id}: no Odoo configured: set ODOO_URL, ODOO_DB, ODOO_USER, ODOO_PASSWORD"
        )
    client = connect_with_retries(settings.odoo)
    shape = describe(client, stream)
    convert = shape.converter()
    context = read_context(client)
    before = None if stream.is_snapshot else Watermark.parse(watermark)
    reached = [before]

    def pages() -> Iterator[list[list[Any]]]:
        for page in read_pages(client, stream, before, context, shape.request_fields):
            reached.append(last_watermark(page))
            yield [convert(record) for record in page]

    def final_watermark() -> str | None:
        mark = later(*reached)
        return str(mark) if mark else None

    return Extraction(
        columns=columns_of(shape.mappings),
        pages=pages(),
        watermark=final_watermark,
        unloaded_fields=shape.unloaded,
        retries=lambda: client.retries,
    )


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
    fields: list[str] | None = None,
) -> Iterator[list[dict[str, Any]]]:
    """Yield pages of records in keyset order until the server has no more."""
    fields = fields or list(stream.fields)
    order = "id asc" if stream.is_snapshot else "write_date asc, id asc"
    base = start_domain(stream, watermark)
    domain = base
    while True:
        page = client.execute(
            stream.object,
            "search_read",
            domain=domain,
            fields=fields,
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


def scan_ids(client: OdooClient, stream: Stream, page_size: int = 10_000) -> Iterator[list[int]]:
    """Every id the model has now (archived included), paged by id: the input of delete scans."""
    context = read_context(client)
    last = 0
    while True:
        ids = client.execute(
            stream.object,
            "search",
            domain=[("id", ">", last)],
            order="id asc",
            limit=page_size,
            context=context,
        )
        if not ids:
            return
        yield ids
        if len(ids) < page_size:
            return
        last = ids[-1]


def last_watermark(records: list[dict[str, Any]]) -> Watermark | None:
    """The highest (write_date, id) among records; pages arrive sorted, snapshots do not."""
    marks = [Watermark(r["write_date"], r["id"]) for r in records if r.get("write_date")]
    return max(marks, default=None)
