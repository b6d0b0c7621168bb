"""`hub sync`, `hub deletes`, `hub status`: move data, and say where each stream stands."""

from __future__ import annotations

import argparse

from reporting_hub.catalog import load_catalog
from reporting_hub.settings import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("sync", help="extract, validate and publish streams")
    p.add_argument("streams", nargs="*", metavar="STREAM", help="stream ids, e.g. odoo.stock_quant")
    p.add_argument("--all", action="store_true", help="every stream in the catalog")
    p.add_argument("--source", help="with --all: only this source system (e.g. odoo)")
    p.set_defaults(func=_sync)

    p = subparsers.add_parser("deletes", help="tombstone raw rows whose Odoo records were deleted")
    p.add_argument("streams", nargs="*", metavar="STREAM", help="default: every Odoo keyset stream")
    p.set_defaults(func=_deletes)

    p = subparsers.add_parser("status", help="freshness, last run and errors per stream")
    p.set_defaults(func=_status)


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
