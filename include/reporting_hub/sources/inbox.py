"""Which files in a partner's folder to read now, and which to record and skip, with why.

A run lists the folder and leaves alone what the ledger already knows unchanged. Of the
rest it takes only files that are complete: temporary names (`*.part`, `*.tmp`, dot
files) never, and a file younger than the stream's `settle_seconds` only once it has
stopped changing, since partners that write in place let a file grow for a moment. Files
are known by SHA-256 (a copy under a new name is a duplicate; 0-byte files are empty, not
copies) and by document version: of several versions of one document only the newest is
read, and a version older than one already published is superseded on arrival.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reporting_hub.catalog import Stream
from reporting_hub.ops.file_ledger import Ledger, SeenFile, Skipped

IGNORED_SUFFIXES = (".part", ".tmp")
CHUNK = 1 << 20
Stat = tuple[int, int]  # size, mtime_ns


@dataclass
class Selection:
    """What this run reads (with the published files each replaces) and what it skips."""

    new: list[tuple[SeenFile, list[str]]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    unsettled: list[str] = field(default_factory=list)  # still being written: next run

    def skip(self, file: SeenFile, status: str, reason: str, **links: str) -> None:
        self.skipped.append(Skipped(file, status, reason, **links))


def candidates(folder: Path, pattern: str) -> list[Path]:
    """Complete files matching the pattern, oldest name first; temp and dot files never."""
    return sorted(
        path
        for path in folder.glob(pattern)
        if path.is_file()
        and not path.name.startswith(".")
        and not path.name.endswith(IGNORED_SUFFIXES)
    )


def document_of(stream: Stream, name: str) -> tuple[str, int]:
    """The document a file is a version of, and the version's rank (1 when unnumbered).

    Without a `document` rule every file is its own document, so a file rewritten under
    its name replaces its earlier content; a rule without a `document` group makes all
    matching files versions of one document (a full item master, say).
    """
    rule = stream.file_format.document
    match = rule.fullmatch(name) if rule else None
    if match is None:
        return name, 1
    document = match.group("document") if "document" in rule.groupindex else ""
    version = match.groupdict().get("version")
    return document or "", int(version) if version and version.isdigit() else 1


# A file's verdict from reading it: None to load it, else (status, reason) to skip it.
Judge = Callable[[Path], tuple[str, str] | None]


def select(
    stream: Stream,
    paths: list[Path],
    ledger: Ledger,
    judge: Judge = lambda path: None,
    sleep: Callable[[float], None] = time.sleep,
) -> Selection:
    """Classify the folder's files for one run (see the module docstring).

    `judge` reads each new file once before versions are compared, so a file refused
    for its content (no rows, disagreeing control totals) never replaces a good one.
    """
    selection = Selection()
    fresh = [(p, _stat(p)) for p in paths]
    fresh = [(p, s) for p, s in fresh if s and not ledger.known_unchanged(p.name, *s)]
    taken = dict(ledger.taken)
    versions: list[SeenFile] = []
    for path, stat in _settled(fresh, stream.file_format.settle_seconds, selection, sleep):
        document, rank = document_of(stream, path.name)
        if stat[0] == 0:
            seen = SeenFile(path.name, sha256_of(path), *stat, document, rank)
            selection.skip(seen, "empty", "0 bytes: nothing to read")
            continue
        digest = sha256_of(path)
        if _stat(path) != stat:  # written to while we hashed it: next run
            selection.unsettled.append(path.name)
            continue
        seen = SeenFile(path.name, digest, *stat, document, rank)
        if digest in taken:
            if taken[digest] != seen.name:  # touched but unchanged is not a duplicate
                reason = f"same content as {taken[digest]}"
                selection.skip(seen, "duplicate", reason, duplicate_of=taken[digest])
            continue
        verdict = judge(path)
        if verdict is None or verdict[0] != "empty":  # empty files all look alike
            taken[digest] = seen.name
        if verdict is not None:
            selection.skip(seen, *verdict)
            continue
        versions.append(seen)
    _newest_versions(versions, ledger, selection, stream.max_files)
    return selection


def _newest_versions(
    files: list[SeenFile], ledger: Ledger, selection: Selection, max_files: int | None
) -> None:
    """Per document, only the newest version is read; it replaces the published ones."""
    newest: dict[str, SeenFile] = {}
    for seen in files:  # in name order: of equal ranks, the later delivery wins
        if seen.document not in newest or seen.rank >= newest[seen.document].rank:
            newest[seen.document] = seen
    for seen in files:
        published = ledger.documents.get(seen.document, [])
        best = max(published, default=None)
        if newest[seen.document] is not seen:
            later = newest[seen.document].name
            selection.skip(seen, "superseded", f"{later} is a newer version", superseded_by=later)
        elif best is not None and best[0] > seen.rank:
            reason = f"older than {best[1]}, published already"
            selection.skip(seen, "superseded", reason, superseded_by=best[1])
        elif max_files is None or len(selection.new) < max_files:
            selection.new.append((seen, sorted(name for _, name in published)))


def _settled(
    fresh: list[tuple[Path, Stat]],
    settle_seconds: float,
    selection: Selection,
    sleep: Callable[[float], None],
) -> list[tuple[Path, Stat]]:
    """Files that stopped changing: young ones are looked at again once old enough."""
    now = time.time_ns()
    young = [(p, s) for p, s in fresh if now - s[1] < settle_seconds * 1e9]
    if not young:
        return fresh
    wait = max(settle_seconds - (now - s[1]) / 1e9 for _, s in young)
    sleep(min(wait, settle_seconds))  # a clock ahead of ours must not stall the run
    changed = {p for p, s in young if _stat(p) != s}
    selection.unsettled += sorted(p.name for p in changed)
    return [(p, s) for p, s in fresh if p not in changed]


def _stat(path: Path) -> Stat | None:
    try:
        stat = os.stat(path)
    except FileNotFoundError:  # renamed or removed since it was listed
        return None
    return stat.st_size, stat.st_mtime_ns


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def unchanged(path: Path, seen: SeenFile) -> bool:
    """The file is still what was claimed (its rows were read from that content)."""
    return _stat(path) == (seen.size, seen.mtime_ns)
