"""Quoted SQL names of a stream's tables, for the queries GX sends to PostgreSQL."""

from __future__ import annotations

from reporting_hub.catalog import Stream


def ident(name: str) -> str:
    """A PostgreSQL quoted identifier: catalog names go into SQL text, never raw."""
    return '"' + name.replace('"', '""') + '"'


def landing_table(stream: Stream) -> str:
    return f"landing.{ident(stream.table)}"


def raw_table(stream_id: str) -> str:
    """raw.<table> of a stream id, e.g. `odoo.product_product` -> raw."odoo__product_product"."""
    return f"raw.{ident(stream_id.replace('.', '__'))}"
