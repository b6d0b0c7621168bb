"""`hub dead-letter list|replay`: look at records that could not be landed, and retry them."""

from __future__ import annotations

import argparse
from typing import Any

from reporting_hub.cli.tables import render_table
from reporting_hub.settings import Settings

COLUMNS = ("id", "stream", "origin", "attempts", "status", "batch", "error")


def register(subparsers: Any) -> None:
    """Add the `dead-letter` command and its `list` and `replay` subcommands."""
    parser = subparsers.add_parser("dead-letter", help="list or replay dead-lettered records")
    actions = parser.add_subparsers(required=True, metavar="action")
    p = actions.add_parser("list", help="open dead letters (file and line, error, attempts)")
    p.add_argument("--stream", help="only this stream, e.g. wms.stock_snapshots")
    p.add_argument("--all", action="store_true", help="replayed and dismissed ones too")
    p.set_defaults(func=_list)
    p = actions.add_parser("replay", help="parse open dead letters again; publish what parses")
    p.add_argument("--stream", help="only this stream (default: every stream with some)")
    p.set_defaults(func=_replay)


def _list(args: argparse.Namespace) -> int:
    from reporting_hub.ops.replay import list_letters

    statuses = ("open", "replayed", "dismissed") if args.all else ("open",)
    url = Settings.from_env(need_odoo=False).warehouse_url
    letters = list_letters(url, args.stream, statuses)
    rows = [
        (x.dead_letter_id, x.stream, x.origin, x.attempts, x.status, x.batch_status, x.error[:70])
        for x in letters
    ]
    print(render_table(COLUMNS, rows) if rows else "no dead letters")
    return 0


def _replay(args: argparse.Namespace) -> int:
    from reporting_hub.ops.replay import replay_all

    for outcome in replay_all(Settings.from_env(need_odoo=False), args.stream):
        print(
            f"{outcome['stream']}: {outcome['replayed']} replayed "
            f"({outcome['rows_published']} rows published, batch {outcome['batch_id'] or '-'}), "
            f"{outcome['still_failing']} still failing, {outcome['dismissed']} superseded"
        )
    return 0
