"""How a partner writes its files: encoding, number and date formats, trailer, versions.

Partners do not all write UTF-8 with ISO dates: a European bank exports cp1252 with
`1.234,56` and `30.03.2026`, closes each file with a control-total row, and re-sends a
corrected day as `statement_<day>_v2.csv`. These declarations (the `files` keys of a
stream in streams.yml) say so explicitly, so the reader never guesses; parsing raises
ValueError naming the key, and the catalog adds the stream's id.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any

# Named groups a `document` pattern may use: which document a file is, and its version.
DOCUMENT_GROUPS = {"document", "version"}
DEFAULT_SETTLE_SECONDS = 2.0
_PROBE = dt.datetime(2026, 3, 30, 21, 45, tzinfo=dt.UTC)


@dataclass(frozen=True)
class ValueFormat:
    """How numbers and dates are written: `1234.56` and ISO 8601 unless declared."""

    decimal: str = "."
    thousands: str | None = None
    date: str | None = None  # strptime format, e.g. %d.%m.%Y; None: ISO 8601
    timestamp: str | None = None  # strptime format with %z; None: ISO 8601

    def __post_init__(self) -> None:
        if len(self.decimal) != 1 or self.decimal.isdigit():
            raise ValueError(f"formats.decimal={self.decimal!r}: one non-digit character")
        if self.thousands is not None and (
            len(self.thousands) != 1 or self.thousands.isdigit() or self.thousands == self.decimal
        ):
            raise ValueError(
                f"formats.thousands={self.thousands!r}: one non-digit character, not the decimal"
            )
        for key in ("date", "timestamp"):
            pattern = getattr(self, key)
            if pattern is not None and not _round_trips(pattern, key == "timestamp"):
                raise ValueError(f"formats.{key}={pattern!r} does not read back what it writes")


@dataclass(frozen=True)
class Formats:
    """The stream's value format, with per-column overrides (which inherit the rest)."""

    default: ValueFormat = ValueFormat()
    columns: dict[str, ValueFormat] = field(default_factory=dict)

    def of(self, column: str) -> ValueFormat:
        return self.columns.get(column, self.default)


@dataclass(frozen=True)
class Trailer:
    """A closing row with control totals: `marker` in its first cell, counts and sums after.

    `count` and `sums` are 1-based cell positions in the trailer row: the number of data
    rows, and the total of each named numeric column, written in the stream's formats.
    """

    marker: str
    count: int
    sums: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class FileFormat:
    """Everything a file stream declares about its files beyond the columns."""

    encoding: str | None = None  # used when a file has no BOM and is not valid UTF-8
    formats: Formats = Formats()
    trailer: Trailer | None = None
    document: re.Pattern[str] | None = None  # which document a file is, and its version
    settle_seconds: float = DEFAULT_SETTLE_SECONDS  # a younger file may still be written


def parse_file_format(spec: dict[str, Any], numeric_columns: set[str]) -> FileFormat:
    """The `files` keys of one stream's declaration; ValueError names the key at fault."""
    settle = float(spec.get("settle_seconds", DEFAULT_SETTLE_SECONDS))
    if settle < 0:
        raise ValueError(f"settle_seconds={settle}: expected 0 or more")
    return FileFormat(
        encoding=_encoding(spec.get("encoding")),
        formats=_formats(spec.get("formats") or {}),
        trailer=_trailer(spec.get("trailer"), numeric_columns),
        document=_document(spec.get("document")),
        settle_seconds=settle,
    )


def _encoding(name: str | None) -> str | None:
    if name is None:
        return None
    try:
        codec = codecs.lookup(name)
    except LookupError:
        raise ValueError(f"encoding={name!r} is not a known encoding") from None
    if codec.name.startswith(("utf-16", "utf-32")):
        raise ValueError(f"encoding={name!r}: UTF-16/32 files carry a BOM and are detected")
    return codec.name


def _formats(spec: dict[str, Any]) -> Formats:
    spec = dict(spec)
    overrides = spec.pop("columns", None) or {}
    default = _value_format(spec, ValueFormat(), "formats")
    columns = {
        name: _value_format(own or {}, default, f"formats.columns.{name}")
        for name, own in overrides.items()
    }
    return Formats(default, columns)


def _value_format(spec: dict[str, Any], base: ValueFormat, where: str) -> ValueFormat:
    known = {"decimal", "thousands", "date", "timestamp"}
    unknown = sorted(set(spec) - known)
    if unknown:
        raise ValueError(
            f"{where}: unknown key(s) {', '.join(unknown)} (known: decimal, "
            "thousands, date, timestamp)"
        )
    return replace(base, **spec)


def _trailer(spec: dict[str, Any] | None, numeric_columns: set[str]) -> Trailer | None:
    if spec is None:
        return None
    try:
        trailer = Trailer(**spec)
    except TypeError as exc:
        raise ValueError(f"trailer: {exc}") from None
    positions = [trailer.count, *trailer.sums.values()]
    if not trailer.marker or not all(isinstance(p, int) and p >= 2 for p in positions):
        raise ValueError("trailer needs a marker and cell positions of 2 or more (1 is the marker)")
    not_numeric = sorted(set(trailer.sums) - numeric_columns)
    if not_numeric:
        raise ValueError(f"trailer.sums names {', '.join(not_numeric)}: not numeric columns")
    return trailer


def _document(pattern: str | None) -> re.Pattern[str] | None:
    if pattern is None:
        return None
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"document={pattern!r}: {exc}") from None
    odd = set(compiled.groupindex) - DOCUMENT_GROUPS
    if odd:
        raise ValueError(
            f"document: unknown group(s) {', '.join(sorted(odd))}; "
            "use (?P<document>...) and (?P<version>...)"
        )
    return compiled


def _round_trips(pattern: str, with_zone: bool) -> bool:
    """A format is usable when what it writes parses back to the same value."""
    try:
        text = _PROBE.strftime(pattern)
        parsed = dt.datetime.strptime(text, pattern)
    except ValueError:
        return False
    if with_zone:
        return parsed == _PROBE
    return parsed.date() == _PROBE.date()
