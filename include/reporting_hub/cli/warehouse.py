"""`hub build`, `hub migrate`, `hub warehouse-url`: the warehouse itself and its dbt models."""

from __future__ import annotations

import argparse

from reporting_hub.settings import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("build", help="dbt build (all models, or a dbt selection)")
    p.add_argument("select", nargs="*", help="dbt selectors, e.g. +fct_inventory_positions")
    p.set_defaults(func=_build)

    p = subparsers.add_parser("migrate", help="create or upgrade the warehouse schemas")
    p.set_defaults(func=_migrate)

    p = subparsers.add_parser("warehouse-url", help="print the warehouse URL in use (locating one)")
    p.set_defaults(func=_warehouse_url)


def _build(args: argparse.Namespace) -> int:
    from reporting_hub.transform.dbt import dbt_build

    settings = Settings.from_env(need_odoo=False)
    print(dbt_build(args.select or None, settings.warehouse_url, settings.home))
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from reporting_hub.warehouse.migrate import migrate

    applied = migrate(Settings.from_env(need_odoo=False).warehouse_url)
    print(f"applied: {', '.join(applied) or 'nothing (up to date)'}")
    return 0


def _warehouse_url(args: argparse.Namespace) -> int:
    print(Settings.from_env(need_odoo=False).warehouse_url)
    return 0
