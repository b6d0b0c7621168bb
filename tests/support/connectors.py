"""Helpers for connector tests: the non-Odoo streams, settings for a world, reading the truth."""

from __future__ import annotations

import codecs
import csv
import sqlite3
from contextlib import closing
from decimal import Decimal
from pathlib import Path

import psycopg

from reporting_hub.catalog import load_catalog
from reporting_hub.demo.world import settings_for as demo_world_settings
from reporting_hub.settings import Settings

CATALOG = load_catalog()
SYSTEMS = [s.id for s in CATALOG.streams.values() if s.source != "odoo"]


def settings_for(world, warehouse_url: str, home: Path, with_odoo: bool = False) -> Settings:
    """Settings pointing at every system of a running demo world (Odoo only if asked)."""
    return demo_world_settings(world, warehouse_url, home, with_odoo=with_odoo)


def fetch(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()


def csv_rows(folder: Path, pattern: str, delimiter: str = ",") -> list[dict[str, str]]:
    """Every data row of the matching files, as the files say (the truth for file streams)."""
    rows = []
    for path in sorted(folder.glob(pattern)):
        with open(path, newline="", encoding="utf-8") as handle:
            rows += list(csv.DictReader(handle, delimiter=delimiter))
    return rows


BANK_COLUMNS = (
    "bank_line_ref, account_iban, booking_date, value_date, amount, currency, "
    "counterparty_name, remittance_info"
)


def bank_source(store_path: Path) -> list[tuple]:
    """Every booking as the bank holds it: the truth the statement stream must publish."""
    with closing(sqlite3.connect(store_path)) as conn:
        rows = conn.execute(f"select {BANK_COLUMNS} from bank_lines order by 1").fetchall()
    return [(*r[:2], r[2][:10], r[3][:10], Decimal(f"{r[4]:.2f}"), *r[5:]) for r in rows]


def bank_published(url: str) -> list[tuple]:
    """The statement lines raw holds as current (tombstoned ones are gone at the source)."""
    return fetch(
        url,
        "select bank_line_ref, account_iban, booking_date::text, value_date::text, amount, "
        "currency, counterparty_name, remittance_info from raw.bank__statement_lines "
        "where _deleted_at is null order by 1",
    )


def statement_rows(path: Path) -> list[dict[str, str]]:
    """A statement file's data rows, read with Python's csv module (the BOM names UTF-8 or
    UTF-16; without one the bank writes cp1252), trailer left out."""
    head = path.read_bytes()[:3]
    encoding = (
        "utf-8-sig"
        if head.startswith(codecs.BOM_UTF8)
        else "utf-16"
        if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
        else "cp1252"
    )
    with open(path, newline="", encoding=encoding) as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    return [r for r in rows if r["bank_line_ref"] != "TRAILER"]


def german_bookings(store_path) -> None:
    """Names with umlauts and memos on two lines, as customers write them."""
    with closing(sqlite3.connect(store_path)) as conn, conn:
        conn.execute("update bank_lines set counterparty_name = counterparty_name || ' Müller'")
        conn.execute(
            "update bank_lines set remittance_info = remittance_info || char(10) || "
            "'Zahlung für Bestellung, danke schön' where rowid % 3 = 0"
        )
