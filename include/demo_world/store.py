"""The demo world's database: one SQLite file per seed and scale, one table per model.

Like Odoo's PostgreSQL, it is the single source of truth: the server reads it through the ORM,
and tests read it directly (`Store(path).query(...)`) to compute the truth independently.
"""

from __future__ import annotations

import json
import queue
import sqlite3
import threading
import weakref
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
        # A store dropped without close() (a one-off `Store(path).query(...)`) still closes
        # its connections when collected: Python 3.13 warns about unclosed ones.
        weakref.finalize(self, _close_all, self._all)

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
            _close_all(self._all)


def _close_all(connections: list[sqlite3.Connection]) -> None:
    for conn in connections:
        conn.close()
    connections.clear()


#: The other systems' data, kept in the same store (served by demo_world.systems). Timestamps
#: are naive UTC text like Odoo's.
SYSTEM_TABLES: dict[str, list[tuple[str, str]]] = {
    "shop_orders": [
        ("shop_order_id", "TEXT PRIMARY KEY"),
        ("order_number", "INTEGER NOT NULL"),
        ("email", "TEXT"),
        ("customer_name", "TEXT"),
        ("currency", "TEXT NOT NULL"),
        ("total_price", "REAL NOT NULL"),
        ("financial_status", "TEXT NOT NULL"),
        ("fulfillment_status", "TEXT"),
        ("cancelled_at", "TEXT"),
        ("created_at", "TEXT NOT NULL"),
        ("updated_at", "TEXT NOT NULL"),
        ("odoo_order_ref", "TEXT"),
    ],
    "shop_order_lines": [
        ("shop_order_id", "TEXT NOT NULL"),
        ("line_no", "INTEGER NOT NULL"),
        ("sku", "TEXT NOT NULL"),
        ("quantity", "REAL NOT NULL"),
        ("price", "REAL NOT NULL"),
    ],
    "wms_stock_snapshots": [
        ("snapshot_at", "TEXT NOT NULL"),
        ("warehouse_code", "TEXT NOT NULL"),
        ("wms_sku", "TEXT NOT NULL"),
        ("location_code", "TEXT NOT NULL"),
        ("qty_on_hand", "REAL NOT NULL"),
        ("qty_allocated", "REAL NOT NULL"),
    ],
    "wms_sku_aliases": [("sku", "TEXT PRIMARY KEY"), ("wms_sku", "TEXT NOT NULL")],
    "wms_confirmations": [
        ("confirmation_id", "TEXT PRIMARY KEY"),
        ("kind", "TEXT NOT NULL"),
        ("reference", "TEXT NOT NULL"),
        ("order_ref", "TEXT"),
        ("wms_sku", "TEXT NOT NULL"),
        ("quantity", "REAL NOT NULL"),
        ("status_code", "TEXT NOT NULL"),
        ("confirmed_at", "TEXT NOT NULL"),
    ],
    "carrier_events": [
        ("event_id", "TEXT PRIMARY KEY"),
        ("carrier", "TEXT NOT NULL"),
        ("tracking_number", "TEXT NOT NULL"),
        ("order_ref", "TEXT"),
        ("status_code", "TEXT NOT NULL"),
        ("occurred_at", "TEXT NOT NULL"),
        ("location", "TEXT"),
    ],
    "bank_lines": [
        ("bank_line_ref", "TEXT PRIMARY KEY"),
        ("account_iban", "TEXT NOT NULL"),
        ("booking_date", "TEXT NOT NULL"),
        ("value_date", "TEXT NOT NULL"),
        ("amount", "REAL NOT NULL"),
        ("currency", "TEXT NOT NULL"),
        ("counterparty_name", "TEXT"),
        ("remittance_info", "TEXT"),
        ("company_id", "INTEGER NOT NULL"),
    ],
}
# Composite keys of the tables without a single-column one: live mode rewrites records
# with INSERT OR REPLACE, which needs a key to replace on rather than duplicate.
SYSTEM_KEYS = {
    "shop_order_lines": "shop_order_id, line_no",
    "wms_stock_snapshots": "snapshot_at, warehouse_code, wms_sku, location_code",
}


def system_key(table: str) -> tuple[str, ...]:
    """The columns that identify a row of one of the other systems' tables."""
    if table in SYSTEM_KEYS:
        return tuple(c.strip() for c in SYSTEM_KEYS[table].split(","))
    return (SYSTEM_TABLES[table][0][0],)


SYSTEM_INDEXES: dict[str, list[str]] = {
    "shop_orders": ["updated_at, shop_order_id", "odoo_order_ref"],
    "wms_stock_snapshots": ["snapshot_at, wms_sku"],
    "wms_confirmations": ["confirmed_at", "reference"],
    "carrier_events": ["occurred_at", "tracking_number", "order_ref"],
    "bank_lines": ["booking_date", "remittance_info"],
}


def table_ddl(model: Model) -> list[str]:
    """CREATE TABLE then CREATE INDEX statements for one model."""
    return [create_table_sql(model), *index_sql(model)]


def create_table_sql(model: Model) -> str:
    cols = []
    for f in model.columns():
        decl = f'"{f.column}" {COLUMN_TYPES[f.type]}'
        if f.name == "id":
            decl += " PRIMARY KEY"
        elif f.not_null:
            decl += " NOT NULL"
        cols.append(decl)
    return f'CREATE TABLE "{model.table}" ({", ".join(cols)})'


def index_sql(model: Model) -> list[str]:
    """Indexes on (write_date, id), every many2one and the model's declared keys."""
    stmts = []
    indexed = ["write_date, id"]
    indexed += [f.name for f in model.columns() if f.type == "many2one"]
    indexed += list(model.indexes)
    for cols_ in indexed:
        suffix = cols_.replace(", ", "_")
        stmts.append(f'CREATE INDEX "{model.table}__{suffix}" ON "{model.table}" ({cols_})')
    return stmts


def create_schema(conn: sqlite3.Connection, registry: Registry, indexes: bool = True) -> None:
    """Create every model's and system's table, the metadata and credentials tables; with
    `indexes=False` the indexes come later (`create_indexes`, after a bulk load)."""
    for model in registry:
        conn.execute(create_table_sql(model))
    for table, cols in SYSTEM_TABLES.items():
        parts = [f"{c} {t}" for c, t in cols]
        if table in SYSTEM_KEYS:
            parts.append(f"PRIMARY KEY ({SYSTEM_KEYS[table]})")
        conn.execute(f'CREATE TABLE "{table}" ({", ".join(parts)})')
    if indexes:
        create_indexes(conn, registry)
    conn.execute(f"CREATE TABLE {META_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute(
        f"CREATE TABLE {AUTH_TABLE} (uid INTEGER PRIMARY KEY, password TEXT NOT NULL, "
        "api_key TEXT, groups TEXT NOT NULL)"
    )


def create_indexes(conn: sqlite3.Connection, registry: Registry) -> None:
    for model in registry:
        for stmt in index_sql(model):
            conn.execute(stmt)
    for table, indexed in SYSTEM_INDEXES.items():
        for cols in indexed:
            suffix = cols.replace(", ", "_")
            conn.execute(f'CREATE INDEX IF NOT EXISTS "{table}__{suffix}" ON "{table}" ({cols})')


def insert_rows(
    conn: sqlite3.Connection, model: Model, rows: Iterable[dict[str, Any]], replace: bool = False
) -> int:
    """Bulk-insert rows (dicts keyed by field name; missing fields become NULL); `replace`
    rewrites rows whose id exists (a later write of the same record)."""
    cols = model.columns()
    names = ", ".join(f'"{f.column}"' for f in cols)
    marks = ", ".join("?" for _ in cols)
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    sql = f'{verb} INTO "{model.table}" ({names}) VALUES ({marks})'
    plain = [f.name for f in cols if f.type not in ("boolean", "many2many")]
    if len(plain) == len(cols):
        data = [tuple(_plain(row.get(n)) for n in plain) for row in rows]
    else:
        data = [tuple(_to_column(f.type, row.get(f.name)) for f in cols) for row in rows]
    conn.executemany(sql, data)
    return len(data)


def insert_table(
    conn: sqlite3.Connection, table: str, rows: Iterable[dict[str, Any]], replace: bool = False
) -> int:
    """Bulk-insert one of the other systems' tables (dicts keyed by column)."""
    cols = [c for c, _ in SYSTEM_TABLES[table]]
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    sql = f'{verb} INTO "{table}" ({", ".join(cols)}) VALUES ({", ".join("?" for _ in cols)})'
    data = [tuple(row.get(c) for c in cols) for row in rows]
    conn.executemany(sql, data)
    return len(data)


def _plain(value: Any) -> Any:
    return None if value is None or value is False else value


def _to_column(ftype: str, value: Any) -> Any:
    if ftype == "boolean":
        return 1 if value else 0
    if value is None or value is False:
        return None
    if ftype == "many2many":
        return json.dumps(list(value))
    return value
