"""`hub demo-world serve` / `python -m demo_world serve`: run every demo system until stopped."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from .faults import ENV_VAR, Faults
from .generate import DEFAULT_SEED, SCALES
from .habits import ENV_VAR as HABITS_ENV_VAR
from .habits import DeliveryHabits
from .live import LiveTrader
from .orm import DB_NAME
from .scenarios import write_manifest as scenario_manifest
from .server import DemoWorld
from .systems.ticker import Ticker


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hub demo-world", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="command")
    p = sub.add_parser("serve", help="generate (or reuse) the world and serve every system")
    p.add_argument("--scale", choices=sorted(SCALES), default="demo")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--live", action="store_true", help="keep trading and delivering files")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8069, help="Odoo's port")
    p.add_argument("--state-dir", type=Path, default=Path(".demo-world"))
    p.add_argument("--shop-port", type=int, default=0, help="default: a free port")
    p.add_argument("--carrier-port", type=int, default=0, help="default: a free port")
    p.add_argument(
        "--faults",
        default=os.environ.get(ENV_VAR),
        help=f'fault knobs as JSON, e.g. \'{{"latency_ms": 50, "error_rate": 0.05}}\' '
        f"(default: ${ENV_VAR}; off)",
    )
    p.add_argument(
        "--habits",
        default=os.environ.get(HABITS_ENV_VAR),
        help="partners' delivery habits: plain (default), realistic, or JSON "
        f"(default: ${HABITS_ENV_VAR}; see demo_world/habits.py)",
    )
    p.add_argument("--tick-seconds", type=float, default=5.0, help="live mode's file-drop period")
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
    faults = Faults.parse(args.faults)
    world = DemoWorld(
        args.state_dir,
        args.seed,
        args.scale,
        args.host,
        args.port,
        shop_port=args.shop_port,
        carrier_port=args.carrier_port,
        faults=faults,
        habits=DeliveryHabits.parse(args.habits, args.seed),
    )
    manifest = write_manifest(args.state_dir, args.seed, args.scale, world.store_path)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    world.start()
    stoppers = start_live(world, args.tick_seconds) if args.live else []
    conn_path = write_connection(args.state_dir, world, manifest, live=args.live)
    _announce(world, args, conn_path, faults)
    try:
        stop.wait()
    finally:
        for stopper in stoppers:
            stopper()
        world.stop()
        if _owned_by_us(conn_path):
            conn_path.unlink(missing_ok=True)
    return 0


def _announce(world: DemoWorld, args: argparse.Namespace, conn_path: Path, faults: Faults) -> None:
    print(f"demo world: seed {args.seed}, scale {args.scale}" + (", live" if args.live else ""))
    print(f"  odoo:    {world.url} (database {DB_NAME})")
    print(f"  shop:    {world.shop_url}/admin/api/2024-10/orders.json")
    print(f"  carrier: {world.carrier_url}/events")
    print(f"  wms:     {world.wms_inbox}")
    print(f"  bank:    {world.bank_dir}")
    if faults != Faults():
        print(f"  faults:  {args.faults}")
    if args.habits:
        print(f"  habits:  {args.habits}")
    print(f"connection: {conn_path}", flush=True)


def start_live(world: DemoWorld, tick_seconds: float) -> list[Callable[[], None]]:
    """Keep trading, and deliver the files that come due as the trader's simulated clock runs."""
    trader = LiveTrader(world.store_path).start()
    ticker = Ticker([lambda: world.drop_until(trader.clock)], tick_seconds).start()
    return [ticker.stop, trader.stop]


def write_manifest(state_dir: Path, seed: int, scale: str, store_path: Path) -> Path:
    """The scenario engine's ground-truth manifest, beside the store."""
    path = Path(state_dir) / f"{seed}-{scale}.manifest.json"
    return scenario_manifest(store_path, path)


def write_connection(state_dir: Path, world: DemoWorld, manifest: Path, live: bool = False) -> Path:
    """connection.json as docs/contracts.md names its keys."""
    path = Path(state_dir) / "connection.json"
    payload = {
        "odoo_url": world.url,
        "odoo_db": DB_NAME,
        "odoo_user": "admin",
        "odoo_password": "admin",
        "odoo_api_key": world.api_key,
        "shop_url": world.shop_url,
        "shop_token": world.shop_token,
        "carrier_url": world.carrier_url,
        "wms_inbox": str(world.wms_inbox),
        "bank_export_dir": str(world.bank_dir),
        "store": str(world.store_path),
        "manifest": str(manifest),
        "seed": world.seed,
        "scale": world.scale,
        "live": live,
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
