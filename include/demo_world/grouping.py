"""read_group and formatted_read_group (new in 19), compiled to one GROUP BY query.

Group keys are fields or `field:granularity` for dates (day, week, month, quarter, year);
aggregates are `field:func` (sum, avg, min, max, count, count_distinct) or `__count`. Values come
back the way Odoo formats them: many2one as [id, name], date groups as labels (read_group) or
[start, label] (formatted_read_group), and each group carries the domain that selects it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .errors import OdooValueError
from .models import Model

AGGREGATES = {
    "sum": "SUM",
    "avg": "AVG",
    "min": "MIN",
    "max": "MAX",
    "count": "COUNT",
    "count_distinct": "COUNT(DISTINCT",
}
_TRUNC = {
    "day": "strftime('%Y-%m-%d 00:00:00', {c})",
    "week": "strftime('%Y-%m-%d 00:00:00', {c}, '-6 days', 'weekday 1')",
    "month": "strftime('%Y-%m-01 00:00:00', {c})",
    "quarter": "printf('%s-%02d-01 00:00:00', strftime('%Y', {c}), "
    "((CAST(strftime('%m', {c}) AS INTEGER) - 1) / 3) * 3 + 1)",
    "year": "strftime('%Y-01-01 00:00:00', {c})",
}


@dataclass
class GroupBy:
    spec: str
    field: str
    granularity: str | None
    type: str

    def sql(self, alias: str) -> str:
        col = f'"{alias}"."{self.field}"'
        if self.granularity:
            return _TRUNC[self.granularity].format(c=col)
        return col

    def bounds(self, start: str) -> tuple[str, str]:
        """A date group's [from, to) as Odoo writes them in domains."""
        begin = dt.datetime.strptime(start, "%Y-%m-%d %H:%M:%S")
        end = _next(begin, self.granularity or "day")
        fmt = "%Y-%m-%d" if self.type == "date" else "%Y-%m-%d %H:%M:%S"
        return begin.strftime(fmt), end.strftime(fmt)

    def label(self, start: str) -> str:
        begin = dt.datetime.strptime(start, "%Y-%m-%d %H:%M:%S")
        g = self.granularity
        if g == "month":
            return begin.strftime("%B %Y")
        if g == "year":
            return begin.strftime("%Y")
        if g == "quarter":
            return f"Q{(begin.month - 1) // 3 + 1} {begin.year}"
        if g == "week":
            return f"W{begin.isocalendar()[1]} {begin.isocalendar()[0]}"
        return begin.strftime("%d %b %Y")


def _next(begin: dt.datetime, granularity: str) -> dt.datetime:
    if granularity == "day":
        return begin + dt.timedelta(days=1)
    if granularity == "week":
        return begin + dt.timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[granularity]
    total = begin.month - 1 + months
    return begin.replace(year=begin.year + total // 12, month=total % 12 + 1)


def parse_groupby(model: Model, specs: Any) -> list[GroupBy]:
    specs = [specs] if isinstance(specs, str) else list(specs or [])
    out = []
    for spec in specs:
        name, _, gran = str(spec).partition(":")
        field = model.fields.get(name)
        if field is None or not field.column:
            raise OdooValueError(f"Invalid field {name!r} on model {model.name!r}")
        if field.type in ("date", "datetime"):
            gran = gran or "month"
        elif gran:
            raise OdooValueError(f"Granularity set on a no-datetime field or property: {spec!r}")
        out.append(GroupBy(str(spec) if gran else name, name, gran or None, field.type))
    return out


def parse_aggregate(model: Model, spec: str, default_sum: bool = False) -> tuple[str, str]:
    """('amount_total:sum' or 'amount_total' or '__count') -> (output key, SQL expression)."""
    if spec == "__count":
        return spec, "COUNT(*)"
    name, _, func = spec.partition(":")
    field = model.fields.get(name)
    if field is None or not field.column:
        raise OdooValueError(f"Invalid field {name!r} on model {model.name!r}")
    if not func:
        if not default_sum or field.type not in ("integer", "float", "monetary"):
            raise OdooValueError(f"Invalid aggregate {spec!r}")
        func = "sum"
    if func not in AGGREGATES:
        raise OdooValueError(f"Invalid aggregation function {func!r}.")
    sql_func = AGGREGATES[func]
    close = "))" if func == "count_distinct" else ")"
    return spec, f'{sql_func}("t"."{field.column}"{close}'


def group_condition(g: GroupBy, value: Any) -> list[Any]:
    """The domain terms selecting one group (a prefix-form list)."""
    if g.granularity:
        if value is None:
            return [[g.field, "=", False]]
        low, high = g.bounds(value)
        return ["&", [g.field, ">=", low], [g.field, "<", high]]
    return [[g.field, "=", False if value is None else value]]


def and_domains(parts: list[list[Any]]) -> list[Any]:
    """Odoo's expression.AND in prefix form, leaving empty parts out."""
    parts = [p for p in parts if p]
    if not parts:
        return []
    out: list[Any] = ["&"] * (len(parts) - 1)
    for p in parts:
        out += p
    return out
