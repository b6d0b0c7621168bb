"""`demo-world serve` publishes every system in connection.json and stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

KEYS = {
    "odoo_url",
    "odoo_db",
    "odoo_user",
    "odoo_password",
    "odoo_api_key",
    "shop_url",
    "shop_token",
    "carrier_url",
    "wms_inbox",
    "bank_export_dir",
    "manifest",
    "store",
    "pid",
}


def wait_for(path: Path, proc: subprocess.Popen, seconds: float = 60) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
        if path.exists():
            return json.loads(path.read_text())
        time.sleep(0.1)
    raise AssertionError(f"{path} did not appear within {seconds}s")


def test_serve_writes_connection_json_and_stops_on_sigterm(tmp_path: Path) -> None:
    # GIVEN `serve` started with --live and a fault config
    cmd = [
        sys.executable,
        "-m",
        "demo_world",
        "serve",
        "--scale",
        "tiny",
        "--port",
        "0",
        "--state-dir",
        str(tmp_path),
        "--live",
        "--tick-seconds",
        "0.2",
        "--faults",
        '{"latency_ms": 1}',
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        conn = wait_for(tmp_path / "connection.json", proc)
        # THEN connection.json names every system, and each one answers
        assert set(conn) >= KEYS and conn["pid"] == proc.pid
        assert (conn["odoo_db"], conn["odoo_user"], conn["odoo_password"]) == (
            "demo",
            "admin",
            "admin",
        )
        version = httpx.get(conn["odoo_url"] + "/web/webclient/version_info", timeout=10)
        assert version.json()["result"]["server_version"] == "19.0"
        orders = httpx.get(
            conn["shop_url"] + "/admin/api/2024-10/orders.json",
            headers={"X-Shopify-Access-Token": conn["shop_token"]},
            timeout=10,
        )
        assert orders.status_code == 200 and "orders" in orders.json()
        assert httpx.get(conn["carrier_url"] + "/events", timeout=10).status_code == 200
        assert Path(conn["wms_inbox"]).is_dir() and Path(conn["bank_export_dir"]).is_dir()
        assert json.loads(Path(conn["manifest"]).read_text())["scale"] == "tiny"
        assert Path(conn["store"]).exists()
        # WHEN it receives SIGTERM
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    # THEN it exits 0, printed its URLs, and took its connection file with it
    assert proc.returncode == 0, output
    assert conn["shop_url"] in output and "connection:" in output
    assert not (tmp_path / "connection.json").exists()
