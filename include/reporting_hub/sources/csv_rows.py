"""Typed rows of one CSV file, each with the line it came from; a bad line is a dead letter.

Files are read line by line (one record per physical line, as the WMS and bank exports
write them), so a broken line — a missing column, a garbled number, a stray quote —
cannot swallow the lines after it, and every dead letter names its file and line.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reporting_hub.load.columns import Column
from reporting_hub.sources.base import DeadLetter
from reporting_hub.sources.values import TEXT_PARSERS, Parser, column_parser


class HeaderMismatch(ValueError):
    """A file lacks a declared column: the stream's declaration or the file is wrong."""


@dataclass(frozen=True)
class Layout:
    """Where each declared column sits in one file's header, and how to parse it."""

    header: list[str]
    plan: list[tuple[int, Parser]]
    delimiter: str

    @classmethod
    def of(cls, header: list[str], columns: list[Column], delimiter: str, origin: str) -> Layout:
        missing = [c.name for c in columns if c.name not in header]
        if missing:
            raise HeaderMismatch(
                f"{origin}: header lacks declared column(s) {', '.join(missing)} "
                f"(header: {', '.join(header)})"
            )
        plan = [(header.index(c.name), column_parser(TEXT_PARSERS, c)) for c in columns]
        return cls(header, plan, delimiter)

    def parse(self, line: str) -> list[Any]:
        """Column values of one data line; ValueError says what is wrong with it."""
        cells = split_line(line, self.delimiter)
        if len(cells) != len(self.header):
            raise ValueError(f"expected {len(self.header)} columns, found {len(cells)}")
        return [parse(cells[i]) for i, parse in self.plan]


def split_line(line: str, delimiter: str) -> list[str]:
    """Cells of one line; quoted cells go through csv, an unbalanced quote is an error."""
    if '"' not in line:
        return line.split(delimiter)
    if line.count('"') % 2:
        raise ValueError("unbalanced quote")
    try:
        return next(csv.reader([line], delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise ValueError(f"malformed quoting: {exc}") from None


def read_header(path: Path, delimiter: str) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return split_line(handle.readline().rstrip("\r\n"), delimiter)


def read_rows(
    path: Path, columns: list[Column], delimiter: str
) -> Iterator[list[Any] | DeadLetter]:
    """Each data line as values plus (file name, line number), or as a dead letter."""
    name = path.name
    with open(path, "rb") as handle:
        header = split_line(handle.readline().decode("utf-8-sig").rstrip("\r\n"), delimiter)
        layout = Layout.of(header, columns, delimiter, name)
        for number, raw in enumerate(handle, start=2):
            origin = f"{name}:{number}"
            try:
                line = raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
                yield DeadLetter(payload=text, error="not valid UTF-8", origin=origin)
                continue
            if line.strip():
                yield parse_or_dead_letter(layout, line, origin, [name, number])


def parse_or_dead_letter(
    layout: Layout, line: str, origin: str, lineage: list[Any]
) -> list[Any] | DeadLetter:
    """The line's values plus lineage, or the line as a dead letter with the reason."""
    try:
        return [*layout.parse(line), *lineage]
    except ValueError as exc:
        return DeadLetter(payload=line, error=str(exc), origin=origin)
