"""`hub demo`, `hub demo-stop` and `hub demo-world`: what `make demo` and `make demo-stop` run."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "demo", help="Airflow 3 over the live demo world (or --once: one cycle, then exit)"
    )
    p.add_argument(
        "--port",
        type=int,
        help="demo Odoo port (default: $HUB_DEMO_ODOO_PORT, else 8069 if free, else a free one)",
    )
    p.add_argument(
        "--once",
        action="store_true",
        help="run every DAG once with dag.test(), print the results and exit (CI, headless)",
    )
    p.set_defaults(func=_demo)

    p = subparsers.add_parser("demo-stop", help="stop the demo's Airflow and demo world")
    p.set_defaults(func=_demo_stop)

    # Parsed by demo_world itself (see main): listed here for `hub -h`.
    subparsers.add_parser(
        "demo-world", help="serve the simulated distributor (`hub demo-world -h`)"
    )


def simulator(argv: list[str]) -> int:
    """`hub demo-world …`: the simulator's own command line."""
    from reporting_hub.demo import serve_cli

    return serve_cli(argv)


def _demo(args: argparse.Namespace) -> int:
    from reporting_hub.demo import runner

    return runner.run_once(args.port) if args.once else runner.run_demo(args.port)


def _demo_stop(args: argparse.Namespace) -> int:
    from reporting_hub.demo.runner import stop_demo

    stopped = stop_demo()
    print(f"stopped: {', '.join(stopped)}" if stopped else "nothing was running")
    return 0
