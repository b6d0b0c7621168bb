"""`hub demo`'s harness: a dead child is noticed at once, nothing outlives the demo,
ports are taken from variables or picked free, and the warehouse's activity is printed.
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time

import psycopg
import pytest

from reporting_hub.demo import world
from reporting_hub.demo.progress import ActivityWatcher, Stages
from reporting_hub.warehouse.migrate import migrate


def test_a_demo_world_that_cannot_bind_its_port_fails_at_once_with_its_log(demo_odoo, tmp_path):
    # GIVEN the port the demo world is told to use is already taken
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        # WHEN the harness starts it (over the session's already generated tiny store)
        with pytest.raises(world.ChildDied) as died:
            world.start(demo_odoo.store_path.parent, tmp_path / "logs", port, scale="tiny")
    # THEN it says so within seconds, with the end of the child's log, not after a timeout
    assert time.monotonic() - started < 60
    assert "demo world exited" in str(died.value)
    assert "Address already in use" in str(died.value)


def test_a_child_started_by_the_demo_dies_with_it():
    # GIVEN a process that starts a long-running child the way the demo does, then exits
    parent = (
        "import subprocess, sys\n"
        "from reporting_hub.demo.world import die_with_parent\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'],"
        " preexec_fn=die_with_parent)\n"
        "print(child.pid, flush=True)\n"
    )
    out = subprocess.run([sys.executable, "-c", parent], capture_output=True, text=True, check=True)
    child_pid = int(out.stdout.strip())
    # WHEN the parent has gone, THEN so has the child (it got the parent-death signal)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(child_pid):
        time.sleep(0.1)
    assert not _alive(child_pid)


def test_ports_come_from_the_variable_or_are_picked_free(monkeypatch):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        monkeypatch.delenv("HUB_TEST_PORT", raising=False)
        assert world.port_from_env("HUB_TEST_PORT", busy) != busy  # default taken: another one
        monkeypatch.setenv("HUB_TEST_PORT", str(busy))
        with pytest.raises(RuntimeError, match=f"HUB_TEST_PORT={busy}, but port {busy} is in use"):
            world.port_from_env("HUB_TEST_PORT", 8069)
    free = world.free_port()
    monkeypatch.setenv("HUB_TEST_PORT", str(free))
    assert world.port_from_env("HUB_TEST_PORT", 8069) == free


def test_the_watcher_prints_each_batch_as_it_lands_and_publishes(warehouse_url):
    # GIVEN a migrated warehouse and a watcher started on it
    migrate(warehouse_url)
    out = io.StringIO()
    watcher = ActivityWatcher(warehouse_url, Stages(out), interval=0.2)
    watcher.start()
    # WHEN a batch lands, then publishes, and a build finishes
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        conn.execute(
            "insert into ops.sync_runs (stream, batch_id, status, rows_landed) "
            "values ('odoo.stock_quant', 'b1', 'landed', 1234)"
        )
        time.sleep(0.6)
        conn.execute("update ops.sync_runs set status = 'published', rows_published = 1234")
        conn.execute(
            "insert into ops.mart_builds (run_key, status, streams, nodes) values "
            "('r', 'success', array['odoo.stock_quant'], '{\"by_status\": {\"success\": 7}}')"
        )
    watcher.stop()
    # THEN each step is one line, in order
    lines = [line.split("] ", 1)[1].strip() for line in out.getvalue().splitlines()]
    assert lines == [
        "odoo.stock_quant: 1,234 rows landed, gating",
        "odoo.stock_quant: 1,234 rows published",
        "marts: build success (1 changed streams; 7 dbt nodes)",
    ]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie has exited; only its entry remains
        return stat.read().split()[2] != "Z"
