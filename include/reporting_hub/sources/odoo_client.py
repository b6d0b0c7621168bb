"""One interface for every way of talking to Odoo, and the errors it raises.

Extraction code takes an `OdooClient` and never knows whether JSON-RPC
(odoorpc) or JSON-2 (odoo-client-lib) is behind it. Server errors are turned
into a few exception classes that say what to do: fix credentials, fix the
catalog, or retry later.
"""

from __future__ import annotations

import json
import urllib.request
from dataclasses import replace
from typing import Any, Protocol

from reporting_hub.settings import OdooSettings


class OdooError(RuntimeError):
    """An error reported by Odoo, with its server-side exception name."""

    def __init__(self, message: str, server_name: str | None = None):
        super().__init__(message)
        self.server_name = server_name


class OdooAuthError(OdooError):
    """Wrong login, password or API key: permanent until the secret is fixed."""


class OdooAccessError(OdooError):
    """The user may not read this model or company."""


class OdooUnknownModel(OdooError):
    """The model does not exist on this server (module missing or renamed)."""


class OdooUnknownField(OdooError):
    """A field named in the request does not exist on the model."""


class OdooTransientError(OdooError):
    """Timeouts, dropped connections, 5xx: worth retrying."""


class OdooClient(Protocol):
    """What extraction needs from an Odoo server, whatever the protocol."""

    @property
    def server_version(self) -> tuple[int, int]:
        """(major, minor) of the server, e.g. (19, 0)."""

    def execute(self, model: str, method: str, **kwargs: Any) -> Any:
        """Call an ORM method with named arguments (the one form both protocols accept)."""

    def relogin(self) -> None:
        """Authenticate again after the server forgot the session (no-op where stateless)."""


def classify(name: str | None, message: str) -> type[OdooError]:
    """Map an Odoo exception name and message to one of our error classes."""
    name = name or ""
    if name.endswith("AccessDenied") or "Unauthorized" in name:
        return OdooAuthError
    if name.endswith("AccessError"):
        return OdooAccessError
    if "doesn't exist" in message:
        return OdooUnknownModel
    if message.startswith("Invalid field"):
        return OdooUnknownField
    if name.startswith("psycopg2") and "does not exist" in message:
        return OdooAuthError  # unknown database: a configuration error, not transient
    if name.startswith(("psycopg2.OperationalError", "psycopg2.errors.SerializationFailure")):
        return OdooTransientError  # the server's database hiccuped; Odoo itself retries these
    if name.endswith("SessionExpiredException"):
        return OdooTransientError
    return OdooError


def connect(settings: OdooSettings, timeout: float = 120) -> OdooClient:
    """Log in with the configured protocol (or the best the server offers) and return a client."""
    if settings.protocol == "auto":
        settings = replace(settings, protocol=offered_protocol(settings, timeout))
    if settings.protocol == "json2":
        from reporting_hub.sources.odoo_json2 import Json2Client

        return Json2Client(settings, timeout=timeout)
    from reporting_hub.sources.odoo_jsonrpc import JsonRpcClient

    return JsonRpcClient(settings, timeout=timeout)


JSON2_SINCE = 19  # Odoo 19 introduced /json/2 and deprecated /jsonrpc


def offered_protocol(settings: OdooSettings, timeout: float = 30) -> str:
    """json2 when the server is Odoo 19+ and we hold an API key; jsonrpc otherwise."""
    if not settings.api_key:
        return "jsonrpc"
    request = urllib.request.Request(
        f"{settings.url}/web/webclient/version_info",
        data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": {}}).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            major = json.load(reply)["result"]["server_version_info"][0]
    except (OSError, ValueError, KeyError) as exc:
        raise OdooTransientError(
            f"cannot read the version of Odoo at {settings.url}: {exc}"
        ) from exc
    return "json2" if int(major) >= JSON2_SINCE else "jsonrpc"
