"""`hub quarantine …` and `hub quality report`: the steward's commands, as plain tables.

Every handler is a thin call into reporting_hub.quality.report (reading) or
reporting_hub.ops.steward (deciding).
"""

from __future__ import annotations

import argparse

from reporting_hub.catalog import load_catalog
from reporting_hub.cli.tables import render_table
from reporting_hub.settings import Settings

BATCH_HEADERS = ("batch", "stream", "run", "open", "released", "rejected", "quarantined at")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `quarantine` and `quality` to the hub command."""
    quarantine = subparsers.add_parser("quarantine", help="review and decide quarantined batches")
    sub = quarantine.add_subparsers(required=True, metavar="action")
    p = sub.add_parser("list", help="batches with quarantined rows (open ones by default)")
    p.add_argument("--all", action="store_true", help="include released and rejected batches")
    p.set_defaults(func=_list)
    p = sub.add_parser("show", help="one batch: failed checks, reasons, rows, decisions")
    p.add_argument("batch", metavar="BATCH")
    p.add_argument("--limit", type=int, default=20, help="rows to show (default 20)")
    p.set_defaults(func=_show)
    for action, text in (
        ("release", "publish the open rows once, under a recorded waiver"),
        ("reject", "close the open rows without publishing them"),
    ):
        p = sub.add_parser(action, help=text)
        p.add_argument("batch", metavar="BATCH")
        p.add_argument("--reason", required=True, help="why (recorded in ops.steward_actions)")
        p.add_argument("--by", help="who decides (default: $USER)")
        p.set_defaults(func=_decide, action=action)

    quality = subparsers.add_parser("quality", help="quality gate reports")
    sub = quality.add_subparsers(required=True, metavar="report")
    p = sub.add_parser("report", help="pass rates per stream (24 h, 7 d) and the open quarantine")
    p.set_defaults(func=_report)


def _connect():
    import psycopg

    return psycopg.connect(Settings.from_env(need_odoo=False).warehouse_url)


def _list(args: argparse.Namespace) -> int:
    from reporting_hub.quality.report import quarantined_batches

    with _connect() as conn:
        rows = quarantined_batches(conn, load_catalog(), open_only=not args.all)
    print(render_table((*BATCH_HEADERS, "reasons"), rows))
    return 0


def _show(args: argparse.Namespace) -> int:
    from reporting_hub.quality.report import batch_detail, stream_of_batch

    with _connect() as conn:
        stream = stream_of_batch(conn, load_catalog(), args.batch)
        detail = batch_detail(conn, stream, args.batch, args.limit)
    run = detail.run
    print(f"batch {args.batch}  stream {stream.id}  run {run['status']}")
    print(
        f"rows read {run['rows_read']}, published {run['rows_published']}, "
        f"quarantined {run['rows_quarantined']}, dead lettered {run['rows_dead_lettered']}"
    )
    sections = (
        ("failed checks", ("check", "column", "level", "unexpected", "observed", "sample keys"),
         detail.failed),
        ("reasons", ("check", "column", "status", "rows"), detail.reasons),
        ("rows", (*detail.key, "status", "reasons"), detail.rows),
        ("decisions", ("when", "action", "by", "rows", "reason"), detail.actions),
    )  # fmt: skip
    for title, headers, rows in sections:
        print(f"\n{title}:\n{render_table(headers, rows)}")
    return 0


def _decide(args: argparse.Namespace) -> int:
    from reporting_hub.ops import steward

    actor = args.by or steward.default_actor()
    url = Settings.from_env(need_odoo=False).warehouse_url
    decide = steward.release if args.action == "release" else steward.reject
    decision = decide(url, args.batch, args.reason, actor)
    verb = "released (published)" if decision.action == "release" else "rejected"
    print(
        f"{decision.stream}: {decision.rows} rows of batch {decision.batch_id} {verb} "
        f"by {decision.actor}: {decision.reason} (action {decision.action_id})"
    )
    return 0


def _report(args: argparse.Namespace) -> int:
    from reporting_hub.quality.report import pass_rates, quarantined_batches

    catalog = load_catalog()
    with _connect() as conn:
        rates = pass_rates(conn, catalog)
        queue = quarantined_batches(conn, catalog)
    rows = [
        (s, _rate(p24, n24), _rate(p7, n7), q7, _open_rows(queue, s), alerts)
        for s, n24, p24, n7, p7, q7, alerts in rates
    ]
    headers = ("stream", "pass 24h", "pass 7d", "quarantined 7d", "open rows", "open alerts")
    print(render_table(headers, rows))
    print(f"\nopen quarantine:\n{render_table((*BATCH_HEADERS, 'reasons'), queue)}")
    return 0


def _rate(passed: int, runs: int) -> str:
    return "-" if not runs else f"{passed / runs:.0%} ({passed}/{runs})"


def _open_rows(queue: list[tuple], stream: str) -> int:
    return sum(row[3] for row in queue if row[1] == stream)
