"""Runtime settings: where the warehouse and Odoo are, from the environment.

Secrets never live in files of the repo. Outside Airflow they come from the
environment (names in docs/contracts.md); inside Airflow the hooks in plugins/
build the same Settings from the `warehouse` and `odoo_default` connections.
With nothing set, the demo world's connection file is the default Odoo.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
PROTOCOLS = ("jsonrpc", "json2")


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
class Settings:
    warehouse_url: str
    odoo: OdooSettings | None
    home: Path

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
        return cls(warehouse_url=warehouse_url, odoo=odoo, home=home)

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
