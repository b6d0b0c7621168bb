"""The `hub` command: thin argument parsing over the package's functions."""

from __future__ import annotations

import argparse
import logging
import sys

from reporting_hub import dead_letter_cli, demo_cli, quality_cli
from reporting_hub.catalog import load_catalog
from reporting_hub.settings import Settings


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["demo-world"]:
        from demo_world.cli import main as demo_world_main

        return demo_world_main(argv[1:])
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the CLI turns any failure into one clear line
        if args.verbose:
            raise
        print(f"hub: error: {exc}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hub", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress and tracebacks")
    sub = parser.add_subparsers(required=True, metavar="command")

    p = sub.add_parser("sync", help="extract, validate and publish streams")
    p.add_argument("streams", nargs="*", metavar="STREAM", help="stream ids, e.g. odoo.stock_quant")
    p.add_argument("--all", action="store_true", help="every stream in the catalog")
    p.add_argument("--source", help="with --all: only this source system (e.g. odoo)")
    p.set_defaults(func=_sync)

    p = sub.add_parser("deletes", help="tombstone raw rows whose Odoo records were deleted")
    p.add_argument("streams", nargs="*", metavar="STREAM", help="default: every Odoo keyset stream")
    p.set_defaults(func=_deletes)

    p = sub.add_parser("status", help="freshness, last run and errors per stream")
    p.set_defaults(func=_status)

    p = sub.add_parser("build", help="dbt build (all models, or a dbt selection)")
    p.add_argument("select", nargs="*", help="dbt selectors, e.g. +fct_inventory_positions")
    p.set_defaults(func=_build)

    p = sub.add_parser("migrate", help="create or upgrade the warehouse schemas")
    p.set_defaults(func=_migrate)

    p = sub.add_parser("warehouse-url", help="print the warehouse URL in use (locating one)")
    p.set_defaults(func=_warehouse_url)

    demo_cli.register(sub)
    sub.add_parser("demo-world", help="serve the simulated distributor (see `hub demo-world -h`)")
    quality_cli.register(sub)
    dead_letter_cli.register(sub)
    return parser


def _sync(args: argparse.Namespace) -> int:
    catalog = load_catalog()
    if args.all:
        streams = [
            s.id for s in catalog.streams.values() if not args.source or s.source == args.source
        ]
    elif args.streams:
        streams = [catalog.get(s).id for s in args.streams]
    else:
        raise SystemExit("hub sync: name one or more streams, or use --all")
    from reporting_hub.pipeline import sync_many

    needs_odoo = any(catalog.get(s).source == "odoo" for s in streams)
    for outcome in sync_many(streams, Settings.from_env(need_odoo=needs_odoo), catalog):
        print(
            f"{outcome['stream']}: {outcome['rows_landed']} landed, "
            f"{outcome['rows_published']} published in {outcome['seconds']}s "
            f"(batch {outcome['batch_id']})"
        )
    return 0


def _deletes(args: argparse.Namespace) -> int:
    from reporting_hub.pipeline import scan_deletes

    catalog = load_catalog()
    streams = [catalog.get(s) for s in args.streams] or [
        s for s in catalog.for_source("odoo") if not s.is_snapshot
    ]
    settings = Settings.from_env()
    for stream in streams:
        outcome = scan_deletes(stream.id, settings, catalog)
        print(
            f"{stream.id}: {outcome['ids_seen']} ids at the source, "
            f"{outcome['rows_deleted']} rows tombstoned"
        )
    return 0


def _status(args: argparse.Namespace) -> int:
    from reporting_hub.ops.status import render, stream_status

    settings = Settings.from_env(need_odoo=False)
    print(render(stream_status(settings.warehouse_url, load_catalog())))
    return 0


def _build(args: argparse.Namespace) -> int:
    from reporting_hub.transform import dbt_build

    settings = Settings.from_env(need_odoo=False)
    result = dbt_build(args.select or None, settings.warehouse_url, settings.home)
    print(result)
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from reporting_hub.warehouse.migrate import migrate

    applied = migrate(Settings.from_env(need_odoo=False).warehouse_url)
    print(f"applied: {', '.join(applied) or 'nothing (up to date)'}")
    return 0


def _warehouse_url(args: argparse.Namespace) -> int:
    print(Settings.from_env(need_odoo=False).warehouse_url)
    return 0
