"""File streams (the 3PL's inbox, the bank's export folder): each new file once, paged.

A run lists the folder, skips what the ledger already holds (by name and stat, else by
SHA-256, so a re-delivery under a new name is recognised), claims the rest for its batch
and reads them line by line into pages. Temporary files (`*.part`, `*.tmp`, dot files)
are never read: a writer renames a file into place only when it is complete.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from reporting_hub.catalog import Stream
from reporting_hub.load.columns import Column
from reporting_hub.ops import file_ledger
from reporting_hub.ops.file_ledger import Ledger, SeenFile
from reporting_hub.settings import Settings, SettingsError
from reporting_hub.sources.base import DeadLetter, Extraction
from reporting_hub.sources.csv_rows import Layout, read_header, read_rows
from reporting_hub.sources.values import columns_of

log = logging.getLogger(__name__)
IGNORED_SUFFIXES = (".part", ".tmp")
CHUNK = 1 << 20


@dataclass(frozen=True)
class FileSource:
    """A system that delivers CSV files into the folder one setting names."""

    system: str  # for messages, e.g. "WMS inbox"
    setting: str  # the Settings attribute holding the folder
    env: str  # the environment variable that sets it

    def folder(self, stream: Stream, settings: Settings) -> Path:
        folder = getattr(settings, self.setting)
        if folder is None:
            raise SettingsError(f"{stream.id}: no {self.system} configured: set {self.env}")
        if not Path(folder).is_dir():
            raise SettingsError(f"{stream.id}: {self.system} folder {folder} does not exist")
        return Path(folder)

    def open_extraction(
        self, stream: Stream, settings: Settings, watermark: str | None
    ) -> Extraction:
        """Claim the stream's new files for the running batch and page through them."""
        return open_files(stream, self.folder(stream, settings), settings.warehouse_url)

    def parse_dead_letter(
        self, stream: Stream, settings: Settings, letter: DeadLetter
    ) -> list[Any]:
        """A dead-lettered line parsed again (after a fix), with its file and line number."""
        name, _, number = letter.origin.rpartition(":")
        data = data_columns(stream)
        path = self.folder(stream, settings) / name
        header = read_header(path, stream.delimiter) if path.is_file() else [c.name for c in data]
        layout = Layout.of(header, data, stream.delimiter, name)
        return [*layout.parse(letter.payload), name, int(number)]


def data_columns(stream: Stream) -> list[Column]:
    """The columns read from the file: all declared ones but the lineage pair."""
    return columns_of(stream)[:-2]


def open_files(stream: Stream, folder: Path, warehouse_url: str) -> Extraction:
    with psycopg.connect(warehouse_url) as conn:
        batch_id = file_ledger.running_batch(conn, stream.id)
        freed = file_ledger.free_abandoned(conn, stream.id)
        new, duplicates = select_new(
            candidates(folder, stream.pattern or "*.csv"),
            file_ledger.load_ledger(conn, stream.id),
            stream.max_files,
        )
        file_ledger.claim(conn, stream.id, batch_id, new, duplicates)
    if freed or duplicates:
        log.info(
            "%s: %d claims freed, %d duplicate files skipped", stream.id, freed, len(duplicates)
        )
    columns = data_columns(stream)
    unloaded: dict[str, str] = {}
    for seen in new:  # fail before landing anything when a file lacks a declared column
        header = read_header(folder / seen.name, stream.delimiter)
        Layout.of(header, columns, stream.delimiter, seen.name)
        unloaded.update(dict.fromkeys((h for h in header if h not in stream.fields), "csv"))
    letters: list[DeadLetter] = []
    return Extraction(
        columns=columns_of(stream),
        pages=_pages(stream, folder, new, letters, batch_id, warehouse_url),
        watermark=lambda: new[-1].name if new else None,  # the newest file taken, for humans
        unloaded_fields=unloaded,
        dead_letters=letters,
    )


def _pages(
    stream: Stream,
    folder: Path,
    files: list[SeenFile],
    letters: list[DeadLetter],
    batch_id: str,
    warehouse_url: str,
) -> Iterator[list[list[Any]]]:
    columns = data_columns(stream)
    counts: dict[str, tuple[int, int]] = {}
    page: list[list[Any]] = []
    for seen in files:
        rows = dead = 0
        for item in read_rows(folder / seen.name, columns, stream.delimiter):
            if isinstance(item, DeadLetter):
                letters.append(item)
                dead += 1
                continue
            page.append(item)
            rows += 1
            if len(page) >= stream.page_size:
                yield page
                page = []
        counts[seen.name] = (rows, dead)
    if page:
        yield page
    with psycopg.connect(warehouse_url) as conn:
        file_ledger.record_counts(conn, batch_id, counts)


def candidates(folder: Path, pattern: str) -> list[Path]:
    """Complete files matching the pattern, oldest name first; temp and dot files never."""
    return sorted(
        path
        for path in folder.glob(pattern)
        if path.is_file()
        and not path.name.startswith(".")
        and not path.name.endswith(IGNORED_SUFFIXES)
    )


def select_new(
    paths: list[Path], ledger: Ledger, max_files: int | None = None
) -> tuple[list[SeenFile], list[tuple[SeenFile, str]]]:
    """The files to read now, and the duplicates of files already taken (with the original)."""
    new: list[SeenFile] = []
    duplicates: list[tuple[SeenFile, str]] = []
    taken = dict(ledger.taken)
    for path in paths:
        stat = path.stat()
        if ledger.known_unchanged(path.name, stat.st_size, stat.st_mtime_ns):
            continue
        seen = SeenFile(path.name, sha256_of(path), stat.st_size, stat.st_mtime_ns)
        if seen.sha256 in taken:
            if taken[seen.sha256] != seen.name:  # touched but unchanged is not a duplicate
                duplicates.append((seen, taken[seen.sha256]))
            continue
        if max_files is not None and len(new) >= max_files:
            break
        taken[seen.sha256] = seen.name
        new.append(seen)
    return new, duplicates


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
