"""Typed rows of one CSV file, each with the line it came from; a bad record is a dead letter.

A record is one line, or several when a quoted cell spans lines (an address, a memo). A
stray quote must not swallow the file behind it, so a record is joined across lines only
while it stays short and reads as exactly one row of the header's width; otherwise its
first line alone is the dead letter and reading resumes on the next line. Lines come
decoded by sources/decoding.py, values are typed in the stream's declared formats, and
a declared trailer row (control totals) is kept aside for the caller to check.
"""

from __future__ import annotations

import csv
import io
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reporting_hub.load.columns import Column
from reporting_hub.sources.base import DeadLetter
from reporting_hub.sources.decoding import Decoding, Undecodable, lines
from reporting_hub.sources.file_format import FileFormat, Formats
from reporting_hub.sources.values import Parser, column_parser, formatted_parsers

# A quoted cell may span lines, but an unclosed quote stops being joined after this many.
MAX_RECORD_LINES = 20
Line = tuple[int, str | Undecodable]


class HeaderMismatch(ValueError):
    """A file lacks a declared column: the stream's declaration or the file is wrong."""


@dataclass(frozen=True)
class Layout:
    """Where each declared column sits in one file's header, and how to parse it."""

    header: list[str]
    plan: list[tuple[int, Parser]]
    delimiter: str

    @classmethod
    def of(
        cls,
        header: list[str],
        columns: list[Column],
        delimiter: str,
        origin: str,
        formats: Formats | None = None,
    ) -> Layout:
        missing = [c.name for c in columns if c.name not in header]
        if missing:
            raise HeaderMismatch(
                f"{origin}: header lacks declared column(s) {', '.join(missing)} "
                f"(header: {', '.join(header)})"
            )
        formats = formats or Formats()
        plan = [
            (header.index(c.name), column_parser(formatted_parsers(formats.of(c.name)), c))
            for c in columns
        ]
        return cls(header, plan, delimiter)

    def cells(self, record: str) -> list[str]:
        """The record's cells, exactly as many as the header has; ValueError otherwise."""
        cells = split_line(record, self.delimiter)
        if len(cells) != len(self.header):
            raise ValueError(f"expected {len(self.header)} columns, found {len(cells)}")
        return cells

    def parse(self, record: str) -> list[Any]:
        """Column values of one data record; ValueError says what is wrong with it."""
        cells = self.cells(record)
        return [parse(cells[i]) for i, parse in self.plan]


def split_line(line: str, delimiter: str) -> list[str]:
    """Cells of one record; quoted cells go through csv, an unbalanced quote is an error."""
    if '"' not in line:
        return line.split(delimiter)
    if line.count('"') % 2:
        raise ValueError("unbalanced quote")
    try:
        rows = list(csv.reader(io.StringIO(line), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise ValueError(f"malformed quoting: {exc}") from None
    if len(rows) != 1:
        raise ValueError(f"one record reads as {len(rows)} rows")
    return rows[0]


@dataclass(frozen=True)
class TrailerRow:
    """The control-total row a declared trailer closes a file with, and what followed it."""

    line: int
    cells: list[str]
    records_after: int = 0


class CsvFile:
    """One delivered file, read as the stream declares it: decoded, joined, typed."""

    def __init__(
        self, path: Path, columns: list[Column], delimiter: str, file_format: FileFormat
    ) -> None:
        self.name = path.name
        self.file_format = file_format
        self.decoding: Decoding
        self.decoding, self._lines = lines(path, file_format.encoding)
        self.header = self._header(delimiter)
        self.layout = (
            Layout.of(self.header, columns, delimiter, self.name, file_format.formats)
            if self.header is not None
            else None
        )
        self.trailer: TrailerRow | None = None
        self.records = 0  # data records read so far (rows and dead letters, not the trailer)

    def __enter__(self) -> CsvFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop reading: the file is closed even when its rows were not all read."""
        self._lines.close()

    @property
    def is_empty(self) -> bool:
        """No header at all: a 0-byte (or blank) file."""
        return self.header is None

    def _header(self, delimiter: str) -> list[str] | None:
        for _, text in self._lines:
            if isinstance(text, Undecodable):
                raise HeaderMismatch(f"{self.name}: the header line is not text ({text.error})")
            if text.strip():
                return split_line(text, delimiter)
        return None

    def rows(self) -> Iterator[list[Any] | DeadLetter]:
        """Each data record as values plus (file name, first line), or as a dead letter."""
        if self.layout is None:
            return
        marker = self.file_format.trailer.marker if self.file_format.trailer else None
        for item in self._records():
            if isinstance(item, DeadLetter):
                self.records += 1
                yield item
                continue
            number, record = item
            if self.trailer is not None:
                self.trailer = TrailerRow(
                    self.trailer.line, self.trailer.cells, self.trailer.records_after + 1
                )
                continue
            if marker is not None and _first_cell(record, self.layout.delimiter) == marker:
                self.trailer = TrailerRow(number, split_line(record, self.layout.delimiter))
                continue
            self.records += 1
            origin = f"{self.name}:{number}"
            yield parse_or_dead_letter(self.layout, record, origin, [self.name, number])

    def _records(self) -> Iterator[tuple[int, str] | DeadLetter]:
        """Physical lines joined into records; blank lines between records are skipped."""
        pending: deque[Line] = deque()

        def pull() -> Line | None:
            return pending.popleft() if pending else next(self._lines, None)

        while (line := pull()) is not None:
            number, text = line
            if isinstance(text, Undecodable):
                yield _undecodable(self.name, number, text)
            elif text.count('"') % 2 == 0:
                if text.strip():
                    yield number, text
            else:
                taken = self._joined(line, pull)
                whole = not any(isinstance(t, Undecodable) for _, t in taken)
                record = "\n".join(str(t) for _, t in taken) if whole else ""
                if len(taken) > 1 and whole and self._reads_as_one_row(record):
                    yield number, record
                else:  # a stray quote: this line alone is the bad record
                    pending.extendleft(reversed(taken[1:]))
                    yield number, text

    @staticmethod
    def _joined(first: Line, pull: Callable[[], Line | None]) -> list[Line]:
        """The lines from `first` until its quotes balance (bounded; stops at bad bytes)."""
        taken = [first]
        quotes = str(first[1]).count('"')
        while quotes % 2 and len(taken) < MAX_RECORD_LINES:
            following = pull()
            if following is None:
                break
            taken.append(following)
            if isinstance(following[1], Undecodable):
                break
            quotes += following[1].count('"')
        return taken

    def _reads_as_one_row(self, record: str) -> bool:
        try:
            self.layout.cells(record)  # type: ignore[union-attr]
        except ValueError:
            return False
        return True


def _first_cell(record: str, delimiter: str) -> str:
    try:
        return split_line(record, delimiter)[0]
    except ValueError:
        return ""


def _undecodable(name: str, number: int, line: Undecodable) -> DeadLetter:
    return DeadLetter(payload=line.shown, error=line.error, origin=f"{name}:{number}", raw=line.raw)


def read_header(path: Path, delimiter: str, encoding: str | None = None) -> list[str]:
    """The header of a file, decoded as its rows are (empty list for an empty file)."""
    with CsvFile(path, [], delimiter, FileFormat(encoding=encoding)) as csv_file:
        return csv_file.header or []


def read_rows(
    path: Path, columns: list[Column], delimiter: str, file_format: FileFormat | None = None
) -> Iterator[list[Any] | DeadLetter]:
    """Each data record of the file as values plus (file name, line), or as a dead letter."""
    with CsvFile(path, columns, delimiter, file_format or FileFormat()) as csv_file:
        yield from csv_file.rows()


def parse_or_dead_letter(
    layout: Layout, line: str, origin: str, lineage: list[Any]
) -> list[Any] | DeadLetter:
    """The record's values plus lineage, or the record as a dead letter with the reason."""
    try:
        return [*layout.parse(line), *lineage]
    except ValueError as exc:
        return DeadLetter(payload=line, error=str(exc), origin=origin)
