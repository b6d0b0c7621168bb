"""`hub catalog write|check`: regenerate, or check, what follows from the stream catalog.

The catalog (streams.yml) is the one place a stream is declared. Two committed artefacts
are generated from it and reviewed as diffs: the GX suites under `expectations/` and dbt's
source declarations (`dbt_project/models/staging/<system>/_<system>__sources.yml`). The DAG
task groups need no file: the DAG factory builds them from the catalog at parse time.
"""

from __future__ import annotations

import argparse

from reporting_hub.catalog import load_catalog


def register(subparsers: argparse._SubParsersAction) -> None:
    catalog = subparsers.add_parser("catalog", help="regenerate or check what the catalog drives")
    sub = catalog.add_subparsers(required=True, metavar="action")
    p = sub.add_parser("write", help="rewrite the GX suites and dbt sources from streams.yml")
    p.set_defaults(func=_write)
    p = sub.add_parser("check", help="exit 1 if a generated file differs from streams.yml")
    p.set_defaults(func=_check)


def _write(args: argparse.Namespace) -> int:
    from reporting_hub.quality.suites import write_template_suites
    from reporting_hub.transform.sources import write_sources

    catalog = load_catalog()
    suites = write_template_suites(catalog)
    sources = write_sources(catalog)
    print(f"suites rewritten: {', '.join(suites) or 'none (up to date)'}")
    print(f"dbt sources rewritten: {', '.join(p.name for p in sources) or 'none (up to date)'}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from reporting_hub.quality.suites import stale_template_suites
    from reporting_hub.transform.sources import stale_sources

    catalog = load_catalog()
    stale = [*stale_template_suites(catalog), *(p.name for p in stale_sources(catalog))]
    if stale:
        print(f"out of date with streams.yml: {', '.join(stale)}; run `make catalog`")
        return 1
    print("generated files match streams.yml")
    return 0
