"""The steward's commands and the alert webhook, against real PostgreSQL and a local HTTP server.

GIVEN quarantined batches, WHEN a steward runs `hub quarantine …` / `hub quality report`,
THEN they read as tables and decisions land in ops.steward_actions; alerts reach a
webhook when one is configured and never fail the gate when it is down.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, HTTPServer

import psycopg
import pytest

from reporting_hub.cli import main as hub
from reporting_hub.load.publish import publish_batch
from reporting_hub.ops.alerts import WEBHOOK_ENV, notify, raise_alert
from reporting_hub.quality.audit import audit_batch


@pytest.fixture
def webhook():
    """A tiny HTTP server on 127.0.0.1 that keeps every JSON body POSTed to it."""
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hooks/hub", received
    server.shutdown()
    server.server_close()


@pytest.fixture
def quarantined(catalog, land, quant, warehouse, monkeypatch, webhook):
    """A published quant batch with one row held for an unknown product; alerts to the hook."""
    url, _ = webhook
    monkeypatch.setenv(WEBHOOK_ENV, url)
    monkeypatch.setenv("WAREHOUSE_URL", warehouse)
    stream = replace(catalog.get("odoo.stock_quant"), row_failure_policy="quarantine")
    batch_id = land([*(quant(900_000 + i) for i in range(20)), quant(900_020, product_id=555)])
    audit_batch(stream, batch_id, warehouse)
    with psycopg.connect(warehouse) as conn:
        publish_batch(conn, stream, batch_id)
    return batch_id


def test_alert_is_posted_to_the_webhook(quarantined, webhook):
    # GIVEN the gate quarantined a row while a webhook was configured
    _, received = webhook
    # THEN the hook received the alert as JSON
    (alert,) = received
    assert alert["severity"] == "warning" and alert["batch_id"] == quarantined
    assert alert["stream"] == "odoo.stock_quant" and "1 of 21 rows" in alert["message"]


def test_webhook_down_is_logged_not_fatal(warehouse, caplog):
    # GIVEN an alert and a webhook nobody listens on
    with psycopg.connect(warehouse) as conn:
        alert = raise_alert(conn, "error", "odoo.stock_quant", None, "test alert")
    # WHEN it is sent
    delivered = notify(alert, "http://127.0.0.1:9/nowhere")
    # THEN it is not delivered, the failure is logged, and the alert row stays
    assert delivered is False
    assert "not delivered" in caplog.text
    with psycopg.connect(warehouse) as conn:
        assert conn.execute(
            "select message from ops.alerts where alert_id = %s", (alert.alert_id,)
        ).fetchone() == ("test alert",)


def test_list_show_release_and_report(quarantined, warehouse, capsys, monkeypatch):
    # WHEN a steward lists the quarantine
    assert hub(["quarantine", "list"]) == 0
    listing = capsys.readouterr().out
    # THEN the batch appears with its open row and its reason
    assert listing.splitlines()[0].split()[:4] == ["batch", "stream", "run", "open"]
    (line,) = [row for row in listing.splitlines() if quarantined in row]
    assert "odoo.stock_quant" in line and "product_id: unexpected_rows_expectation x1" in line

    # WHEN they look at the batch
    assert hub(["quarantine", "show", quarantined]) == 0
    shown = capsys.readouterr().out
    # THEN the failed check, the held row's key and the counts are shown
    assert "rows read 21, published 20, quarantined 1" in shown
    assert "unexpected_rows_expectation  product_id  row" in shown
    assert "900020" in shown

    # WHEN they release it, as $USER
    monkeypatch.setenv("USER", "steward-sam")
    assert hub(["quarantine", "release", quarantined, "--reason", "product 555 is real"]) == 0
    assert "1 rows of batch" in capsys.readouterr().out
    # THEN the decision is recorded with who and why, and the queue is empty
    with psycopg.connect(warehouse) as conn:
        assert conn.execute(
            "select action, actor, reason from ops.steward_actions where batch_id = %s",
            (quarantined,),
        ).fetchall() == [("release", "steward-sam", "product 555 is real")]
    assert hub(["quarantine", "list"]) == 0
    assert quarantined not in capsys.readouterr().out

    # WHEN they ask for the quality report
    assert hub(["quality", "report"]) == 0
    report = capsys.readouterr().out
    # THEN pass rates per stream and the (now empty) open quarantine are printed
    (quant_line,) = [row for row in report.splitlines() if row.startswith("odoo.stock_quant")]
    assert re.search(r"0% \(0/\d+\)", quant_line)  # gate runs with rows held never pass
    assert "open quarantine:" in report


def test_second_release_fails_with_a_clear_message(quarantined, capsys):
    assert hub(["quarantine", "release", quarantined, "--reason", "ok", "--by", "ann"]) == 0
    assert hub(["quarantine", "release", quarantined, "--reason", "ok", "--by", "ann"]) == 1
    assert "no open quarantined rows" in capsys.readouterr().err
