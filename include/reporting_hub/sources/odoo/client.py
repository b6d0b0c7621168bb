"""One interface for every way of talking to Odoo, and the errors it raises.

Extraction code takes an `OdooClient` and never knows whether JSON-RPC
(odoorpc, sources.odoo.jsonrpc) or JSON-2 (odoo-client-lib, sources.odoo.json2) is
behind it; sources.odoo.connect picks one. Server errors are turned into a few
exception classes that say what to do: fix credentials, fix the catalog, or retry later.
"""

from __future__ import annotations

from typing import Any, Protocol

from reporting_hub.sources.retry import TransientError


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


class OdooTransientError(OdooError, TransientError):
    """Timeouts, dropped connections, 5xx: worth retrying."""

    def __init__(
        self, message: str, server_name: str | None = None, retry_after: float | None = None
    ):
        OdooError.__init__(self, message, server_name)
        self.retry_after = retry_after


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
