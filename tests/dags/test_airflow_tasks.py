"""Task bodies: schedules from the environment, and a failed gate that fails fast."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from airflow.sdk.exceptions import AirflowFailException

from reporting_hub.orchestration import tasks as airflow_tasks
from reporting_hub.orchestration.schedules import schedule_from_env


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, timedelta(minutes=5)),
        ("", timedelta(minutes=5)),
        ("300", timedelta(minutes=5)),
        ("90s", timedelta(seconds=90)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("1d", timedelta(days=1)),
        ("*/10 * * * *", "*/10 * * * *"),
        ("@hourly", "@hourly"),
        ("none", None),
    ],
)
def test_schedule_from_env_accepts_durations_crons_and_none(value, expected):
    assert schedule_from_env(value, "5m") == expected


def test_a_failed_gate_fails_the_task_without_retries(monkeypatch):
    # GIVEN a batch whose quality gate fails
    from reporting_hub import pipeline
    from reporting_hub.quality.gate import GateFailed, GateResult

    result = GateResult(
        stream="odoo.stock_quant",
        batch_id="b1",
        suite="odoo_stock_quant",
        success=False,
        evaluated=4,
        failed=1,
        failures=["product_id unknown"],
    )

    def failing_gate(batch, settings):
        raise GateFailed(result)

    monkeypatch.setattr(pipeline, "validate", failing_gate)
    monkeypatch.setattr(
        airflow_tasks, "settings", lambda need_odoo=True: SimpleNamespace(warehouse_url="x")
    )
    # WHEN the validate task runs, THEN Airflow is told not to retry (AirflowFailException)
    with pytest.raises(AirflowFailException, match="product_id unknown"):
        airflow_tasks.validate.function({"stream": "odoo.stock_quant", "batch_id": "b1"})


def test_a_gate_whose_targets_never_published_waits_and_retries(monkeypatch):
    # GIVEN a payment batch whose invoices (another DAG's stream) never published
    from reporting_hub import pipeline
    from reporting_hub.ops import stream_state

    def not_yet(batch, settings):
        raise stream_state.TargetsNotPublished(f"{batch['stream']} references odoo.account_move")

    monkeypatch.setattr(pipeline, "validate", not_yet)
    monkeypatch.setattr(
        airflow_tasks, "settings", lambda need_odoo=True: SimpleNamespace(warehouse_url="x")
    )
    # WHEN the validate task runs, THEN it fails with an error Airflow retries
    with pytest.raises(stream_state.TargetsNotPublished) as raised:
        airflow_tasks.validate.function({"stream": "odoo.account_payment", "batch_id": "b1"})
    assert not isinstance(raised.value, AirflowFailException)
