"""From Odoo field metadata to warehouse columns, and from Odoo values to column values.

The mapping is the one in docs/contracts.md: many2one splits into an id and a
name column, Odoo's `false` is NULL for every non-boolean type, datetimes are
naive UTC on the wire and land as timestamptz.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

PG_TYPES = {
    "integer": "bigint",
    "float": "numeric",
    "monetary": "numeric",
    "char": "text",
    "text": "text",
    "html": "text",
    "selection": "text",
    "boolean": "boolean",
    "date": "date",
    "datetime": "timestamptz",
    "one2many": "jsonb",
    "many2many": "jsonb",
    "many2one_reference": "bigint",
}
METADATA_COLUMNS = (("_batch_id", "text"), ("_extracted_at", "timestamptz"))


class UnsupportedFieldType(ValueError):
    """A declared field has an Odoo type the warehouse has no column type for."""


@dataclass(frozen=True)
class Column:
    name: str
    pg_type: str


@dataclass(frozen=True)
class FieldMapping:
    """How one Odoo field becomes one or two columns."""

    field: str
    odoo_type: str
    columns: tuple[Column, ...]
    convert: Callable[[Any], tuple[Any, ...]]


def map_field(name: str, meta: dict[str, Any]) -> FieldMapping:
    """The columns and value converter for one field, from its fields_get entry."""
    odoo_type = "integer" if name == "id" else meta["type"]
    if odoo_type == "many2one":
        cols = (Column(name, "bigint"), Column(f"{name}_name", "text"))
        return FieldMapping(name, odoo_type, cols, _many2one)
    if odoo_type not in PG_TYPES:
        raise UnsupportedFieldType(f"field {name!r} has unsupported Odoo type {odoo_type!r}")
    converter = {
        "boolean": _boolean,
        "datetime": _datetime,
        "one2many": _id_list,
        "many2many": _id_list,
    }.get(odoo_type, _scalar)
    return FieldMapping(name, odoo_type, (Column(name, PG_TYPES[odoo_type]),), converter)


def row_converter(mappings: Iterable[FieldMapping]) -> Callable[[dict[str, Any]], list[Any]]:
    """A function turning one Odoo record into the flat list of column values."""
    plan = [(m.field, m.convert) for m in mappings]

    def convert(record: dict[str, Any]) -> list[Any]:
        values: list[Any] = []
        for field_name, conv in plan:
            values.extend(conv(record.get(field_name, False)))
        return values

    return convert


def columns_of(mappings: Iterable[FieldMapping]) -> list[Column]:
    return [col for m in mappings for col in m.columns]


def _scalar(value: Any) -> tuple[Any]:
    return (None if value is False else value,)


def _boolean(value: Any) -> tuple[Any]:
    return (bool(value),)


def _many2one(value: Any) -> tuple[Any, Any]:
    if not value:
        return (None, None)
    return (value[0], value[1])


def _datetime(value: Any) -> tuple[Any]:
    # Odoo sends naive UTC; say so explicitly so the session time zone cannot shift it.
    return (None if not value else f"{value}+00",)


def _id_list(value: Any) -> tuple[Any]:
    return (json.dumps(value or []),)
