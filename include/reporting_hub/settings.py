"""Runtime settings: where the warehouse, Odoo and the other systems are, from the environment.

Secrets never live in files of the repo. Outside Airflow they come from the
environment (names in docs/contracts.md); inside Airflow the hooks in plugins/
build the same Settings from the `warehouse` and `odoo_default` connections.
With nothing set, the demo world's connection file is the default for every system.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
# `auto`: JSON-2 where the server offers it (Odoo 19+) and an API key is set, else JSON-RPC.
PROTOCOLS = ("jsonrpc", "json2", "auto")


class SettingsError(ValueError):
    """A setting is missing or invalid; the message says which and how to set it."""


@dataclass(frozen=True)
class OdooSettings:
    url: str
    db: str
    user: str
    password: str | None = None
    api_key: str | None = None
    protocol: str = "jsonrpc"

    def __post_init__(self) -> None:
        if self.protocol not in PROTOCOLS:
            raise SettingsError(f"ODOO_PROTOCOL={self.protocol!r}: expected one of {PROTOCOLS}")

    @property
    def secret(self) -> str:
        """The credential to send: JSON-2 needs an API key, JSON-RPC takes either."""
        secret = self.api_key if self.protocol == "json2" else (self.password or self.api_key)
        if not secret:
            needed = "ODOO_API_KEY" if self.protocol == "json2" else "ODOO_PASSWORD or ODOO_API_KEY"
            raise SettingsError(f"no Odoo credential: set {needed}")
        return secret


@dataclass(frozen=True)
class ShopSettings:
    url: str
    token: str = field(repr=False)


@dataclass(frozen=True)
class Settings:
    warehouse_url: str
    odoo: OdooSettings | None
    home: Path
    # The other systems; None when not configured (their streams then fail with a hint).
    shop: ShopSettings | None = None
    carrier_url: str | None = None
    wms_inbox: Path | None = None
    bank_dir: Path | None = None

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, need_odoo: bool = True) -> Settings:
        """Read settings from the environment, locating a warehouse if none is given.

        Commands that only touch the warehouse pass need_odoo=False, so they work
        without any Odoo configured.
        """
        env = dict(os.environ if env is None else env)
        home = Path(env.get("HUB_HOME") or REPO_ROOT / ".hub")
        warehouse_url = env.get("WAREHOUSE_URL")
        if not warehouse_url:
            from reporting_hub.warehouse.locate import locate_warehouse

            warehouse_url = locate_warehouse(home)
        odoo = odoo_from_env(env) if need_odoo else None
        return cls(warehouse_url, odoo, home, **systems_from_env(env))

    def with_warehouse(self, url: str) -> Settings:
        return replace(self, warehouse_url=url)


def odoo_from_env(env: dict[str, str]) -> OdooSettings:
    """Odoo settings from ODOO_* variables, else from the running demo world."""
    if env.get("ODOO_URL"):
        return OdooSettings(
            url=env["ODOO_URL"].rstrip("/"),
            db=env.get("ODOO_DB", ""),
            user=env.get("ODOO_USER", ""),
            password=env.get("ODOO_PASSWORD"),
            api_key=env.get("ODOO_API_KEY"),
            protocol=env.get("ODOO_PROTOCOL", "jsonrpc"),
        )
    return demo_world_odoo(
        Path(env.get("DEMO_WORLD_DIR") or REPO_ROOT / ".demo-world"),
        protocol=env.get("ODOO_PROTOCOL", "jsonrpc"),
    )


def demo_world_odoo(state_dir: Path, protocol: str = "jsonrpc") -> OdooSettings:
    """Odoo settings of the demo world whose connection file is in state_dir."""
    path = state_dir / "connection.json"
    if not path.exists():
        raise SettingsError(
            f"ODOO_URL is not set and no demo world runs ({path} is missing): "
            "set ODOO_URL/ODOO_DB/ODOO_USER/ODOO_PASSWORD, or start `hub demo-world serve`"
        )
    conn = json.loads(path.read_text())
    return OdooSettings(
        url=conn["odoo_url"],
        db=conn["odoo_db"],
        user=conn["odoo_user"],
        password=conn.get("odoo_password"),
        api_key=conn.get("odoo_api_key"),
        protocol=protocol,
    )


def systems_from_env(env: dict[str, str]) -> dict[str, Any]:
    """Shop, carrier, WMS inbox and bank folder: env vars first, else the demo world's file.

    Unlike Odoo, a missing system is not an error here: only its streams need it.
    """
    demo = _demo_world_connection(Path(env.get("DEMO_WORLD_DIR") or REPO_ROOT / ".demo-world"))
    shop_url = env.get("SHOP_URL") or demo.get("shop_url")
    shop_token = env.get("SHOP_TOKEN") or demo.get("shop_token")
    carrier_url = env.get("CARRIER_URL") or demo.get("carrier_url")
    inbox = env.get("WMS_INBOX") or demo.get("wms_inbox")
    bank = env.get("BANK_EXPORT_DIR") or demo.get("bank_export_dir")
    return {
        "shop": ShopSettings(shop_url.rstrip("/"), shop_token) if shop_url and shop_token else None,
        "carrier_url": carrier_url.rstrip("/") if carrier_url else None,
        "wms_inbox": Path(inbox) if inbox else None,
        "bank_dir": Path(bank) if bank else None,
    }


def _demo_world_connection(state_dir: Path) -> dict[str, Any]:
    """The demo world's connection.json with folders made absolute ({} when none runs)."""
    path = state_dir / "connection.json"
    if not path.exists():
        return {}
    conn = json.loads(path.read_text())
    for key in ("wms_inbox", "bank_export_dir"):
        if conn.get(key) and not Path(conn[key]).is_absolute():
            # Written relative to where `serve` ran, i.e. the state folder's parent.
            conn[key] = str(state_dir.parent / conn[key])
    return conn


def demo_world_settings(
    world: Any, warehouse_url: str, home: Path, with_odoo: bool = True
) -> Settings:
    """Settings for every system of a running demo world handle (tests and benchmarks)."""
    odoo = OdooSettings(world.url, "demo", "admin", "admin", world.api_key) if with_odoo else None
    return Settings(
        warehouse_url,
        odoo,
        home,
        shop=ShopSettings(world.shop_url, world.shop_token),
        carrier_url=world.carrier_url,
        wms_inbox=world.wms_inbox,
        bank_dir=world.bank_dir,
    )
