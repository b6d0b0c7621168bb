"""`hub demo-world serve` / `python -m demo_world serve`: run the demo Odoo until stopped."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
from pathlib import Path

from .generate import AS_OF, DEFAULT_SEED, SCALES
from .orm import DB_NAME
from .server import DemoWorld

log = logging.getLogger(__name__)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hub demo-world", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="command")
    p = sub.add_parser("serve", help="generate (or reuse) the world and serve it over HTTP")
    p.add_argument("--scale", choices=sorted(SCALES), default="demo")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--live", action="store_true", help="keep trading (not yet implemented)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8069)
    p.add_argument("--state-dir", type=Path, default=Path(".demo-world"))
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point for `hub demo-world ...` (argv without the leading `demo-world`)."""
    argv = sys.argv[1:] if argv is None else argv
    args = _parser().parse_args(argv)
    if args.command == "serve":
        return serve(argv[1:])
    return 2


def serve(argv: list[str]) -> int:
    """Serve until SIGINT/SIGTERM; writes <state-dir>/connection.json once listening."""
    args = _parser().parse_args(["serve", *argv])
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if args.live:
        log.warning("--live: live trading is not implemented yet; serving a static world")
    world = DemoWorld(args.state_dir, args.seed, args.scale, args.host, args.port)
    manifest = write_manifest(args.state_dir, args.seed, args.scale)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    world.start()
    conn_path = write_connection(args.state_dir, world, manifest)
    print(f"demo world: {world.url} (database {DB_NAME}, seed {args.seed}, scale {args.scale})")
    print(f"connection: {conn_path}", flush=True)
    try:
        stop.wait()
    finally:
        world.stop()
        if _owned_by_us(conn_path):
            conn_path.unlink(missing_ok=True)
    return 0


def write_manifest(state_dir: Path, seed: int, scale: str) -> Path:
    """The ground-truth manifest (no injected cases yet)."""
    path = Path(state_dir) / f"{seed}-{scale}.manifest.json"
    as_of = AS_OF.strftime("%Y-%m-%dT%H:%M:%SZ")
    path.write_text(
        json.dumps({"seed": seed, "scale": scale, "as_of": as_of, "cases": []}, indent=2)
    )
    return path


def write_connection(state_dir: Path, world: DemoWorld, manifest: Path) -> Path:
    """connection.json as docs/contracts.md names its keys."""
    path = Path(state_dir) / "connection.json"
    payload = {
        "odoo_url": world.url,
        "odoo_db": DB_NAME,
        "odoo_user": "admin",
        "odoo_password": "admin",
        "odoo_api_key": world.api_key,
        "store": str(world.store_path),
        "manifest": str(manifest),
        "pid": os.getpid(),
    }
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(payload, indent=2))
    os.replace(tmp, path)
    return path


def _owned_by_us(path: Path) -> bool:
    try:
        return json.loads(path.read_text()).get("pid") == os.getpid()
    except (OSError, ValueError):
        return False
