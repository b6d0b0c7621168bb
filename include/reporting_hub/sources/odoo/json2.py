"""JSON-2 client on odoo-client-lib: Odoo 19's external API (bearer API key)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import httpx
import odoolib
from odoolib.tools import AuthenticationError

from reporting_hub.settings import OdooSettings
from reporting_hub.sources.odoo.client import (
    OdooAuthError,
    OdooError,
    OdooTransientError,
    classify,
)

# odoo-client-lib reports a non-200 answer as ValueError("Unexpected status code N: <body>").
_STATUS_PREFIX = "Unexpected status code "


class Json2Client:
    """OdooClient over `/json/2/<model>/<method>`; named arguments only."""

    def __init__(self, settings: OdooSettings, timeout: float = 120):
        parts = urlsplit(settings.url)
        ssl = parts.scheme == "https"
        self._settings = settings
        self._timeout = timeout
        self._connection = odoolib.get_connection(
            hostname=parts.hostname,
            protocol="json2s" if ssl else "json2",
            port=parts.port or (443 if ssl else 80),
            database=settings.db,
            password=settings.secret,
        )
        self._version = self._fetch_version()

    @property
    def server_version(self) -> tuple[int, int]:
        return self._version

    def execute(self, model: str, method: str, **kwargs: Any) -> Any:
        proxy = getattr(self._connection.get_model(model), method)
        try:
            return proxy(**kwargs)
        except AuthenticationError:
            raise OdooAuthError(
                f"Odoo at {self._settings.url} rejected the API key for database "
                f"{self._settings.db!r}: check ODOO_API_KEY"
            ) from None
        except ValueError as exc:
            if not str(exc).startswith(_STATUS_PREFIX):
                raise
            raise _translate(str(exc), model) from None
        except httpx.TransportError as exc:
            raise OdooTransientError(f"{model}.{method} on {self._settings.url}: {exc}") from exc

    def relogin(self) -> None:
        """JSON-2 sends the API key with every call: there is no session to renew."""

    def _fetch_version(self) -> tuple[int, int]:
        url = f"{self._settings.url}/web/webclient/version_info"
        try:
            reply = httpx.post(
                url, json={"jsonrpc": "2.0", "method": "call", "params": {}}, timeout=self._timeout
            )
            info = reply.json()["result"]["server_version_info"]
        except httpx.TransportError as exc:
            raise OdooTransientError(f"cannot reach Odoo at {self._settings.url}: {exc}") from exc
        return int(info[0]), int(info[1])


def _translate(text: str, model: str) -> OdooError:
    status_text, _, body_text = text[len(_STATUS_PREFIX) :].partition(": ")
    status = int(status_text)
    try:
        body = json.loads(body_text)
    except ValueError:
        body = {"message": body_text[:200]}
    name, message = body.get("name"), body.get("message", "")
    if status == 429 or (status >= 500 and not name):
        return OdooTransientError(f"{model}: HTTP {status}")
    if status == 404 and not name:
        return OdooAuthError(f"{model}: HTTP 404 (unknown database?)")
    return classify(name, message)(f"{model}: {message} ({name}, HTTP {status})", server_name=name)
