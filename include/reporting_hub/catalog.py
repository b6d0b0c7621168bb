"""The stream catalog: streams.yml parsed into typed, validated objects.

Everything that differs between streams lives in the catalog, so adding a stream
is an edit to streams.yml (and a dbt staging model), never new Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CATALOG_PATH = Path(__file__).with_name("streams.yml")
CURSORS = ("write_date,id", "snapshot")
SYNC_CLASSES = ("realtime", "near_realtime", "nightly")
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
class Checks:
    """Declared data checks a stream's quality suite is built from."""

    not_null: tuple[str, ...] = ()
    numeric: tuple[str, ...] = ()
    references: dict[str, str] = field(default_factory=dict)
    accepted_values: dict[str, tuple[str, ...]] = field(default_factory=dict)
    volume: VolumeCheck | None = None
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

    @property
    def table(self) -> str:
        """Table name shared by landing.* and raw.*: `odoo.stock_quant` -> `odoo__stock_quant`."""
        return self.id.replace(".", "__")

    @property
    def is_snapshot(self) -> bool:
        return self.cursor == "snapshot"


@dataclass(frozen=True)
class Catalog:
    streams: dict[str, Stream]

    def get(self, stream_id: str) -> Stream:
        try:
            return self.streams[stream_id]
        except KeyError:
            known = ", ".join(self.streams)
            raise CatalogError(f"unknown stream {stream_id!r}; the catalog has: {known}") from None

    def for_source(self, source: str) -> list[Stream]:
        return [s for s in self.streams.values() if s.source == source]


def load_catalog(path: Path = CATALOG_PATH) -> Catalog:
    """Parse and validate the catalog; every error names the stream and the key."""
    doc = yaml.safe_load(path.read_text()) or {}
    defaults = doc.get("defaults", {})
    streams = {}
    for stream_id, spec in (doc.get("streams") or {}).items():
        streams[stream_id] = _parse_stream(stream_id, {**defaults, **spec})
    _check_references(list(streams.values()))
    return Catalog(streams)


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
    stream = Stream(
        id=stream_id,
        source=need("source"),
        object=need("object"),
        primary_key=tuple(need("primary_key")),
        cursor=need("cursor"),
        fields=tuple(need("fields")),
        sync_class=need("sync_class"),
        page_size=int(need("page_size")),
        lookback_minutes=int(spec.get("lookback_minutes", 0)),
        quality_suite=need("quality_suite"),
        row_failure_policy=need("row_failure_policy"),
        checks=_parse_checks(stream_id, spec.get("checks") or {}),
    )
    _check_choice(stream_id, "cursor", stream.cursor, CURSORS)
    _check_choice(stream_id, "sync_class", stream.sync_class, SYNC_CLASSES)
    _check_choice(stream_id, "row_failure_policy", stream.row_failure_policy, ROW_FAILURE_POLICIES)
    declared = set(stream.fields)
    for column in (*stream.primary_key, *_cursor_fields(stream.cursor)):
        if column not in declared:
            raise CatalogError(
                f"{stream_id}: {column!r} is used as key or cursor but not in fields"
            )
    return stream


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
        max_bad_row_share=share,
    )


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
    return () if cursor == "snapshot" else tuple(cursor.split(","))


def _check_choice(stream_id: str, key: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise CatalogError(f"{stream_id}: {key}={value!r}, expected one of {', '.join(choices)}")
