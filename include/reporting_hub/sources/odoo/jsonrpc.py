"""JSON-RPC client on odoorpc (Odoo 10 and later; deprecated by Odoo in 19)."""

from __future__ import annotations

import http.client
import json
import socket
import urllib.error
from typing import Any, NoReturn
from urllib.parse import urlsplit

import odoorpc

from reporting_hub.settings import OdooSettings
from reporting_hub.sources.odoo.client import (
    OdooAuthError,
    OdooError,
    OdooTransientError,
    classify,
)

# A dropped or cut-off answer surfaces as one of these (a truncated body fails to parse).
TRANSPORT_ERRORS = (
    socket.timeout,
    ConnectionError,
    TimeoutError,
    http.client.HTTPException,
    json.JSONDecodeError,
)
RETRYABLE_HTTP = {429, 500, 502, 503, 504}


class JsonRpcClient:
    """OdooClient over `/jsonrpc` with odoorpc, logged in once per instance."""

    def __init__(self, settings: OdooSettings, timeout: float = 120):
        parts = urlsplit(settings.url)
        ssl = parts.scheme == "https"
        port = parts.port or (443 if ssl else 80)
        self._settings = settings
        try:
            self._odoo = odoorpc.ODOO(
                parts.hostname,
                protocol="jsonrpc+ssl" if ssl else "jsonrpc",
                port=port,
                timeout=timeout,
            )
        except Exception as exc:
            _raise_transport(exc, settings.url, "connect")
        self.relogin()

    def relogin(self) -> None:
        """Log in (again): after a session expiry, before giving up on the credentials."""
        settings = self._settings
        try:
            self._odoo.login(settings.db, settings.user, settings.secret)
        except odoorpc.error.RPCError as exc:
            if "Wrong login" in str(exc):
                raise OdooAuthError(
                    f"Odoo at {settings.url} refused login {settings.user!r} on database "
                    f"{settings.db!r}: check ODOO_USER and ODOO_PASSWORD/ODOO_API_KEY"
                ) from None
            raise _translate(exc) from None
        except Exception as exc:
            _raise_transport(exc, settings.url, "login")

    @property
    def server_version(self) -> tuple[int, int]:
        major, minor = [*self._odoo.version.split("."), "0"][:2]
        return int(major), int(minor.split("+")[0] or 0)

    def execute(self, model: str, method: str, **kwargs: Any) -> Any:
        try:
            return self._odoo.execute_kw(model, method, [], kwargs)
        except odoorpc.error.RPCError as exc:
            raise _translate(exc, model) from None
        except Exception as exc:
            _raise_transport(exc, self._settings.url, f"{model}.{method}")


def _raise_transport(exc: Exception, url: str, what: str) -> NoReturn:
    """Transient for timeouts, drops and 429/5xx; anything else is re-raised unchanged."""
    if isinstance(exc, urllib.error.HTTPError):
        if exc.code in RETRYABLE_HTTP:
            raise OdooTransientError(f"{what} on {url}: HTTP {exc.code}") from exc
        raise OdooError(f"{what} on {url}: HTTP {exc.code} {exc.reason}") from exc
    if isinstance(exc, (*TRANSPORT_ERRORS, urllib.error.URLError)):
        raise OdooTransientError(f"{what} on {url}: {exc}") from exc
    raise exc


def _translate(exc: odoorpc.error.RPCError, model: str | None = None) -> OdooError:
    info = exc.info if isinstance(exc.info, dict) else {}
    data = info.get("data") or {}
    name, message = data.get("name"), data.get("message") or str(exc)
    where = f"{model}: " if model else ""
    return classify(name, message)(f"{where}{message} ({name})", server_name=name)
