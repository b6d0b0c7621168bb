"""Runtime settings: where the warehouse, Odoo and the other systems are, from the environment.

Settings come from environment variables (names in docs/contracts.md) and nothing else;
inside Airflow the hooks in plugins/ lay the `warehouse` and `odoo_default` connections
over the environment first. A missing setting is an error naming the variable: nothing
falls back to a demo world, so a production host can never sync the simulator by
accident. `hub demo` and the tests hand the demo world's settings over explicitly
(reporting_hub.demo.world). Secrets are `SecretStr`: they print as `**********` in any
repr, log line or traceback, and only the code that sends them unwraps them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Literal

from pydantic import SecretStr
from pydantic.dataclasses import dataclass

REPO_ROOT = Path(__file__).resolve().parents[2]
# `auto`: JSON-2 where the server offers it (Odoo 19+) and an API key is set, else JSON-RPC.
PROTOCOLS = ("jsonrpc", "json2", "auto")
Protocol = Literal["jsonrpc", "json2", "auto"]


class SettingsError(ValueError):
    """A setting is missing or invalid; the message says which and how to set it."""


@dataclass(frozen=True)
class OdooSettings:
    url: str
    db: str
    user: str = ""
    password: SecretStr | None = None
    api_key: SecretStr | None = None
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
        return secret.get_secret_value()


@dataclass(frozen=True)
class ShopSettings:
    url: str
    token: SecretStr


@dataclass(frozen=True)
class Settings:
    warehouse_url: str
    odoo: OdooSettings | None
    home: Path
    # The other systems; None when not configured (their streams then fail naming the variable).
    shop: ShopSettings | None = None
    carrier_url: str | None = None
    wms_inbox: Path | None = None
    bank_dir: Path | None = None

    def __repr__(self) -> str:
        # The warehouse URL may carry a password; every other secret is a SecretStr.
        parts = {
            "warehouse_url": redact_url(self.warehouse_url),
            "odoo": self.odoo,
            "home": self.home,
            "shop": self.shop,
            "carrier_url": self.carrier_url,
            "wms_inbox": self.wms_inbox,
            "bank_dir": self.bank_dir,
        }
        return "Settings(" + ", ".join(f"{k}={v!r}" for k, v in parts.items()) + ")"

    __str__ = __repr__

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, need_odoo: bool = True) -> Settings:
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
        return cls(
            warehouse_url=warehouse_url,
            odoo=odoo_from_env(env) if need_odoo else None,
            home=home,
            shop=shop_from_env(env),
            carrier_url=_url(env.get("CARRIER_URL")),
            wms_inbox=_path(env.get("WMS_INBOX")),
            bank_dir=_path(env.get("BANK_EXPORT_DIR")),
        )

    def with_warehouse(self, url: str) -> Settings:
        return replace(self, warehouse_url=url)


def odoo_from_env(env: Mapping[str, str]) -> OdooSettings:
    """Odoo settings from the ODOO_* variables; a missing one is named in the error."""
    protocol = env.get("ODOO_PROTOCOL") or "jsonrpc"
    required = ["ODOO_URL", "ODOO_DB"] + ([] if protocol == "json2" else ["ODOO_USER"])
    missing = [name for name in required if not env.get(name)]
    if missing:
        raise SettingsError(
            f"Odoo is not configured: set {', '.join(missing)} (and ODOO_PASSWORD or "
            "ODOO_API_KEY), or define the Airflow connection odoo_default; "
            "`hub demo` sets them for the demo world"
        )
    return OdooSettings(
        url=env["ODOO_URL"].rstrip("/"),
        db=env["ODOO_DB"],
        user=env.get("ODOO_USER", ""),
        password=env.get("ODOO_PASSWORD") or None,
        api_key=env.get("ODOO_API_KEY") or None,
        protocol=protocol,
    )


def shop_from_env(env: Mapping[str, str]) -> ShopSettings | None:
    """The shop from SHOP_URL and SHOP_TOKEN: both or neither."""
    url, token = env.get("SHOP_URL"), env.get("SHOP_TOKEN")
    if bool(url) != bool(token):
        missing = "SHOP_TOKEN" if url else "SHOP_URL"
        raise SettingsError(f"the shop is half configured: set {missing} too, or neither")
    return ShopSettings(url.rstrip("/"), token) if url and token else None


def redact_url(url: str) -> str:
    """The URL with any password replaced by `***`, for messages and reprs."""
    head, at, tail = url.rpartition("@")
    if not at or ":" not in head.split("//", 1)[-1]:
        return url
    scheme, _, creds = head.partition("//")
    return f"{scheme}//{creds.split(':', 1)[0]}:***@{tail}"


def reveal(secret: SecretStr | None) -> str | None:
    """The plain value of a secret, for the one place that sends or hands it on."""
    return secret.get_secret_value() if secret is not None else None


def _url(value: str | None) -> str | None:
    return value.rstrip("/") if value else None


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None
