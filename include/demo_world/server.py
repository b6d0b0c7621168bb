"""The demo Odoo's HTTP server: routes requests to the JSON-RPC and JSON-2 handlers.

`start_server(...)` generates (or reuses) the store and serves it in a background thread; the
returned `DemoWorld` has `.url`, `.api_key`, `.store_path` and `.stop()`. Port 0 picks a free port.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from . import json2, jsonrpc
from .errors import from_exception
from .generate import DEFAULT_SEED, api_key_for, ensure_world
from .models import load_registry
from .orm import Database
from .store import Store

log = logging.getLogger(__name__)
_JSON2 = re.compile(r"^/json/2/(?P<model>[\w.]+)/(?P<method>\w+)/?$")
_DOC = re.compile(r"^/doc-bearer/(?P<model>[\w.]+)\.json$")
_NOT_FOUND_HTML = (
    "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
    "<p>The requested URL was not found on the server. If you entered the URL manually please "
    "check your spelling and try again.</p>\n"
)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: clients reuse connections
    server_version = "Werkzeug/3.1.3"
    sys_version = "Python/3.12.3"
    server: _Server

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/web/webclient/version_info":
            self._json(200, jsonrpc.envelope(None, jsonrpc.VERSION_INFO))
        elif m := _DOC.match(path):
            self._reply(json2.handle_doc(self.server.db, m["model"], self._headers()))
        else:
            self._html(404, _NOT_FOUND_HTML)

    def do_POST(self) -> None:
        path = self.path.split("?", 1)[0]
        body = self._body()
        if path == "/jsonrpc":
            self._json(200, self._guarded(lambda: jsonrpc.handle(self.server.db, body), body))
        elif path == "/web/webclient/version_info":
            rid = body.get("id") if isinstance(body, dict) else None
            self._json(200, jsonrpc.envelope(rid, jsonrpc.VERSION_INFO))
        elif m := _JSON2.match(path):
            db, headers = self.server.db, self._headers()
            try:
                reply = json2.handle_call(db, m["model"], m["method"], headers, body)
            except Exception as exc:  # a bug must still answer like Odoo, not drop the socket
                log.exception("JSON-2 call failed")
                err = from_exception(exc)
                reply = json2.Reply(err.http_status, err.payload())
            self._reply(reply)
        else:
            self._html(404, _NOT_FOUND_HTML)

    # -- helpers ---------------------------------------------------------------------------

    def _guarded(self, fn: Any, body: Any) -> dict:
        try:
            return fn()
        except Exception as exc:
            log.exception("JSON-RPC call failed")
            rid = body.get("id") if isinstance(body, dict) else None
            return jsonrpc.envelope(rid, error=from_exception(exc))

    def _headers(self) -> dict[str, str]:
        return {k.lower(): v for k, v in self.headers.items()}

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw) if raw else {}
        except ValueError:
            return None

    def _reply(self, reply: json2.Reply) -> None:
        if reply.html is not None:
            self._html(reply.status, reply.html)
        else:
            self._json(reply.status, reply.body, reply.headers)

    def _json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        self._send(status, "application/json; charset=utf-8", data, headers or {})

    def _html(self, status: int, text: str) -> None:
        self._send(status, "text/html; charset=utf-8", text.encode(), {})

    def _send(self, status: int, ctype: str, data: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s - %s", self.address_string(), format % args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    db: Database


class DemoWorld:
    """A generated store served over HTTP; what tests and the CLI hold on to."""

    def __init__(
        self,
        state_dir: Path,
        seed: int = DEFAULT_SEED,
        scale: str = "demo",
        host: str = "127.0.0.1",
        port: int = 8069,
    ) -> None:
        self.seed, self.scale = seed, scale
        self.store_path = ensure_world(Path(state_dir), seed, scale)
        self.api_key = api_key_for(seed)
        self.store = Store(self.store_path, readonly=False)
        self.db = Database(self.store, load_registry())
        self._httpd = _Server((host, port), _Handler)
        self._httpd.db = self.db
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return self._httpd.server_address[0]

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> DemoWorld:
        """Serve in a daemon thread and return at once."""
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="demo-world-http", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)
        self.store.close()


def start_server(
    state_dir: Path,
    seed: int = DEFAULT_SEED,
    scale: str = "demo",
    host: str = "127.0.0.1",
    port: int = 8069,
) -> DemoWorld:
    """Generate or reuse the world for (seed, scale) and serve it in the background."""
    return DemoWorld(state_dir, seed, scale, host, port).start()
