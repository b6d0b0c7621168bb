"""File streams (the 3PL's inbox, the bank's export folder): each new file once, paged.

A run picks the folder's new, complete files (sources/inbox.py), reads each once before
landing to judge it — the header must hold the declared columns (else the stream fails:
the declaration or the partner's format is wrong), a file without rows is recorded as
empty, a file whose trailer disagrees with its rows is blocked — and claims the rest for
its batch in the file ledger. Files skipped for their content raise an alert and never
block the stream. The claimed files are then read record by record into pages.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from reporting_hub.catalog import Stream
from reporting_hub.load.columns import Column
from reporting_hub.ops import file_ledger
from reporting_hub.ops.alerts import notify, raise_alert
from reporting_hub.ops.file_ledger import FileCounts, SeenFile, Skipped
from reporting_hub.settings import Settings, SettingsError
from reporting_hub.sources import inbox
from reporting_hub.sources.base import DeadLetter, Extraction
from reporting_hub.sources.csv_rows import CsvFile, Layout, read_header
from reporting_hub.sources.decoding import Decoding
from reporting_hub.sources.trailer import trailer_problem
from reporting_hub.sources.values import columns_of, source_columns

log = logging.getLogger(__name__)
SKIP_SEVERITY = {"blocked": "error", "empty": "warning", "superseded": "warning"}


class FileChanged(RuntimeError):
    """A claimed file changed while it was read: the batch fails and the file is read again."""


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
        """A dead-lettered record parsed again (after a fix), with its file and line number.

        A record that was not text is decoded again from its bytes, with the encoding the
        stream declares now; a record whose bytes were not kept cannot be replayed.
        """
        name, _, number = letter.origin.rpartition(":")
        data = source_columns(stream)
        path = self.folder(stream, settings) / name
        encoding = stream.file_format.encoding
        header = read_header(path, stream.delimiter, encoding) if path.is_file() else []
        layout = Layout.of(
            header or [c.name for c in data],
            data,
            stream.delimiter,
            name,
            stream.file_format.formats,
        )
        return [*layout.parse(_record_text(letter, encoding)), name, int(number)]


def _record_text(letter: DeadLetter, encoding: str | None) -> str:
    if letter.raw is not None:
        text = Decoding(None, encoding).text(letter.raw)
        if not isinstance(text, str):
            raise ValueError(text.error)
        return text
    if letter.error.startswith(("undecodable", "contains U+FFFD")):
        raise ValueError(f"{letter.error}; its bytes were not kept: re-deliver the file")
    return letter.payload


def open_files(stream: Stream, folder: Path, warehouse_url: str) -> Extraction:
    columns = source_columns(stream)
    with psycopg.connect(warehouse_url) as conn:
        batch_id = file_ledger.running_batch(conn, stream.id)
        freed = file_ledger.free_abandoned(conn, stream.id)
        ledger = file_ledger.load_ledger(conn, stream.id, lambda n: inbox.document_of(stream, n))
        selection = inbox.select(
            stream,
            inbox.candidates(folder, stream.pattern or "*.csv"),
            ledger,
            lambda path: judge(stream, columns, path),
        )
        file_ledger.claim(conn, stream.id, batch_id, selection.new, selection.skipped)
        alerts = [_skip_alert(conn, stream, batch_id, s) for s in selection.skipped]
    for alert in filter(None, alerts):
        notify(alert)
    _log_selection(stream, freed, selection)
    new = [seen for seen, _ in selection.new]
    unloaded: dict[str, str] = {}
    for seen in new:
        header = read_header(folder / seen.name, stream.delimiter, stream.file_format.encoding)
        unloaded.update(dict.fromkeys((h for h in header if h not in stream.fields), "csv"))
    letters: list[DeadLetter] = []
    return Extraction(
        columns=columns_of(stream),
        pages=_pages(stream, folder, new, letters, batch_id, warehouse_url),
        watermark=lambda: new[-1].name if new else None,  # the newest file taken, for humans
        unloaded_fields=unloaded,
        dead_letters=letters,
    )


def judge(stream: Stream, columns: list[Column], path: Path) -> tuple[str, str] | None:
    """Read a new file once: None to load it, or (status, reason) to record and skip it.

    A header without a declared column raises HeaderMismatch, failing the stream.
    """
    with CsvFile(path, columns, stream.delimiter, stream.file_format) as csv_file:
        return _verdict(stream, columns, csv_file)


def _verdict(stream: Stream, columns: list[Column], csv_file: CsvFile) -> tuple[str, str] | None:
    if csv_file.is_empty:
        return "empty", "no header line: a blank file"
    trailer = stream.file_format.trailer
    if trailer is None:
        next(csv_file.rows(), None)
    else:
        problem = trailer_problem(csv_file, columns, trailer)
        if problem:
            return "blocked", f"{problem}; nothing of it is loaded"
    if csv_file.records == 0:
        return "empty", "a header without rows" + (" (and its trailer)" if trailer else "")
    return None


def _skip_alert(conn: psycopg.Connection, stream: Stream, batch_id: str, skipped: Skipped):
    severity = SKIP_SEVERITY.get(skipped.status)
    if severity is None:  # a copy of a file already taken is not news
        return None
    message = f"{stream.id}: {skipped.file.name} {skipped.status}: {skipped.reason}"
    return raise_alert(conn, severity, stream.id, batch_id, message)


def _log_selection(stream: Stream, freed: int, selection: inbox.Selection) -> None:
    if freed or selection.skipped or selection.unsettled:
        log.info(
            "%s: %d claims freed, %d files skipped (%s), %d still being written (%s)",
            stream.id,
            freed,
            len(selection.skipped),
            ", ".join(f"{s.file.name}: {s.status}" for s in selection.skipped),
            len(selection.unsettled),
            ", ".join(selection.unsettled),
        )


def _pages(
    stream: Stream,
    folder: Path,
    files: list[SeenFile],
    letters: list[DeadLetter],
    batch_id: str,
    warehouse_url: str,
) -> Iterator[list[list[Any]]]:
    columns = source_columns(stream)
    counts: dict[str, FileCounts] = {}
    page: list[list[Any]] = []
    for seen in files:
        path = folder / seen.name
        rows = dead = 0
        with CsvFile(path, columns, stream.delimiter, stream.file_format) as csv_file:
            for item in csv_file.rows():
                if isinstance(item, DeadLetter):
                    letters.append(item)
                    dead += 1
                    continue
                page.append(item)
                rows += 1
                if len(page) >= stream.page_size:
                    yield page
                    page = []
        if not inbox.unchanged(path, seen):
            raise FileChanged(f"{stream.id}: {seen.name} changed while it was read; read again")
        counts[seen.name] = FileCounts(rows, dead, csv_file.decoding.described)
    if page:
        yield page
    with psycopg.connect(warehouse_url) as conn:
        file_ledger.record_counts(conn, batch_id, counts)
