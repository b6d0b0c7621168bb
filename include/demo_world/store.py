"""The demo world's database: one SQLite file per seed and scale, one table per model.

Like Odoo's PostgreSQL, it is the single source of truth: the server reads it through the ORM,
and tests read it directly (`Store(path).query(...)`) to compute the truth independently.
"""

from __future__ import annotations

import json
import queue
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .models import COLUMN_TYPES, Model, Registry

META_TABLE = "_demo_world_meta"
AUTH_TABLE = "_demo_world_auth"


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    uri = f"file:{path}?mode=ro" if readonly else f"file:{path}"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=30)
    conn.execute("PRAGMA case_sensitive_like = ON")  # Odoo's `like` is case-sensitive
    conn.execute("PRAGMA busy_timeout = 30000")
    return conn


class Store:
    """A SQLite file plus a small pool of connections shared by the server's threads."""

    def __init__(self, path: Path | str, readonly: bool = True) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self._pool: queue.SimpleQueue[sqlite3.Connection] = queue.SimpleQueue()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """Borrow a connection; each borrower runs one transaction at a time."""
        try:
            conn = self._pool.get_nowait()
        except queue.Empty:
            conn = _connect(self.path, self.readonly)
            with self._lock:
                self._all.append(conn)
        try:
            yield conn
        finally:
            if conn.in_transaction:
                conn.rollback()
            self._pool.put(conn)

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        """Run one SELECT and return its rows as dicts (column name -> value)."""
        with self.connection() as conn:
            cur = conn.execute(sql, params)
            names = [d[0] for d in cur.description or ()]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def meta(self) -> dict[str, Any]:
        """The generation metadata (seed, scale, version, as_of, ...)."""
        rows = self.query(f"SELECT key, value FROM {META_TABLE}")
        return {r["key"]: json.loads(r["value"]) for r in rows}

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()


def table_ddl(model: Model) -> list[str]:
    """CREATE TABLE and CREATE INDEX statements for one model."""
    cols = []
    for f in model.columns():
        decl = f'"{f.column}" {COLUMN_TYPES[f.type]}'
        if f.name == "id":
            decl += " PRIMARY KEY"
        elif f.not_null:
            decl += " NOT NULL"
        cols.append(decl)
    stmts = [f'CREATE TABLE "{model.table}" ({", ".join(cols)})']
    indexed = ["write_date, id"]
    indexed += [f.name for f in model.columns() if f.type == "many2one"]
    indexed += list(model.indexes)
    for cols_ in indexed:
        suffix = cols_.replace(", ", "_")
        stmts.append(f'CREATE INDEX "{model.table}__{suffix}" ON "{model.table}" ({cols_})')
    return stmts


def create_schema(conn: sqlite3.Connection, registry: Registry) -> None:
    """Create every model's table, plus the metadata and credentials tables."""
    for model in registry:
        for stmt in table_ddl(model):
            conn.execute(stmt)
    conn.execute(f"CREATE TABLE {META_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute(
        f"CREATE TABLE {AUTH_TABLE} (uid INTEGER PRIMARY KEY, password TEXT NOT NULL, "
        "api_key TEXT, groups TEXT NOT NULL)"
    )


def insert_rows(conn: sqlite3.Connection, model: Model, rows: Iterable[dict[str, Any]]) -> int:
    """Bulk-insert rows (dicts keyed by field name; missing fields become NULL)."""
    cols = model.columns()
    names = ", ".join(f'"{f.column}"' for f in cols)
    marks = ", ".join("?" for _ in cols)
    sql = f'INSERT INTO "{model.table}" ({names}) VALUES ({marks})'
    data = [tuple(_to_column(f.type, row.get(f.name)) for f in cols) for row in rows]
    conn.executemany(sql, data)
    return len(data)


def _to_column(ftype: str, value: Any) -> Any:
    if ftype == "boolean":
        return 1 if value else 0
    if value is None or value is False:
        return None
    if ftype == "many2many":
        return json.dumps(list(value))
    return value
