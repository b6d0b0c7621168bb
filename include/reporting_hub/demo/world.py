"""The demo world as the demo harness sees it: start it, find it, stop it, hand over its settings.

The product never reads the demo world; this module does it for `hub demo`, the tests
and the benchmarks, and passes what it finds on explicitly: as the environment variables
of the processes it starts (`env_for`), or as a Settings object (`settings_for`).
`.demo-world/connection.json` is written by `hub demo-world serve` once it listens.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reporting_hub.settings import REPO_ROOT, OdooSettings, Settings, ShopSettings

STATE_DIR = Path(os.environ.get("DEMO_WORLD_DIR") or REPO_ROOT / ".demo-world")
DEFAULT_ODOO_PORT = 8069
ODOO_PORT_ENV = "HUB_DEMO_ODOO_PORT"


class ChildDied(RuntimeError):
    """A process the demo started exited; the message carries the end of its log."""


@dataclass
class Child:
    """A background process the demo started, with the log it writes to."""

    name: str
    process: subprocess.Popen
    log_file: Path

    def check(self) -> None:
        """Raise ChildDied, with the last lines of its log, if the process has exited."""
        code = self.process.poll()
        if code is not None:
            raise ChildDied(
                f"{self.name} exited with code {code}; last lines of {self.log_file}:\n"
                + tail(self.log_file)
            )

    def stop(self, sig: int = signal.SIGTERM, wait: float = 15) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(sig)
        try:
            self.process.wait(wait)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


def tail(path: Path, lines: int = 20) -> str:
    """The last lines of a log file, indented, or a note that there is none."""
    try:
        text = path.read_text(errors="replace").splitlines()[-lines:]
    except OSError:
        return "    (no log written)"
    return "\n".join(f"    {line}" for line in text) or "    (log is empty)"


def connection(state_dir: Path = STATE_DIR) -> dict[str, Any] | None:
    """The connection file of a demo world that is running and answering, else None."""
    path = state_dir / "connection.json"
    try:
        conn = json.loads(path.read_text())
        os.kill(conn["pid"], 0)
        urllib.request.urlopen(f"{conn['odoo_url']}/web/webclient/version_info", timeout=2).close()
    except (OSError, ValueError, KeyError):
        return None
    return conn


def free_port(preferred: int | None = None) -> int:
    """`preferred` when it is free on 127.0.0.1, else any free port."""
    if preferred and port_is_free(preferred):
        return preferred
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def port_from_env(variable: str, default: int) -> int:
    """The port a variable names (it must be free), else `default` if free, else a free one."""
    value = os.environ.get(variable)
    if not value:
        return free_port(default)
    port = int(value)
    if not port_is_free(port):
        raise RuntimeError(f"{variable}={port}, but port {port} is in use on 127.0.0.1")
    return port


def start(
    state_dir: Path,
    log_dir: Path,
    port: int,
    *,
    scale: str = "demo",
    live: bool = False,
    wait: float = 900,
    heartbeat: Callable[[float], None] | None = None,
) -> Child:
    """Start `hub demo-world serve` in the background and wait until it answers.

    The child dies with this process (Linux parent-death signal), so an interrupted demo
    never leaves a server behind; if it exits early, ChildDied says why at once.
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    (state_dir / "connection.json").unlink(missing_ok=True)
    log_file = log_dir / "demo-world.log"
    cmd = [sys.executable, "-m", "demo_world", "serve", "--port", str(port), "--scale", scale]
    cmd += ["--state-dir", str(state_dir), *(["--live"] if live else [])]
    with open(log_file, "ab") as out:
        process = subprocess.Popen(
            cmd,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=die_with_parent,  # noqa: PLW1509 (no locks, no imports: see _PRCTL)
        )
    child = Child("demo world", process, log_file)
    started = time.monotonic()
    while time.monotonic() - started < wait:
        child.check()
        if connection(state_dir) is not None:
            return child
        if heartbeat:
            heartbeat(time.monotonic() - started)
        time.sleep(0.5)
    child.stop()
    raise ChildDied(f"demo world did not answer within {wait:.0f}s; see {log_file}")


def _libc_prctl() -> Callable[..., int] | None:
    try:
        return ctypes.CDLL("libc.so.6", use_errno=True).prctl
    except (OSError, AttributeError):
        return None  # not Linux: children outlive an interrupted demo, `demo-stop` ends them


# Looked up once here: between fork and exec a child must not import or take locks.
_PRCTL = _libc_prctl()
PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int = signal.SIGTERM) -> None:
    """In a child before exec: ask Linux to send `sig` when the parent dies."""
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, int(sig))


def stop(state_dir: Path = STATE_DIR) -> bool:
    """SIGTERM the demo world whose connection file is in state_dir, if one runs."""
    conn = connection(state_dir)
    if conn is None:
        return False
    os.kill(conn["pid"], signal.SIGTERM)
    return True


def env_for(conn: dict[str, Any], state_dir: Path = STATE_DIR) -> dict[str, str]:
    """The environment variables that point the product at every system of a demo world."""
    folders = {k: _absolute(conn[k], state_dir) for k in ("wms_inbox", "bank_export_dir")}
    return {
        "ODOO_URL": conn["odoo_url"],
        "ODOO_DB": conn["odoo_db"],
        "ODOO_USER": conn["odoo_user"],
        "ODOO_PASSWORD": conn["odoo_password"],
        "ODOO_API_KEY": conn["odoo_api_key"],
        "SHOP_URL": conn["shop_url"],
        "SHOP_TOKEN": conn["shop_token"],
        "CARRIER_URL": conn["carrier_url"],
        "WMS_INBOX": folders["wms_inbox"],
        "BANK_EXPORT_DIR": folders["bank_export_dir"],
    }


def manifest_path(conn: dict[str, Any], state_dir: Path = STATE_DIR) -> Path:
    """Where the demo world wrote its ground-truth manifest."""
    return Path(_absolute(conn["manifest"], state_dir))


def settings_from_connection(
    conn: dict[str, Any], warehouse_url: str, home: Path, state_dir: Path = STATE_DIR
) -> Settings:
    """Settings for every system of a demo world, from its connection file's contents."""
    env = {**env_for(conn, state_dir), "WAREHOUSE_URL": warehouse_url, "HUB_HOME": str(home)}
    return Settings.from_env(env)


def settings_for(
    world: Any, warehouse_url: str, home: Path, with_odoo: bool = True, protocol: str = "jsonrpc"
) -> Settings:
    """Settings for every system of a running demo world handle (tests and benchmarks)."""
    odoo = (
        OdooSettings(world.url, "demo", "admin", "admin", world.api_key, protocol)
        if with_odoo
        else None
    )
    return Settings(
        warehouse_url,
        odoo,
        home,
        shop=ShopSettings(world.shop_url, world.shop_token),
        carrier_url=world.carrier_url,
        wms_inbox=world.wms_inbox,
        bank_dir=world.bank_dir,
    )


def _absolute(value: str, state_dir: Path) -> str:
    # Written relative to where `serve` ran, i.e. the state folder's parent.
    return value if Path(value).is_absolute() else str(state_dir.parent / value)
