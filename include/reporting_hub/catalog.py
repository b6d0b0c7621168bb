"""The stream catalog: streams.yml parsed into typed, validated objects.

Everything that differs between streams lives in the catalog, so adding a stream
is an edit to streams.yml (and a dbt staging model), never new Python.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from reporting_hub.sources.file_format import FileFormat, parse_file_format

# The shipped catalog; a deployment may keep its own elsewhere (HUB_CATALOG=/path/streams.yml).
CATALOG_PATH = Path(__file__).with_name("streams.yml")
CATALOG_ENV = "HUB_CATALOG"
# `write_date,id` keyset and `snapshot` (Odoo); `updated_at` (REST with an updated_at_min
# filter); `files` (each file once, by checksum ledger); `cursor` (an opaque server cursor).
CURSORS = ("write_date,id", "snapshot", "updated_at", "files", "cursor")
HTTP_CURSORS = ("updated_at", "cursor")
# Sources that describe their own fields (fields_get) declare `fields`; every other source
# declares `columns` with PostgreSQL types, since nothing else tells the loader the types.
SELF_DESCRIBING_SOURCES = ("odoo",)
COLUMN_TYPES = ("text", "bigint", "integer", "numeric", "boolean", "date", "timestamptz", "jsonb")
# Where each row came from: the file (or the feed page, `/events?since=<cursor>`) and the
# line in it; added to the columns of every `files` and `cursor` stream.
LINEAGE_COLUMNS = (("_source_file", "text"), ("_source_line", "bigint"))
LINEAGE_CURSORS = ("files", "cursor")
# Two copies of a key in what a source delivered: `conflict` (records never change once
# sent, so differing copies are held for a steward) or `latest` (a later copy is an update).
DUPLICATE_POLICIES = ("conflict", "latest")
# Keys describing a stream's files (see sources/file_format.py); only `files` streams take them.
FILE_FORMAT_KEYS = ("encoding", "formats", "trailer", "document", "settle_seconds")
SYNC_CLASSES = ("realtime", "near_realtime", "nightly")
# How late a stream of each class may publish before it is late (warn) or out (error):
# (warn, error) as (count, dbt period). Sources' freshness and status checks read these.
FRESHNESS = {
    "realtime": ((30, "minute"), (2, "hour")),
    "near_realtime": ((15, "minute"), (1, "hour")),
    "nightly": ((26, "hour"), (50, "hour")),
}
ROW_FAILURE_POLICIES = ("quarantine", "block")


class CatalogError(ValueError):
    """The catalog is malformed; the message names the stream and the key."""


@dataclass(frozen=True)
class VolumeCheck:
    """Row-count band around the median of recent published batches (anomaly -> block).

    Only active once `min_runs` published batches exist: too little history says nothing.
    """

    runs: int = 10
    min_runs: int = 3
    low: float = 0.5
    high: float = 2.0


@dataclass(frozen=True)
class NotInFuture:
    """Date and datetime columns no later than now() plus the clock skew between systems."""

    columns: tuple[str, ...]
    skew_minutes: int = 5


@dataclass(frozen=True)
class RowRule:
    """A domain rule as SQL over `{batch}` returning the offending rows' primary key first.

    The name labels the rule in results and in quarantined rows' `_reasons`.
    """

    name: str
    description: str
    unexpected_rows_query: str


@dataclass(frozen=True)
class Checks:
    """Declared data checks a stream's quality suite is built from."""

    not_null: tuple[str, ...] = ()
    numeric: tuple[str, ...] = ()
    references: dict[str, str] = field(default_factory=dict)
    accepted_values: dict[str, tuple[str, ...]] = field(default_factory=dict)
    volume: VolumeCheck | None = None
    not_in_future: NotInFuture | None = None
    row_rules: tuple[RowRule, ...] = ()
    # Above this share of failing rows the batch is blocked whole, whatever the policy.
    max_bad_row_share: float = 0.1


@dataclass(frozen=True)
class Stream:
    """One stream: what to read, how to page it, how to gate it."""

    id: str
    source: str
    object: str
    primary_key: tuple[str, ...]
    cursor: str
    fields: tuple[str, ...]
    sync_class: str
    page_size: int
    lookback_minutes: int
    quality_suite: str
    row_failure_policy: str
    checks: Checks
    description: str = ""  # what the stream holds, for dbt's docs (sources are generated)
    # Non-Odoo streams: (column, PostgreSQL type) pairs in order; `fields` are their names.
    columns: tuple[tuple[str, str], ...] = ()
    pattern: str | None = None  # files: glob of the files to read, e.g. stock_*.csv
    delimiter: str = ","  # files: the CSV delimiter
    max_files: int | None = None  # files: at most this many new files per batch
    endpoint: str | None = None  # REST: the path under the system's base URL
    # files: encoding, value formats, trailer, document versions (see sources/file_format.py)
    file_format: FileFormat = field(default_factory=FileFormat)
    duplicates: str | None = None  # non-Odoo streams: a DUPLICATE_POLICIES value

    @property
    def table(self) -> str:
        """Table name shared by landing.* and raw.*: `odoo.stock_quant` -> `odoo__stock_quant`."""
        return self.id.replace(".", "__")

    @property
    def is_snapshot(self) -> bool:
        return self.cursor == "snapshot"

    @property
    def lineage(self) -> tuple[str, ...]:
        """The lineage column names the connector appends to every row (may be none)."""
        return tuple(name for name, _ in LINEAGE_COLUMNS) if self.cursor in LINEAGE_CURSORS else ()


@dataclass(frozen=True)
class Catalog:
    streams: dict[str, Stream]
    # system name -> what it is (dbt source descriptions); every stream's source is here.
    systems: dict[str, str] = field(default_factory=dict)

    def get(self, stream_id: str) -> Stream:
        try:
            return self.streams[stream_id]
        except KeyError:
            known = ", ".join(self.streams)
            raise CatalogError(f"unknown stream {stream_id!r}; the catalog has: {known}") from None

    def for_source(self, source: str) -> list[Stream]:
        return [s for s in self.streams.values() if s.source == source]


def load_catalog(path: Path | None = None) -> Catalog:
    """Parse and validate the catalog (`path`, else $HUB_CATALOG, else the shipped one);
    every error names the stream and the key."""
    path = path or Path(os.environ.get(CATALOG_ENV) or CATALOG_PATH)
    doc = yaml.safe_load(path.read_text()) or {}
    defaults = doc.get("defaults", {})
    streams = {}
    for stream_id, spec in (doc.get("streams") or {}).items():
        streams[stream_id] = _parse_stream(stream_id, {**defaults, **spec})
    _check_references(list(streams.values()))
    systems = {
        name: " ".join(str((spec or {}).get("description", "")).split())
        for name, spec in (doc.get("systems") or {}).items()
    }
    for stream in streams.values():
        if systems and stream.source not in systems:
            raise CatalogError(f"{stream.id}: source {stream.source!r} is not under systems:")
    return Catalog(streams, systems)


def _check_references(streams: list[Stream]) -> None:
    """References must name a stream declared earlier: catalog order is publish order."""
    seen: set[str] = set()
    known = {s.id for s in streams}
    for stream in streams:
        for column, target in stream.checks.references.items():
            if target not in known:
                raise CatalogError(
                    f"{stream.id}: checks.references.{column} names unknown stream {target!r}"
                )
            if target not in seen and target != stream.id:
                raise CatalogError(
                    f"{stream.id}: checks.references.{column} names {target!r}, which must be "
                    "declared before it (streams publish in catalog order)"
                )
        seen.add(stream.id)


def _parse_stream(stream_id: str, spec: dict[str, Any]) -> Stream:
    def need(key: str) -> Any:
        if key not in spec:
            raise CatalogError(f"{stream_id}: missing required key {key!r}")
        return spec[key]

    if "." not in stream_id:
        raise CatalogError(f"{stream_id}: a stream id is '<system>.<object>'")
    cursor = need("cursor")
    _check_choice(stream_id, "cursor", cursor, CURSORS)
    columns = _parse_columns(stream_id, spec, cursor)
    stream = Stream(
        id=stream_id,
        source=need("source"),
        object=need("object"),
        primary_key=tuple(need("primary_key")),
        cursor=cursor,
        fields=tuple(name for name, _ in columns) if columns else tuple(need("fields")),
        sync_class=need("sync_class"),
        page_size=int(need("page_size")),
        lookback_minutes=int(spec.get("lookback_minutes", 0)),
        quality_suite=need("quality_suite"),
        row_failure_policy=need("row_failure_policy"),
        checks=_parse_checks(stream_id, spec.get("checks") or {}),
        description=" ".join(str(spec.get("description", "")).split()),
        columns=columns,
        **_source_options(stream_id, spec, cursor),
    )
    _check_declaration(stream, spec)
    _check_choice(stream_id, "sync_class", stream.sync_class, SYNC_CLASSES)
    _check_choice(stream_id, "row_failure_policy", stream.row_failure_policy, ROW_FAILURE_POLICIES)
    declared = set(stream.fields)
    for column in (*stream.primary_key, *_cursor_fields(stream.cursor)):
        if column not in declared:
            raise CatalogError(
                f"{stream_id}: {column!r} is used as key or cursor but not in fields"
            )
    future = stream.checks.not_in_future
    for column in future.columns if future else ():
        if column not in declared:
            raise CatalogError(f"{stream_id}: checks.not_in_future names {column!r}, not a field")
    return stream


def _parse_columns(stream_id: str, spec: dict[str, Any], cursor: str) -> tuple:
    """`columns: {name: type}` in order, plus the lineage columns of a file stream."""
    declared = spec.get("columns")
    if declared is None:
        return ()
    if not isinstance(declared, dict) or not declared:
        raise CatalogError(f"{stream_id}: columns must be a non-empty mapping of name: type")
    for name, pg_type in declared.items():
        if name in dict(LINEAGE_COLUMNS):
            raise CatalogError(f"{stream_id}: columns.{name} is reserved for file lineage")
        if pg_type not in COLUMN_TYPES:
            known = ", ".join(COLUMN_TYPES)
            raise CatalogError(f"{stream_id}: columns.{name}={pg_type!r}, expected one of {known}")
    lineage = LINEAGE_COLUMNS if cursor in LINEAGE_CURSORS else ()
    return (*declared.items(), *lineage)


def _source_options(stream_id: str, spec: dict[str, Any], cursor: str) -> dict[str, Any]:
    """The per-source keys, each allowed only with the cursor that uses it."""
    only = {"pattern": ("files",), "delimiter": ("files",), "max_files": ("files",)}
    only.update(dict.fromkeys(FILE_FORMAT_KEYS, ("files",)))
    only["endpoint"] = HTTP_CURSORS
    only["duplicates"] = ("files", *HTTP_CURSORS)
    for key, cursors in only.items():
        if key in spec and cursor not in cursors:
            raise CatalogError(f"{stream_id}: {key} applies to cursor {' or '.join(cursors)} only")
    options: dict[str, Any] = {k: spec[k] for k in only if k in spec}
    for key in FILE_FORMAT_KEYS:
        options.pop(key, None)
    if cursor == "files":
        options["file_format"] = _file_format(stream_id, spec)
    if cursor in ("files", *HTTP_CURSORS):
        default = "latest" if cursor == "updated_at" else "conflict"
        options["duplicates"] = spec.get("duplicates", default)
        _check_choice(stream_id, "duplicates", options["duplicates"], DUPLICATE_POLICIES)
    if cursor == "files" and not options.get("pattern"):
        raise CatalogError(f"{stream_id}: missing required key 'pattern' (cursor: files)")
    if cursor in HTTP_CURSORS and not str(options.get("endpoint", "")).startswith("/"):
        raise CatalogError(f"{stream_id}: endpoint must be a path starting with '/'")
    if len(options.get("delimiter", ",")) != 1:
        raise CatalogError(f"{stream_id}: delimiter must be one character")
    if "max_files" in options and int(options["max_files"]) < 1:
        raise CatalogError(f"{stream_id}: max_files must be at least 1")
    return options


def _file_format(stream_id: str, spec: dict[str, Any]) -> FileFormat:
    columns = spec.get("columns") or {}
    numeric = {name for name, pg_type in columns.items() if pg_type == "numeric"}
    try:
        file_format = parse_file_format(spec, numeric)
    except ValueError as exc:
        raise CatalogError(f"{stream_id}: {exc}") from None
    unknown = sorted(set(file_format.formats.columns) - set(columns))
    if unknown:
        raise CatalogError(f"{stream_id}: formats.columns names {', '.join(unknown)}: not columns")
    return file_format


def _check_declaration(stream: Stream, spec: dict[str, Any]) -> None:
    """Odoo streams list `fields` (typed by fields_get); every other source types `columns`."""
    if stream.source in SELF_DESCRIBING_SOURCES:
        if stream.columns:
            raise CatalogError(
                f"{stream.id}: columns is for sources without fields_get; {stream.source} "
                "streams declare fields"
            )
        if stream.cursor not in ("write_date,id", "snapshot"):
            raise CatalogError(f"{stream.id}: cursor={stream.cursor!r} is not an Odoo cursor")
        return
    if not stream.columns:
        raise CatalogError(f"{stream.id}: missing required key 'columns' (name: PostgreSQL type)")
    if "fields" in spec:
        raise CatalogError(f"{stream.id}: declare columns (with types), not fields")


def _parse_checks(stream_id: str, spec: dict[str, Any]) -> Checks:
    share = float(spec.get("max_bad_row_share", Checks.max_bad_row_share))
    if not 0 <= share <= 1:
        raise CatalogError(f"{stream_id}: checks.max_bad_row_share={share}, expected 0..1")
    return Checks(
        not_null=tuple(spec.get("not_null", ())),
        numeric=tuple(spec.get("numeric", ())),
        references=dict(spec.get("references", {})),
        accepted_values={
            column: tuple(values) for column, values in (spec.get("accepted_values") or {}).items()
        },
        volume=_parse_volume(stream_id, spec.get("volume")),
        not_in_future=_parse_not_in_future(stream_id, spec.get("not_in_future")),
        row_rules=_parse_row_rules(stream_id, spec.get("row_rules") or []),
        max_bad_row_share=share,
    )


def _parse_not_in_future(stream_id: str, spec: dict[str, Any] | None) -> NotInFuture | None:
    if not spec:
        return None
    try:
        check = NotInFuture(**{**spec, "columns": tuple(spec.get("columns") or ())})
    except TypeError as exc:
        raise CatalogError(f"{stream_id}: checks.not_in_future: {exc}") from None
    if not check.columns or not isinstance(check.skew_minutes, int) or check.skew_minutes < 0:
        raise CatalogError(
            f"{stream_id}: checks.not_in_future needs columns and skew_minutes >= 0 (an integer)"
        )
    return check


def _parse_row_rules(stream_id: str, specs: list[dict[str, Any]]) -> tuple[RowRule, ...]:
    """Each rule named once (the name labels its failures) and scoped to the batch."""
    rules: list[RowRule] = []
    for spec in specs:
        try:
            rule = RowRule(**spec)
        except TypeError as exc:
            raise CatalogError(f"{stream_id}: checks.row_rules: {exc}") from None
        where = f"{stream_id}: checks.row_rules.{rule.name}"
        if not rule.name.isidentifier() or rule.name in {r.name for r in rules}:
            raise CatalogError(f"{where}: a rule needs a unique snake_case name")
        query = rule.unexpected_rows_query
        if "{batch}" not in query or {"{", "}"} & set(query.replace("{batch}", "")):
            raise CatalogError(f"{where}: unexpected_rows_query reads {{batch}}, no other braces")
        # GX aliases `{batch}` itself unless the query joins; ours always alias it (`{batch} b`).
        if not re.search(r"\bjoin\b", query, re.IGNORECASE):
            raise CatalogError(f"{where}: unexpected_rows_query must join (`{{batch}} b join ...`)")
        rules.append(rule)
    return tuple(rules)


def _parse_volume(stream_id: str, spec: bool | dict[str, Any] | None) -> VolumeCheck | None:
    """`volume: true` takes the defaults; a mapping overrides some; absent or false: no check."""
    if not spec:
        return None
    try:
        volume = VolumeCheck(**({} if spec is True else spec))
    except TypeError as exc:
        raise CatalogError(f"{stream_id}: checks.volume: {exc}") from None
    if not (volume.low < 1 < volume.high and 1 <= volume.min_runs <= volume.runs):
        raise CatalogError(
            f"{stream_id}: checks.volume needs low < 1 < high and 1 <= min_runs <= runs"
        )
    return volume


def _cursor_fields(cursor: str) -> tuple[str, ...]:
    """Columns a cursor reads: keyset and updated_at cursors need theirs declared."""
    return tuple(cursor.split(",")) if cursor in ("write_date,id", "updated_at") else ()


def _check_choice(stream_id: str, key: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise CatalogError(f"{stream_id}: {key}={value!r}, expected one of {', '.join(choices)}")
