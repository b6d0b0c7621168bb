"""docker-compose.yml describes the production-like stack and holds no secrets.

Structure is checked everywhere; the file is also validated by docker-compose itself
where it is installed (`apt-get install docker-compose`), with .env.example as its .env.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml
from support.isolation import REPO_ROOT

COMPOSE = REPO_ROOT / "docker-compose.yml"


def test_stack_has_warehouse_airflow_and_a_real_odoo():
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    for needed in (
        "postgres",
        "airflow-apiserver",
        "airflow-scheduler",
        "airflow-dag-processor",
        "airflow-triggerer",
        "odoo",
        "odoo-db",
    ):
        assert needed in services, needed
    assert services["odoo"]["image"].startswith("odoo:19")
    mounts = " ".join(str(v) for v in services["airflow-scheduler"].get("volumes", []))
    for folder in ("dags", "plugins", "include"):
        assert f"/{folder}" in mounts, folder


def test_secrets_come_from_the_environment_only():
    text = COMPOSE.read_text()
    for line in text.splitlines():
        match = re.match(r"\s*\w*(PASSWORD|SECRET|FERNET_KEY|API_KEY)\w*:\s*(\S+)", line)
        if match:
            assert match.group(2).startswith(("${", '"${')), line


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose not installed")
def test_docker_compose_accepts_the_file():
    done = subprocess.run(
        [
            "docker-compose",
            "--env-file",
            ".env.example",
            "-f",
            "docker-compose.yml",
            "config",
            "-q",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_celery_profile_adds_a_broker_and_workers_without_changing_the_default():
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    assert services["redis"]["profiles"] == ["celery"]
    assert services["airflow-worker"]["profiles"] == ["celery"]
    assert services["airflow-worker"]["command"] == "celery worker"
    executor = services["airflow-scheduler"]["environment"]["AIRFLOW__CORE__EXECUTOR"]
    assert executor == "${AIRFLOW_EXECUTOR:-LocalExecutor}"
