"""Each row-level expectation as SQL that finds the rows it rejects, run in PostgreSQL.

GX says *that* an expectation failed and how many rows broke it; quarantining needs
*which* rows. A failed expectation's declaration (its type and kwargs, as recorded in
the gate's result) becomes a predicate over one landing row `b`, so isolating the bad
rows is one statement in the database, never a DataFrame. Expectations with no row
predicate (column types, row counts, schema) judge the batch as a whole.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from psycopg import sql

from reporting_hub.catalog import Stream

BATCH_PARAM = "batch_id"
Predicate = Callable[[dict[str, Any], Stream], sql.Composable]


@dataclass(frozen=True)
class RowCheck:
    """A failed row-level expectation and the SQL that is true for each row breaking it."""

    expectation: str
    column: str | None
    predicate: sql.Composable
    rule: str | None = None  # the catalog rule's name, for checks declared as one

    @property
    def reason(self) -> dict[str, Any]:
        """What `_reasons` lists for a row this check rejects."""
        labels = {"rule": self.rule} if self.rule else {}
        return {"expectation": self.expectation, "column": self.column, **labels}


def level(entry: dict[str, Any]) -> str:
    """`row` if the expectation can name its failing rows, else `batch`."""
    return "row" if entry["expectation"] in PREDICATES and not entry.get("error") else "batch"


def row_check(entry: dict[str, Any], stream: Stream) -> RowCheck:
    """The predicate of one row-level result entry (see results.summarize)."""
    build = PREDICATES[entry["expectation"]]
    predicate = build(entry["kwargs"], stream)
    return RowCheck(entry["expectation"], entry["column"], predicate, entry.get("rule"))


def batch_rows(stream: Stream) -> sql.Composable:
    """The landing rows of the batch being judged, as a parenthesised relation."""
    return sql.SQL("(select * from {} where _batch_id = {})").format(
        landing(stream), sql.Placeholder(BATCH_PARAM)
    )


def landing(stream: Stream) -> sql.Identifier:
    return sql.Identifier("landing", stream.table)


def _column(kwargs: dict[str, Any]) -> sql.Composable:
    return sql.SQL("b.{}").format(sql.Identifier(kwargs["column"]))


def _null(kwargs: dict[str, Any], stream: Stream) -> sql.Composable:
    return sql.SQL("{} is null").format(_column(kwargs))


def _duplicate(columns: list[str], stream: Stream) -> sql.Composable:
    """Every copy of a key that occurs more than once: which copy is right is unknowable."""
    names = sql.SQL(", ").join(map(sql.Identifier, columns))
    row = sql.SQL(", ").join(sql.SQL("b.{}").format(sql.Identifier(c)) for c in columns)
    return sql.SQL(
        "({row}) in (select {names} from {rows} d group by {names} having count(*) > 1)"
    ).format(row=row, names=names, rows=batch_rows(stream))


def _unique(kwargs: dict[str, Any], stream: Stream) -> sql.Composable:
    return _duplicate([kwargs["column"]], stream)


def _compound_unique(kwargs: dict[str, Any], stream: Stream) -> sql.Composable:
    return _duplicate(list(kwargs["column_list"]), stream)


def _between(kwargs: dict[str, Any], stream: Stream) -> sql.Composable:
    """Outside the bounds; NaN counts as outside (PostgreSQL sorts it above every number)."""
    column = _column(kwargs)
    inside = [
        sql.SQL("{} {} {}").format(column, sql.SQL(op), sql.Literal(kwargs[bound]))
        for bound, op in (("min_value", ">="), ("max_value", "<="))
        if kwargs.get(bound) is not None
    ]
    if not inside:
        return sql.SQL("false")
    return sql.SQL("{} is not null and not ({})").format(column, sql.SQL(" and ").join(inside))


def _in_set(kwargs: dict[str, Any], stream: Stream) -> sql.Composable:
    column = _column(kwargs)
    values = list(kwargs.get("value_set") or [])
    if not values:
        return sql.SQL("{} is not null").format(column)
    known = sql.SQL(", ").join(map(sql.Literal, values))
    return sql.SQL("{} is not null and {} not in ({})").format(column, column, known)


def _unexpected_rows(kwargs: dict[str, Any], stream: Stream) -> sql.Composable:
    """Rows whose key the expectation's own query returns (its `{batch}` is this batch).

    The suite's queries select the primary key first (see suites.reference_query), so the
    same SQL that GX ran names the rows here; `%` is escaped because parameters follow.
    """
    query = kwargs["unexpected_rows_query"].replace("%", "%%")
    rows = batch_rows(stream).as_string(None)
    match = sql.SQL(" and ").join(
        sql.SQL("u.{0} = b.{0}").format(sql.Identifier(k)) for k in stream.primary_key
    )
    return sql.SQL("exists (select 1 from ({query}) u where {match})").format(
        query=sql.SQL(query.replace("{batch}", rows)), match=match
    )


PREDICATES: dict[str, Predicate] = {
    "expect_column_values_to_not_be_null": _null,
    "expect_column_values_to_be_unique": _unique,
    "expect_compound_columns_to_be_unique": _compound_unique,
    "expect_column_values_to_be_between": _between,
    "expect_column_values_to_be_in_set": _in_set,
    "unexpected_rows_expectation": _unexpected_rows,
}
