"""GX validation results turned into plain, JSON-safe rows and one sentence per failure.

The rows go to ops.validation_runs and the sentences to logs and alerts, so both must
say what failed, where and on which keys without anyone opening Data Docs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from reporting_hub.quality.checkpoints import SAMPLE_SIZE
from reporting_hub.quality.unexpected import level

if TYPE_CHECKING:
    from great_expectations.core import ExpectationValidationResult
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

ROWS_EXPECTATION = "unexpected_rows_expectation"
# Fetches the rows an UnexpectedRowsExpectation returned (GX's SUMMARY gives only a count).
RowFetcher = Callable[["ExpectationConfiguration"], list[dict]]


def summarize(
    results: Iterable[ExpectationValidationResult], keys: tuple[str, ...], fetch_rows: RowFetcher
) -> list[dict[str, Any]]:
    """One JSON-safe dict per expectation: what was checked, the verdict, the evidence."""
    return [_entry(result, keys, fetch_rows) for result in results]


def batch_entry(
    expectation: str, success: bool, observed: Any, kwargs: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A result entry for a batch-level check made outside GX (schema, empty batch, waiver)."""
    return {
        "expectation": expectation,
        "column": None,
        "kwargs": kwargs or {},
        "success": success,
        "observed_value": observed,
        "element_count": None,
        "unexpected_count": None,
        "sample_keys": [],
        "sample_values": [],
        "error": None,
        "level": "batch",
    }


def describe(entry: dict[str, Any]) -> str:
    """One readable sentence for a failed expectation."""
    subject = f"{entry['expectation']} on {entry['column'] or 'the batch'}"
    if entry.get("rule"):
        subject += f" (rule {entry['rule']})"
    if entry["error"]:
        return f"{subject} could not be evaluated: {entry['error']}"
    if entry["unexpected_count"] is None:
        return f"{subject}: observed {entry['observed_value']!r} ({_kwargs_text(entry['kwargs'])})"
    of_rows = f" of {entry['element_count']}" if entry["element_count"] is not None else ""
    sentence = f"{subject}: {entry['unexpected_count']}{of_rows} rows unexpected"
    if entry["sample_keys"]:
        sentence += "; sample keys " + ", ".join(map(_key_text, entry["sample_keys"]))
    if entry["sample_values"]:
        sentence += "; sample values " + ", ".join(map(str, entry["sample_values"]))
    return sentence


def jsonable(value: Any) -> Any:
    """The value in types jsonb accepts: NaN and infinities become strings, not tokens."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float | Decimal):
        return float(value) if math.isfinite(value) else str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _entry(
    result: ExpectationValidationResult, keys: tuple[str, ...], fetch_rows: RowFetcher
) -> dict[str, Any]:
    config = result.expectation_config
    kwargs = {k: v for k, v in config.kwargs.items() if k != "batch_id"}
    details = result.result or {}
    error = (result.exception_info or {}).get("exception_message")
    entry = {
        "expectation": config.type,
        "column": _column(config),
        "rule": (config.meta or {}).get("rule"),
        "kwargs": jsonable(kwargs),
        "success": bool(result.success),
        "observed_value": jsonable(details.get("observed_value")),
        "element_count": details.get("element_count"),
        "unexpected_count": details.get("unexpected_count"),
        "sample_keys": _unique(key_rows(jsonable(details.get("partial_unexpected_index_list")))),
        "sample_values": [],
        "error": str(error) if error and not result.success else None,
    }
    if config.type == ROWS_EXPECTATION and not entry["error"]:
        entry["unexpected_count"] = details.get("observed_value")
        if not result.success:
            _add_row_samples(entry, fetch_rows(config), keys)
    entry["level"] = level(entry)
    return entry


def _add_row_samples(entry: dict[str, Any], rows: list[dict], keys: tuple[str, ...]) -> None:
    sample = [jsonable(row) for row in rows]
    entry["sample_keys"] = _unique([{k: row.get(k) for k in keys} for row in sample])
    column = entry["column"]
    if column:
        entry["sample_values"] = _unique([row.get(column) for row in sample])


def key_rows(index_list: list | None) -> list:
    """GX lists offending keys as row dicts, or column-wise ({"id": [3, 4]}) when values
    are excluded; make them rows either way."""
    rows: list = []
    for item in index_list or []:
        if isinstance(item, dict) and item and all(isinstance(v, list) for v in item.values()):
            columns = zip(*item.values(), strict=True)
            rows += [dict(zip(item, values, strict=True)) for values in columns]
        else:
            rows.append(item)
    return rows


def _column(config: ExpectationConfiguration) -> str | None:
    kwargs, meta = config.kwargs, config.meta or {}
    if "column" in kwargs:
        return kwargs["column"]
    if "column_list" in kwargs:
        return ", ".join(kwargs["column_list"])
    return meta.get("column")


def _unique(items: list) -> list:
    """First SAMPLE_SIZE distinct items, in order (duplicate keys repeat in GX's lists)."""
    seen: list = []
    for item in items:
        if item not in seen:
            seen.append(item)
        if len(seen) == SAMPLE_SIZE:
            break
    return seen


def _key_text(key: Any) -> str:
    if isinstance(key, dict):
        return "(" + ", ".join(f"{k}={v}" for k, v in key.items()) + ")"
    return str(key)


def _kwargs_text(kwargs: dict[str, Any]) -> str:
    shown = {k: v for k, v in kwargs.items() if k not in ("column", "unexpected_rows_query")}
    return ", ".join(f"{k}={v}" for k, v in shown.items())
