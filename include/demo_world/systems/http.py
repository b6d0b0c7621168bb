"""The HTTP plumbing every served system shares: a background server and a fault-aware handler.

Each system (Odoo, shop, carrier) only writes `route()`; this module reads the request body,
applies the system's fault plan (latency, 503, 429, hangs, dropped or truncated connections) and
sends answers with a Content-Length, keeping connections alive the way production servers do.
"""

from __future__ import annotations

import json
import logging
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from demo_world.faults import FaultConfig, Injector, Plan

log = logging.getLogger(__name__)
_GENERIC = ("error", "throttle", "timeout", "drop")


class Server(ThreadingHTTPServer):
    """A threaded server carrying its system's fault injector and a stop signal for hangs."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], handler: type, injector: Injector) -> None:
        super().__init__(address, handler)
        self.injector = injector
        self.stopping = threading.Event()


class Handler(BaseHTTPRequestHandler):
    """Base handler: subclasses implement `route(method, path, query)` and answer via `send`."""

    protocol_version = "HTTP/1.1"  # keep-alive: clients reuse connections
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms ACK stall
    server: Server
    body: bytes = b""
    plan: Plan = Plan()

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def route(self, method: str, path: str, query: dict[str, list[str]]) -> None:
        raise NotImplementedError

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.body = self.rfile.read(length) if length else b""  # read even when failing
        self.plan = self.server.injector.plan()
        if self.plan.delay_s:
            time.sleep(self.plan.delay_s)
        if self.plan.action in _GENERIC:
            self._fail(self.plan.action, self.server.injector.config)
            return
        url = urlsplit(self.path)
        self.route(method, url.path, parse_qs(url.query, keep_blank_values=True))

    def _fail(self, action: str, config: FaultConfig) -> None:
        if action == "error":
            self.send_json(503, {"error": "Service Unavailable"})
        elif action == "throttle":
            retry = {"Retry-After": f"{config.retry_after_s:.1f}"}
            self.send_json(429, {"errors": "Too Many Requests"}, retry)
        elif action == "timeout":
            self.server.stopping.wait(config.timeout_s)
            self._hang_up()
        else:
            self._hang_up()

    def _hang_up(self) -> None:
        """Reset the connection without a word, as a crashed worker or a proxy does."""
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    # -- answers ---------------------------------------------------------------------------

    def json_body(self) -> Any:
        """The request body as JSON; None when it is not JSON."""
        try:
            return json.loads(self.body) if self.body else {}
        except ValueError:
            return None

    def send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        self.send(status, "application/json; charset=utf-8", data, headers or {})

    def send(self, status: int, ctype: str, data: bytes, headers: dict[str, str]) -> None:
        """Answer with a Content-Length; a `truncate` plan cuts the body halfway and hangs up."""
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        if self.plan.action == "truncate":
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self._hang_up()
            return
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s - %s", self.address_string(), format % args)


class BackgroundServer:
    """One system's HTTP server running in a daemon thread; port 0 picks a free port."""

    def __init__(
        self, name: str, handler: type[Handler], host: str, port: int, injector: Injector
    ) -> None:
        self.name = name
        self.httpd = Server((host, port), handler, injector)
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return self.httpd.server_address[0]

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> BackgroundServer:
        self._thread = threading.Thread(
            target=self.httpd.serve_forever,
            kwargs={"poll_interval": 0.1},  # how long stop() waits for the loop to notice
            name=f"demo-world-{self.name}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.stopping.set()  # release handlers hanging on a timeout fault
        if self._thread:
            self.httpd.shutdown()
            self._thread.join(timeout=5)
        self.httpd.server_close()
