"""Helpers for connector tests: the non-Odoo streams, settings for a world, reading the truth."""

from __future__ import annotations

import csv
from pathlib import Path

import psycopg

from reporting_hub.catalog import load_catalog
from reporting_hub.settings import OdooSettings, Settings, ShopSettings

CATALOG = load_catalog()
SYSTEMS = [s.id for s in CATALOG.streams.values() if s.source != "odoo"]


def settings_for(world, warehouse_url: str, home: Path, with_odoo: bool = False) -> Settings:
    """Settings pointing at every system of a running demo world (Odoo only if asked)."""
    odoo = OdooSettings(world.url, "demo", "admin", "admin", world.api_key) if with_odoo else None
    return Settings(
        warehouse_url,
        odoo,
        home,
        shop=ShopSettings(world.shop_url, world.shop_token),
        carrier_url=world.carrier_url,
        wms_inbox=world.wms_inbox,
        bank_dir=world.bank_dir,
    )


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
