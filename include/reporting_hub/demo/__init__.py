"""The demo harness: the only part of the package that starts, reads or scores the demo world.

`runner` is `hub demo` (live under Airflow, or `--once`); `world` starts and finds the
simulator and hands its settings over explicitly; `local_airflow` runs Airflow 3
standalone on this machine; `progress` prints what is happening; `report` and `scoring`
show the results and score reconciliation against the ground-truth manifest.
"""

from __future__ import annotations


def serve_cli(argv: list[str]) -> int:
    """`hub demo-world …`: hand the arguments to the simulator's own command line."""
    from demo_world.cli import main

    return main(argv)
