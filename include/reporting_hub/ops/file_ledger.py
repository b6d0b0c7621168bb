"""The file ledger: which files a file stream has taken, so each is loaded exactly once.

A run claims its files (status `landed`, under its batch) before reading them; the publish
transaction confirms them (`published`). A batch that never publishes (a crash, a blocked
gate) is abandoned by the next extract, which frees its claims so the files are read
again. Files are known by SHA-256, so the same content under a new name loads once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from psycopg import Connection


@dataclass(frozen=True)
class SeenFile:
    """A file in the inbox as the ledger identifies it."""

    name: str
    sha256: str
    size: int
    mtime_ns: int


@dataclass
class Ledger:
    """What a stream has already taken: by name (a cheap stat check), and by content."""

    by_name: dict[str, tuple[int, int, str]] = field(default_factory=dict)  # size, mtime, sha
    taken: dict[str, str] = field(default_factory=dict)  # sha256 -> file name first taken as

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


def load_ledger(conn: Connection, stream: str) -> Ledger:
    """Every file the stream holds a claim on (one row per file: small, even for years)."""
    ledger = Ledger()
    cur = conn.execute(
        "select file_name, size_bytes, mtime_ns, sha256, status from ops.file_ledger "
        "where stream = %s order by landed_at",
        (stream,),
    )
    for name, size, mtime_ns, sha256, status in cur:
        ledger.by_name[name] = (size, mtime_ns, sha256)
        if status != "duplicate":
            ledger.taken.setdefault(sha256, name)
    return ledger


def claim(
    conn: Connection,
    stream: str,
    batch_id: str,
    files: Iterable[SeenFile],
    duplicates: Iterable[tuple[SeenFile, str]] = (),
) -> None:
    """Record the batch's files (and the duplicates it skipped, with what they repeat)."""
    rows = [(f, "landed", None) for f in files] + [(f, "duplicate", of) for f, of in duplicates]
    with conn.cursor() as cur:
        cur.executemany(
            "insert into ops.file_ledger (stream, file_name, sha256, size_bytes, mtime_ns, "
            "batch_id, status, duplicate_of) values (%s, %s, %s, %s, %s, %s, %s, %s) "
            "on conflict (stream, file_name, sha256) do nothing",
            [
                (stream, f.name, f.sha256, f.size, f.mtime_ns, batch_id, status, of)
                for f, status, of in rows
            ],
        )


def record_counts(conn: Connection, batch_id: str, counts: dict[str, tuple[int, int]]) -> None:
    """Rows landed and dead-lettered per file of the batch, once the files are read."""
    with conn.cursor() as cur:
        cur.executemany(
            "update ops.file_ledger set rows = %s, rows_dead_lettered = %s "
            "where batch_id = %s and file_name = %s and status = 'landed'",
            [(rows, dead, batch_id, name) for name, (rows, dead) in counts.items()],
        )


def confirm_files(conn: Connection, batch_id: str) -> int:
    """In the publish transaction: the batch's files are taken for good."""
    cur = conn.execute(
        "update ops.file_ledger set status = 'published', published_at = now() "
        "where batch_id = %s and status = 'landed'",
        (batch_id,),
    )
    return cur.rowcount
