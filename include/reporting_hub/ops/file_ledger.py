"""The file ledger: which files a file stream has taken, so each is loaded exactly once.

A run claims its files (status `landed`, under its batch) before reading them; the publish
transaction confirms them (`published`) and marks the earlier versions of the same
documents `superseded`. A batch that never publishes (a crash, a blocked gate) is
abandoned by the next extract, which frees its claims so the files are read again.
Files are known by SHA-256, so the same content under a new name loads once; files the
run skips are recorded too, with the reason: `duplicate`, `empty`, `blocked` (control
totals disagree) or `superseded` (a newer version of the document was taken already).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from psycopg import Connection

# Statuses of files whose content was taken (loaded, or judged and refused for good).
TAKEN = ("landed", "published", "blocked", "superseded")


@dataclass(frozen=True)
class SeenFile:
    """A file in the inbox as the ledger identifies it, and which document version it is."""

    name: str
    sha256: str
    size: int
    mtime_ns: int
    document: str = ""
    rank: int = 1  # its version: a higher rank replaces a lower one of the same document


@dataclass(frozen=True)
class Skipped:
    """A file recorded but not loaded, and why (`duplicate_of` names what it repeats).

    A file that is loaded is recorded the same way, as `landed` with the published files
    of its document that it `supersedes`.
    """

    file: SeenFile
    status: str  # duplicate | empty | blocked | superseded (or landed)
    reason: str
    duplicate_of: str | None = None
    superseded_by: str | None = None
    supersedes: tuple[str, ...] | list[str] = ()


@dataclass(frozen=True)
class FileCounts:
    """What reading one file of a batch gave: rows landed, dead letters, its encoding."""

    rows: int
    dead: int
    encoding: str


@dataclass
class Ledger:
    """What a stream has already taken: by name (a cheap stat check), and by content."""

    by_name: dict[str, tuple[int, int, str]] = field(default_factory=dict)  # size, mtime, sha
    taken: dict[str, str] = field(default_factory=dict)  # sha256 -> file name first taken as
    # document -> the published files of it (rank, name): a new version replaces them all.
    documents: dict[str, list[tuple[int, str]]] = field(default_factory=dict)

    def known_unchanged(self, name: str, size: int, mtime_ns: int) -> bool:
        """Seen under this name, and not rewritten since: no need to hash it again."""
        return self.by_name.get(name, (None, None, None))[:2] == (size, mtime_ns)


class NoRunningBatch(RuntimeError):
    """A file stream was read outside pipeline.extract, so there is no batch to claim for."""


def running_batch(conn: Connection, stream: str) -> str:
    """The batch pipeline.extract has just started for the stream: the one claims belong to.

    extract abandons every earlier unpublished batch before it starts a run, so exactly
    one `running` sync run exists while a connector opens.
    """
    row = conn.execute(
        "select batch_id from ops.sync_runs where stream = %s and kind = 'sync' "
        "and status = 'running' order by run_id desc limit 1",
        (stream,),
    ).fetchone()
    if row is None:
        raise NoRunningBatch(
            f"{stream}: file streams are read through pipeline.extract (it starts the batch "
            "the files are claimed for)"
        )
    return row[0]


def free_abandoned(conn: Connection, stream: str) -> int:
    """Drop the claims of batches that failed or were abandoned: their files are due again."""
    cur = conn.execute(
        "delete from ops.file_ledger l where l.stream = %s and l.status <> 'published' "
        "and exists (select 1 from ops.sync_runs r where r.batch_id = l.batch_id "
        "and r.status = 'failed')",
        (stream,),
    )
    return cur.rowcount


def load_ledger(conn: Connection, stream: str, rank_of: Callable[[str], tuple[str, int]]) -> Ledger:
    """Every file the stream holds a claim on (one row per file: small, even for years).

    `rank_of` names a file's document and version rank (the catalog's `document` rule),
    computed from the names so a changed rule applies to the files taken before it.
    """
    ledger = Ledger()
    cur = conn.execute(
        "select file_name, size_bytes, mtime_ns, sha256, status from ops.file_ledger "
        "where stream = %s order by landed_at",
        (stream,),
    )
    for name, size, mtime_ns, sha256, status in cur:
        ledger.by_name[name] = (size, mtime_ns, sha256)
        if status in TAKEN:
            ledger.taken.setdefault(sha256, name)
        if status == "published":
            document, rank = rank_of(name)
            ledger.documents.setdefault(document, []).append((rank, name))
    return ledger


def claim(
    conn: Connection,
    stream: str,
    batch_id: str,
    files: Iterable[tuple[SeenFile, list[str]]],
    skipped: Iterable[Skipped] = (),
) -> None:
    """Record the batch's files (with the published files each replaces) and those it skipped."""
    records = [Skipped(f, "landed", "", supersedes=replaces) for f, replaces in files]
    records += skipped
    with conn.cursor() as cur:
        cur.executemany(
            "insert into ops.file_ledger (stream, file_name, sha256, size_bytes, mtime_ns, "
            "batch_id, status, reason, duplicate_of, superseded_by, supersedes, document) "
            "values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
            "on conflict (stream, file_name, sha256) do nothing",
            [_ledger_row(stream, batch_id, r) for r in records],
        )


def _ledger_row(stream: str, batch_id: str, r: Skipped) -> tuple:
    f = r.file
    return (stream, f.name, f.sha256, f.size, f.mtime_ns, batch_id, r.status, r.reason or None,
            r.duplicate_of, r.superseded_by, list(r.supersedes), f.document)  # fmt: skip


def record_counts(conn: Connection, batch_id: str, counts: dict[str, FileCounts]) -> None:
    """Rows landed and dead-lettered per file of the batch, and its encoding, once read."""
    with conn.cursor() as cur:
        cur.executemany(
            "update ops.file_ledger set rows = %s, rows_dead_lettered = %s, encoding = %s "
            "where batch_id = %s and file_name = %s and status = 'landed'",
            [(c.rows, c.dead, c.encoding, batch_id, name) for name, c in counts.items()],
        )


def confirm_files(conn: Connection, batch_id: str) -> int:
    """In the publish transaction: the batch's files are taken for good, and replace
    the earlier published versions of their documents."""
    conn.execute(
        "update ops.file_ledger o set status = 'superseded', superseded_by = n.file_name "
        "from ops.file_ledger n where n.batch_id = %s and n.status = 'landed' "
        "and o.stream = n.stream and o.status = 'published' and o.batch_id <> n.batch_id "
        "and o.file_name = any(n.supersedes)",
        (batch_id,),
    )
    cur = conn.execute(
        "update ops.file_ledger set status = 'published', published_at = now() "
        "where batch_id = %s and status = 'landed'",
        (batch_id,),
    )
    return cur.rowcount


def replaced_files(conn: Connection, batch_id: str) -> list[str]:
    """The published files the batch's files replace (their rows may be gone at the source)."""
    cur = conn.execute(
        "select distinct unnest(supersedes) from ops.file_ledger "
        "where batch_id = %s and status = 'landed'",
        (batch_id,),
    )
    return [name for (name,) in cur]
