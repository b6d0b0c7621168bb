"""Helpers for connector tests: the non-Odoo streams, settings for a world, reading the truth."""

from __future__ import annotations

import csv
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
