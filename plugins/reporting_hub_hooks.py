"""Hooks that turn the Airflow connections `warehouse` and `odoo_default` into Settings.

The package reads its configuration from environment variables (docs/contracts.md);
inside Airflow the same values live in connections, so that secrets are managed,
masked in logs and rotated the Airflow way. A connection is treated as one more
source of those variables, laid over the environment, and `Settings.from_env` does
the rest: an undefined connection simply falls back to the environment, which is
what lets `dag.test()` run with env vars alone.

Only light imports here: the plugin manager imports this module in every Airflow
process, and DAG files must stay cheap to parse.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from airflow.sdk import BaseHook, Connection
from airflow.sdk.exceptions import AirflowNotFoundException

from reporting_hub.settings import Settings

# libpq parameters an Airflow postgres connection may carry in `extra`.
LIBPQ_EXTRAS = (
    "sslmode",
    "sslcert",
    "sslkey",
    "sslrootcert",
    "connect_timeout",
    "application_name",
    "options",
    "target_session_attrs",
)


class _HubHook(BaseHook):
    """A connection that may be absent: `env()` is then empty and the environment decides."""

    conn_name_attr = "conn_id"
    default_conn_name = ""

    def __init__(self, conn_id: str | None = None) -> None:
        super().__init__()
        self.conn_id = conn_id or self.default_conn_name

    def connection(self) -> Connection | None:
        try:
            return self.get_connection(self.conn_id)
        except AirflowNotFoundException:
            return None

    def env(self) -> dict[str, str]:
        """The environment variables this connection stands for (none when it is undefined)."""
        conn = self.connection()
        return {} if conn is None else self.env_from(conn)

    @staticmethod
    def env_from(conn: Connection) -> dict[str, str]:
        raise NotImplementedError


class WarehouseHook(_HubHook):
    """The warehouse PostgreSQL as `WAREHOUSE_URL`, from a postgres-type connection."""

    default_conn_name = "warehouse"
    conn_type = "postgres"
    hook_name = "Reporting hub warehouse"

    @staticmethod
    def env_from(conn: Connection) -> dict[str, str]:
        return {"WAREHOUSE_URL": warehouse_url(conn)}


class OdooHook(_HubHook):
    """Odoo's URL, database and credentials as the `ODOO_*` variables."""

    default_conn_name = "odoo_default"
    conn_type = "http"
    hook_name = "Odoo (reporting hub)"

    @staticmethod
    def env_from(conn: Connection) -> dict[str, str]:
        extra = conn.extra_dejson
        values = {
            "ODOO_URL": odoo_url(conn),
            "ODOO_DB": conn.schema,
            "ODOO_USER": conn.login,
            "ODOO_PASSWORD": conn.password,
            "ODOO_API_KEY": extra.get("api_key"),
            "ODOO_PROTOCOL": extra.get("protocol"),
        }
        return {key: str(value) for key, value in values.items() if value}


def warehouse_url(conn: Connection) -> str:
    """`extra.url` if given, else `postgresql://login:password@host:port/schema`.

    A host starting with `/` is a Unix-socket directory (e.g. an embedded server) and
    goes into the query string, where libpq expects it.
    """
    extra = conn.extra_dejson
    if extra.get("url"):
        return str(extra["url"])
    query: dict[str, Any] = {key: extra[key] for key in LIBPQ_EXTRAS if key in extra}
    host = conn.host or ""
    if host.startswith("/"):
        query["host"] = host
        host = ""
    userinfo = quote(conn.login or "", safe="")
    if conn.password:
        userinfo += ":" + quote(conn.password, safe="")
    netloc = f"{userinfo}@" if userinfo else ""
    netloc += host + (f":{conn.port}" if conn.port and host else "")
    url = f"postgresql://{netloc}/{quote(conn.schema or '', safe='')}"
    return f"{url}?{urlencode(query)}" if query else url


def odoo_url(conn: Connection) -> str:
    """`extra.url` if given, else the host (scheme included or `http`) plus the port."""
    extra = conn.extra_dejson
    if extra.get("url"):
        return str(extra["url"]).rstrip("/")
    host = (conn.host or "").rstrip("/")
    if "://" not in host:
        scheme = conn.conn_type if conn.conn_type in ("http", "https") else "http"
        host = f"{scheme}://{host}"
    if conn.port and urlsplit(host).port is None:
        host = f"{host}:{conn.port}"
    return host


def hub_settings(env: dict[str, str] | None = None, need_odoo: bool = True) -> Settings:
    """Settings from the Airflow connections, each falling back to the environment.

    Steps that only touch the warehouse pass need_odoo=False (as in Settings.from_env).
    """
    base = dict(os.environ if env is None else env)
    odoo = OdooHook().env() if need_odoo else {}
    if odoo:
        # A defined Odoo connection replaces every ODOO_* variable, so that a password
        # from the environment never pairs with a user from the connection.
        base = {key: value for key, value in base.items() if not key.startswith("ODOO_")}
    return Settings.from_env({**base, **WarehouseHook().env(), **odoo}, need_odoo=need_odoo)
