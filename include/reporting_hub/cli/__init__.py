"""The `hub` command: one module per command group, each a thin layer over the package.

`sync` (sync, deletes, status), `warehouse` (build, migrate, warehouse-url), `catalog`
(write, check: the files generated from streams.yml), `quality`
(quarantine, quality), `dead_letter` and `demo` (demo, demo-stop, demo-world) each add
their subcommands with `register(subparsers)`; handlers parse, call one function of the
package, and print. Any failure becomes one clear line on stderr (`-v` for the traceback).
"""

from __future__ import annotations

import argparse
import logging
import sys

from reporting_hub.cli import catalog, dead_letter, demo, quality, sync, warehouse

GROUPS = (sync, warehouse, catalog, quality, dead_letter, demo)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["demo-world"]:
        return demo.simulator(argv[1:])
    args = parser().parse_args(argv)
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


def parser() -> argparse.ArgumentParser:
    """The `hub` parser with every command group registered."""
    root = argparse.ArgumentParser(prog="hub", description=__doc__.split("\n\n")[0])
    root.add_argument("-v", "--verbose", action="store_true", help="log progress and tracebacks")
    sub = root.add_subparsers(required=True, metavar="command")
    for group in GROUPS:
        group.register(sub)
    return root
