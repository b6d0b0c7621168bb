"""Typed values from systems that send text (CSV files) or JSON (REST APIs).

A stream without fields_get declares its columns with PostgreSQL types in the catalog;
these parsers turn each source value into the Python value COPY writes for that type,
and raise ValueError (naming the column) for a value that is not one, so the caller can
dead-letter the record instead of failing the batch or loading garbage.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from reporting_hub.catalog import Stream
from reporting_hub.load.columns import Column
from reporting_hub.sources.file_format import ValueFormat

Parser = Callable[[Any], Any]
TRUE, FALSE = {"true", "t", "1", "yes", "y"}, {"false", "f", "0", "no", "n"}


def columns_of(stream: Stream) -> list[Column]:
    """The stream's declared columns, in order, as the loader's Column objects."""
    return [Column(name, pg_type) for name, pg_type in stream.columns]


def source_columns(stream: Stream) -> list[Column]:
    """The columns the source itself sends: the declared ones but the lineage we add."""
    return [c for c in columns_of(stream) if c.name not in stream.lineage]


def _integer(value: Any) -> int:
    if isinstance(value, bool | float):
        raise ValueError(f"not an integer: {value!r}")
    return int(value)


def _numeric(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    if not number.is_finite() or "_" in str(value):
        raise ValueError(f"not a finite number: {value!r}")
    return number


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE or text in FALSE:
        return text in TRUE
    raise ValueError(f"not a boolean: {value!r}")


def _date(value: Any) -> dt.date:
    return dt.date.fromisoformat(str(value))


def _timestamptz(value: Any) -> dt.datetime:
    moment = dt.datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        raise ValueError(f"timestamp without a UTC offset: {value!r}")
    return moment


def _text(value: Any) -> str:
    if isinstance(value, dict | list):
        raise ValueError(f"not text: {json.dumps(value)[:80]}")
    return str(value)


def _jsonb_from_text(value: Any) -> str:
    json.loads(value)
    return value


def _jsonb(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


_COMMON: dict[str, Parser] = {
    "bigint": _integer,
    "integer": _integer,
    "numeric": _numeric,
    "boolean": _boolean,
    "date": _date,
    "timestamptz": _timestamptz,
    "text": _text,
}
TEXT_PARSERS: dict[str, Parser] = {**_COMMON, "jsonb": _jsonb_from_text}
JSON_PARSERS: dict[str, Parser] = {**_COMMON, "jsonb": _jsonb}


def formatted_parsers(fmt: ValueFormat) -> dict[str, Parser]:
    """The text parsers for a partner's declared formats (the defaults when none are)."""
    if fmt == ValueFormat():
        return TEXT_PARSERS
    parsers = dict(TEXT_PARSERS)
    if (fmt.decimal, fmt.thousands) != (".", None):
        number = _locale_number(fmt)
        parsers["numeric"] = lambda value: _numeric(number(value))
        parsers["bigint"] = parsers["integer"] = lambda value: _integer(number(value, True))
    if fmt.date:
        parsers["date"] = _formatted_date(fmt.date)
    if fmt.timestamp:
        parsers["timestamptz"] = lambda value: _timestamptz(
            dt.datetime.strptime(str(value).strip(), fmt.timestamp).isoformat()
        )
    return parsers


def _formatted_date(pattern: str) -> Parser:
    """strptime is slow and a file repeats its few dates: each text is parsed once."""

    @functools.lru_cache(maxsize=4096)
    def parse(text: str) -> dt.date:
        return dt.datetime.strptime(text.strip(), pattern).date()

    return lambda value: parse(str(value))


def _locale_number(fmt: ValueFormat) -> Callable[..., str]:
    """`1.234,56` -> `1234.56`, strictly: digits grouped by threes or not at all."""
    d, t = re.escape(fmt.decimal), re.escape(fmt.thousands or "")
    plain = re.compile(rf"[+-]?\d+(?:{d}\d+)?")
    grouped = re.compile(rf"[+-]?\d{{1,3}}(?:{t}\d{{3}})+(?:{d}\d+)?") if fmt.thousands else None
    example = f"1{fmt.thousands or ''}234{fmt.decimal}56"

    def canonical(value: Any, whole: bool = False) -> str:
        text = str(value).strip()
        if not (plain.fullmatch(text) or (grouped and grouped.fullmatch(text))):
            raise ValueError(f"not a number written like {example}: {value!r}")
        if fmt.thousands:
            text = text.replace(fmt.thousands, "")
        if whole and fmt.decimal in text:
            raise ValueError(f"not an integer: {value!r}")
        return text.replace(fmt.decimal, ".")

    return canonical


def column_parser(parsers: dict[str, Parser], column: Column) -> Parser:
    """The parser of one column: None and '' are NULL; a bad value raises naming the column."""
    parse = parsers[column.pg_type]

    def one(value: Any) -> Any:
        if value is None or value == "":
            return None
        try:
            return parse(value)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"column {column.name} ({column.pg_type}): {exc}") from None

    return one


def record_converter(columns: list[Column]) -> Callable[[dict[str, Any]], list[Any]]:
    """A JSON record (one order, one event) -> column values, taken by column name."""
    plan = [(column.name, column_parser(JSON_PARSERS, column)) for column in columns]

    def convert(record: dict[str, Any]) -> list[Any]:
        if not isinstance(record, dict):
            raise ValueError(f"not a JSON object: {json.dumps(record)[:80]}")
        return [parse(record.get(name)) for name, parse in plan]

    return convert


def unloaded_keys(record: dict[str, Any], columns: list[Column]) -> dict[str, str]:
    """Keys the source sends that the catalog does not load, with their JSON type."""
    declared = {c.name for c in columns}
    return {key: type(value).__name__ for key, value in record.items() if key not in declared}
