"""A stream's expectation suite, built from its catalog declaration.

The catalog is the reviewed source of every check; the suite saved in the GX file
context is its rendering (for Data Docs), rewritten only when the catalog changes.
One small function per family of checks, so each is testable on its own.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from reporting_hub.catalog import Catalog, Stream
from reporting_hub.quality.context import TEMPLATE_GX_ROOT, get_context
from reporting_hub.quality.sql import ident, raw_table

if TYPE_CHECKING:
    from great_expectations import ExpectationSuite
    from great_expectations.data_context import FileDataContext
    from great_expectations.expectations import Expectation

# Far beyond any quantity or price; PostgreSQL sorts numeric NaN above every number,
# so NaN (and ±Infinity) fall outside these bounds too.
NUMERIC_BOUND = 1e12
NUMERIC_TYPE = "NUMERIC"
# Suite parameters of the volume check, filled per run from the stream's recent batches.
VOLUME_MIN, VOLUME_MAX = "volume_min_rows", "volume_max_rows"
NOT_IN_FUTURE = "not_in_future"
# A date is local to its company: it is "today" somewhere until today ends at UTC+14
# (POSIX zone names flip the sign), so dates are judged there, instants as instants.
LATEST_ZONE = "Etc/GMT-14"


def build_suite(stream: Stream) -> ExpectationSuite:
    """The suite for the stream: one function per family of checks its catalog declares."""
    import great_expectations as gx

    return gx.ExpectationSuite(
        name=stream.quality_suite,
        expectations=[
            *volume_expectations(stream),
            *key_expectations(stream),
            *not_null_expectations(stream),
            *numeric_expectations(stream),
            *accepted_values_expectations(stream),
            *reference_expectations(stream),
            *not_in_future_expectations(stream),
            *row_rule_expectations(stream),
        ],
        meta={"stream": stream.id, "source": "include/reporting_hub/streams.yml"},
    )


def key_expectations(stream: Stream) -> list[Expectation]:
    """Every primary key column is present, and the key is unique within the batch."""
    import great_expectations.expectations as gxe

    keys = list(stream.primary_key)
    unique = (
        gxe.ExpectColumnValuesToBeUnique(column=keys[0])
        if len(keys) == 1
        else gxe.ExpectCompoundColumnsToBeUnique(column_list=keys)
    )
    return [*(gxe.ExpectColumnValuesToNotBeNull(column=key) for key in keys), unique]


def not_null_expectations(stream: Stream) -> list[Expectation]:
    """Columns the catalog declares `not_null` (key columns are covered already)."""
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectColumnValuesToNotBeNull(column=column)
        for column in stream.checks.not_null
        if column not in stream.primary_key
    ]


def numeric_expectations(stream: Stream) -> list[Expectation]:
    """Declared numeric columns are typed numeric and hold finite, sane values."""
    import great_expectations.expectations as gxe

    expectations: list[Expectation] = []
    for column in stream.checks.numeric:
        expectations += [
            gxe.ExpectColumnValuesToBeOfType(column=column, type_=NUMERIC_TYPE),
            gxe.ExpectColumnValuesToBeBetween(
                column=column, min_value=-NUMERIC_BOUND, max_value=NUMERIC_BOUND
            ),
        ]
    return expectations


def accepted_values_expectations(stream: Stream) -> list[Expectation]:
    """Status-like columns hold only the values the catalog knows for that system."""
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectColumnValuesToBeInSet(column=column, value_set=list(values))
        for column, values in sorted(stream.checks.accepted_values.items())
    ]


def volume_expectations(stream: Stream) -> list[Expectation]:
    """Row count within the band of recent runs; the bounds are run-time suite parameters."""
    import great_expectations.expectations as gxe

    if stream.checks.volume is None:
        return []
    return [
        gxe.ExpectTableRowCountToBeBetween(
            min_value={"$PARAMETER": VOLUME_MIN},
            max_value={"$PARAMETER": VOLUME_MAX},
            description="Row count within the band of recent published batches",
        )
    ]


def reference_expectations(stream: Stream) -> list[Expectation]:
    """Every non-null reference exists in the target stream's published rows."""
    import great_expectations.expectations as gxe

    return [
        gxe.UnexpectedRowsExpectation(
            unexpected_rows_query=reference_query(stream, column, target),
            description=f"Every non-null {column} exists in {raw_table(target)}.id",
            meta={"column": column, "references": f"{raw_table(target)}.id"},
        )
        for column, target in sorted(stream.checks.references.items())
    ]


def reference_query(stream: Stream, column: str, target: str) -> str:
    """Rows of the batch whose `column` has no match in raw.<target>.id (an anti-join).

    It selects the key and the dangling value so a failure can name both. `{batch}`
    is GX's placeholder for the batch's own query; the join makes GX leave its
    aliasing to us.
    """
    selected = _key_and(stream, column)
    value = f"b.{ident(column)}"
    # A stream referring to itself (a location's parent) may point into its own batch.
    same_batch = (
        f" and {value} not in (select s.id from {{batch}} s where s.id is not null)"
        if target == stream.id
        else ""
    )
    return (
        f"select {selected} from {{batch}} b "
        f"left join {raw_table(target)} r on r.id = {value} "
        f"where {value} is not null and r.id is null{same_batch}"
    )


def not_in_future_expectations(stream: Stream) -> list[Expectation]:
    """Dates and datetimes no later than now() plus the skew, judged by the database clock."""
    import great_expectations.expectations as gxe

    future = stream.checks.not_in_future
    if future is None:
        return []
    return [
        gxe.UnexpectedRowsExpectation(
            unexpected_rows_query=not_in_future_query(stream, column, future.skew_minutes),
            description=f"{column} is not later than now() + {future.skew_minutes} minutes",
            meta={"column": column, "rule": NOT_IN_FUTURE},
        )
        for column in future.columns
    ]


def not_in_future_query(stream: Stream, column: str, skew_minutes: int) -> str:
    """Rows of the batch whose `column` lies beyond now() + skew.

    The column's type is known to the database only (Odoo types come from fields_get),
    so the query asks it: a date is compared as a date at UTC+14, anything else as an
    instant. Both branches type-check for either type. The join also tells GX that the
    query aliases `{batch}` itself.
    """
    value = f"b.{ident(column)}"
    return (
        f"select {_key_and(stream, column)} from {{batch}} b "
        f"cross join (select now() + interval '{int(skew_minutes)} minutes' as at) latest "
        f"where case when pg_typeof({value}) = 'date'::regtype "
        f"then {value}::date > (latest.at at time zone '{LATEST_ZONE}')::date "
        f"else {value}::timestamptz > latest.at end"
    )


def row_rule_expectations(stream: Stream) -> list[Expectation]:
    """The stream's domain rules, each its own SQL over the batch, labelled by its name."""
    import great_expectations.expectations as gxe

    return [
        gxe.UnexpectedRowsExpectation(
            unexpected_rows_query=rule.unexpected_rows_query.strip(),
            description=rule.description,
            meta={"rule": rule.name},
        )
        for rule in stream.checks.row_rules
    ]


def _key_and(stream: Stream, column: str) -> str:
    """The batch row's key, then `column`: failures name the row and the value it holds."""
    return ", ".join(f"b.{ident(name)}" for name in dict.fromkeys([*stream.primary_key, column]))


def save_suite(context: FileDataContext, suite: ExpectationSuite) -> ExpectationSuite:
    """Store the suite in the context, writing only if it differs from the stored one."""
    from great_expectations.exceptions import DataContextError

    try:
        stored = context.suites.get(suite.name)
    except DataContextError:
        return context.suites.add(suite)
    if _fingerprint(stored) == _fingerprint(suite):
        return stored
    return context.suites.add_or_update(suite)


def _fingerprint(suite: ExpectationSuite) -> str:
    """The suite's content without the ids GX assigns on every save."""
    configs = [e.configuration.to_json_dict() for e in suite.expectations]
    for config in configs:
        config.pop("id", None)
    return json.dumps({"meta": suite.meta, "expectations": configs}, sort_keys=True, default=str)


# Suites need no database; the context only wants a URL to stand in for ${WAREHOUSE_URL}.
TEMPLATE_URL = "postgresql://suites-only@localhost/none"


def stale_template_suites(catalog: Catalog, root: Path = TEMPLATE_GX_ROOT) -> list[str]:
    """Suites whose committed JSON differs from what the catalog builds (or is missing)."""
    context = get_context(TEMPLATE_URL, root)
    stale = []
    for stream in catalog.streams.values():
        built = build_suite(stream)
        try:
            stored = context.suites.get(built.name)
        except Exception:  # GX raises its own not-found error types across versions
            stale.append(built.name)
            continue
        if _fingerprint(stored) != _fingerprint(built):
            stale.append(built.name)
    return stale


def write_template_suites(catalog: Catalog, root: Path = TEMPLATE_GX_ROOT) -> list[str]:
    """Rewrite the committed suites from the catalog and drop orphans; returns changed names."""
    changed = stale_template_suites(catalog, root)
    context = get_context(TEMPLATE_URL, root)
    for stream in catalog.streams.values():
        save_suite(context, build_suite(stream))
    wanted = {s.quality_suite for s in catalog.streams.values()}
    for path in (root / "gx" / "expectations").glob("*.json"):
        if path.stem not in wanted:
            path.unlink()
            changed.append(path.stem)
    return changed
