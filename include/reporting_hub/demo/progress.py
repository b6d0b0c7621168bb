"""What `hub demo` prints while it works: stages with their time, and the warehouse's activity.

A newcomer must never stare at a silent terminal. `Stages` prints a line when a stage
starts and ends (with seconds) and a heartbeat while a long one runs; `ActivityWatcher`
polls the warehouse's own run log (ops.sync_runs, ops.mart_builds, ops.reconciliation_runs)
in a background thread and prints each stream's rows as its batch lands and publishes, so
the same lines appear whether the work runs in-process (`--once`) or under Airflow.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

import psycopg

HEARTBEAT_SECONDS = 5.0

SYNC_SQL = """
select run_id, stream, kind, status, rows_landed, rows_published, coalesce(rows_deleted, 0),
       coalesce(error, '')
from ops.sync_runs where run_id > %s order by run_id
"""
BUILD_SQL = """
select build_id, status, coalesce(cardinality(streams), 0), nodes, coalesce(error, '')
from ops.mart_builds where build_id > %s and status <> 'running' order by build_id
"""
RECONCILE_SQL = """
select recon_run_id, open_count, new_count, resolved_count from ops.reconciliation_runs
where recon_run_id > %s order by recon_run_id
"""


class Stages:
    """Stage lines with elapsed time: `-> name ...` then `ok name (4.2 s)` or `FAILED`."""

    def __init__(self, out: TextIO = sys.stdout) -> None:
        self.out = out
        self.started = time.monotonic()

    def say(self, text: str) -> None:
        print(f"[{self.clock()}] {text}", file=self.out, flush=True)

    def clock(self) -> str:
        seconds = int(time.monotonic() - self.started)
        return f"{seconds // 60:02d}:{seconds % 60:02d}"

    @contextmanager
    def stage(self, name: str, hint: str = "", beat: bool = True) -> Iterator[None]:
        """Lines for a stage's start and end, and `still …` lines while it runs long."""
        self.say(f"-> {name}{f' ({hint})' if hint else ''} ...")
        begun = time.monotonic()
        done = threading.Event()
        if beat:
            args = (name, begun, done)
            threading.Thread(target=self._pulse, args=args, name="demo-pulse", daemon=True).start()
        try:
            yield
        except BaseException:
            self.say(f"FAILED {name} after {time.monotonic() - begun:.1f} s")
            raise
        finally:
            done.set()
        self.say(f"ok {name} ({time.monotonic() - begun:.1f} s)")

    def _pulse(self, name: str, begun: float, done: threading.Event) -> None:
        beat = self.heartbeat(name, every=HEARTBEAT_SECONDS * 2)
        while not done.wait(1.0):
            beat(time.monotonic() - begun)

    def heartbeat(self, name: str, every: float = HEARTBEAT_SECONDS) -> Callable[[float], None]:
        """A callback for waits: says `still <name> (N s)` every few seconds."""
        last = [0.0]

        def beat(elapsed: float) -> None:
            if elapsed - last[0] >= every:
                last[0] = elapsed
                self.say(f"   still {name} ({elapsed:.0f} s)")

        return beat


class ActivityWatcher:
    """Prints the warehouse's run log as it grows; start() it, stop() it, or use `with`."""

    def __init__(self, warehouse_url: str, stages: Stages, interval: float = 1.0) -> None:
        self.url = warehouse_url
        self.stages = stages
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="demo-activity", daemon=True)
        self._seen: dict[int, str] = {}
        self._marks = {"sync": 0, "build": 0, "reconcile": 0}

    def __enter__(self) -> ActivityWatcher:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        with psycopg.connect(self.url) as conn:
            self._marks = {
                "sync": _max(conn, "select max(run_id) from ops.sync_runs"),
                "build": _max(conn, "select max(build_id) from ops.mart_builds"),
                "reconcile": _max(conn, "select max(recon_run_id) from ops.reconciliation_runs"),
            }
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(5)
        self.poll()  # the last lines, so none is lost to the interval

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.poll()
            except psycopg.Error:
                continue  # the warehouse is busy or restarting: try again next tick

    def poll(self) -> None:
        with psycopg.connect(self.url) as conn:
            for line in self._sync_lines(conn) + self._build_lines(conn) + self._recon_lines(conn):
                self.stages.say(line)

    def _sync_lines(self, conn: psycopg.Connection) -> list[str]:
        lines = []
        for run_id, stream, kind, status, landed, published, deleted, error in conn.execute(
            SYNC_SQL, (self._marks["sync"],)
        ):
            if self._seen.get(run_id) == status:
                continue
            self._seen[run_id] = status
            if kind == "delete_scan" and status == "published":
                lines.append(f"   {stream}: delete scan, {deleted:,} rows tombstoned")
            elif status == "landed":
                lines.append(f"   {stream}: {landed:,} rows landed, gating")
            elif status == "published":
                lines.append(f"   {stream}: {published:,} rows published")
            elif status == "failed":
                lines.append(f"   {stream}: FAILED: {error.splitlines()[0][:160] if error else ''}")
        return lines

    def _build_lines(self, conn: psycopg.Connection) -> list[str]:
        lines = []
        for build_id, status, streams, nodes, error in conn.execute(
            BUILD_SQL, (self._marks["build"],)
        ):
            self._marks["build"] = build_id
            done = sum((nodes or {}).get("by_status", {}).values())
            detail = f"{done} dbt nodes" if status == "success" else error.splitlines()[:1]
            lines.append(f"   marts: build {status} ({streams} changed streams; {detail})")
        return lines

    def _recon_lines(self, conn: psycopg.Connection) -> list[str]:
        lines = []
        for run_id, open_count, new, resolved in conn.execute(
            RECONCILE_SQL, (self._marks["reconcile"],)
        ):
            self._marks["reconcile"] = run_id
            lines.append(
                f"   reconciliation: {open_count} open exceptions ({new} new, {resolved} resolved)"
            )
        return lines


def _max(conn: psycopg.Connection, query: str) -> int:
    return conn.execute(query).fetchone()[0] or 0
