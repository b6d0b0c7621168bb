"""The demo Odoo's HTTP front: routes requests to the JSON-RPC and JSON-2 handlers.

Besides the generic faults every system suffers (see `http.Handler`), Odoo gets its own: an
injected server error travels inside the protocol (JSON-RPC: HTTP 200 with the error envelope;
JSON-2: HTTP 500 with the error object), and an expired session answers the way Odoo does to a
revoked credential (JSON-RPC: `odoo.exceptions.AccessDenied`; JSON-2: 401 `Invalid apikey`).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from demo_world import json2, jsonrpc
from demo_world.errors import AccessDenied, OperationalError, Unauthorized, from_exception
from demo_world.orm import Database

from .http import Handler

log = logging.getLogger(__name__)
_JSON2 = re.compile(r"^/json/2/(?P<model>[\w.]+)/(?P<method>\w+)/?$")
_DOC = re.compile(r"^/doc-bearer/(?P<model>[\w.]+)\.json$")
_NOT_FOUND_HTML = (
    "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
    "<p>The requested URL was not found on the server. If you entered the URL manually please "
    "check your spelling and try again.</p>\n"
)
_INJECTED_ERROR = "terminating connection due to administrator command\n"


class OdooHandler(Handler):
    """Werkzeug-looking routes for `/web/webclient/version_info`, `/jsonrpc` and JSON-2."""

    server_version = "Werkzeug/3.1.3"
    sys_version = "Python/3.12.3"
    db: Database

    def route(self, method: str, path: str, query: dict[str, list[str]]) -> None:
        if method == "GET":
            self._get(path)
            return
        body = self.json_body()
        if path == "/jsonrpc":
            self.send_json(200, self._jsonrpc(body))
        elif path == "/web/webclient/version_info":
            rid = body.get("id") if isinstance(body, dict) else None
            self.send_json(200, jsonrpc.envelope(rid, jsonrpc.VERSION_INFO))
        elif m := _JSON2.match(path):
            self._reply(self._json2(m["model"], m["method"], body))
        else:
            self._html(404, _NOT_FOUND_HTML)

    def _get(self, path: str) -> None:
        if path == "/web/webclient/version_info":
            self.send_json(200, jsonrpc.envelope(None, jsonrpc.VERSION_INFO))
        elif m := _DOC.match(path):
            self._reply(json2.handle_doc(self.db, m["model"], self._headers()))
        else:
            self._html(404, _NOT_FOUND_HTML)

    def _jsonrpc(self, body: Any) -> dict:
        rid = body.get("id") if isinstance(body, dict) else None
        params = (body.get("params") or {}) if isinstance(body, dict) else {}
        if self.plan.action == "odoo_error":
            return jsonrpc.envelope(rid, error=OperationalError(_INJECTED_ERROR))
        if self.plan.action == "session_expired" and params.get("service") == "object":
            return jsonrpc.envelope(rid, error=AccessDenied())
        try:
            return jsonrpc.handle(self.db, body)
        except Exception as exc:  # a bug must still answer like Odoo, not drop the socket
            log.exception("JSON-RPC call failed")
            return jsonrpc.envelope(rid, error=from_exception(exc))

    def _json2(self, model: str, method: str, body: Any) -> json2.Reply:
        if self.plan.action == "odoo_error":
            err = OperationalError(_INJECTED_ERROR)
            return json2.Reply(err.http_status, err.payload())
        if self.plan.action == "session_expired":
            err = Unauthorized("Invalid apikey")
            return json2.Reply(401, err.payload(), headers={"WWW-Authenticate": "Bearer "})
        try:
            return json2.handle_call(self.db, model, method, self._headers(), body)
        except Exception as exc:
            log.exception("JSON-2 call failed")
            err = from_exception(exc)
            return json2.Reply(err.http_status, err.payload())

    def _headers(self) -> dict[str, str]:
        return {k.lower(): v for k, v in self.headers.items()}

    def _reply(self, reply: json2.Reply) -> None:
        if reply.html is not None:
            self._html(reply.status, reply.html)
        else:
            self.send_json(reply.status, reply.body, reply.headers)

    def _html(self, status: int, text: str) -> None:
        self.send(status, "text/html; charset=utf-8", text.encode(), {})


def odoo_handler(db: Database) -> type[OdooHandler]:
    """A handler class bound to one database."""
    return type("BoundOdooHandler", (OdooHandler,), {"db": db})
