"""`hub demo` and `hub demo-stop`: what `make demo` and `make demo-stop` run."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "demo", help="Airflow 3 over the live demo world (or --once: one cycle, then exit)"
    )
    p.add_argument("--port", type=int, default=8069, help="demo Odoo port (default 8069)")
    p.add_argument(
        "--once",
        action="store_true",
        help="run every DAG once with dag.test(), print the results and exit (CI, headless)",
    )
    p.set_defaults(func=_demo)

    p = subparsers.add_parser("demo-stop", help="stop the demo's Airflow and demo world")
    p.set_defaults(func=_demo_stop)


def _demo(args: argparse.Namespace) -> int:
    from reporting_hub import demo_runner

    return demo_runner.run_once(args.port) if args.once else demo_runner.run_demo(args.port)


def _demo_stop(args: argparse.Namespace) -> int:
    from reporting_hub.demo_runner import stop_demo

    stopped = stop_demo()
    print(f"stopped: {', '.join(stopped)}" if stopped else "nothing was running")
    return 0
