"""DAG test fixtures; the isolated Airflow itself is set up by tests/support/isolation.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support.isolation import DAGS_FOLDER, STUB_CONNECTIONS, airflow_env


@pytest.fixture(scope="session")
def dags_folder() -> Path:
    return DAGS_FOLDER


@pytest.fixture(scope="session")
def isolated_airflow_env():
    """A factory of environments for child processes: an Airflow of their own."""

    def make(home: Path, dags: Path = DAGS_FOLDER) -> dict[str, str]:
        return {**os.environ, **airflow_env(home, dags), **STUB_CONNECTIONS}

    return make


@pytest.fixture(scope="session")
def dagbag():
    """The repo's dags/ parsed once, as the DAG processor would."""
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS_FOLDER))
