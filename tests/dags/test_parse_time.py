"""DAG files do no work at parse time: no network, no processes, no heavy imports.

The DAG processor re-parses every file every few seconds in every deployment; a DAG
that opens a connection or imports GX there slows or breaks the whole scheduler. Each
file is parsed in a fresh interpreter (so nothing imported by other tests can hide an
import), with network connects patched to raise and process spawns audited.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY_MODULES = ("great_expectations", "pandas", "odoorpc", "odoolib", "dbt", "psycopg", "psycopg2")

PARSE_IN_ISOLATION = r"""
import json, socket, sys

def refuse(*args, **kwargs):
    raise ConnectionRefusedError("network access while parsing a DAG file")

socket.socket.connect = socket.socket.connect_ex = socket.create_connection = refuse

from airflow.dag_processing.dagbag import DagBag  # the framework's own start-up is not under test

spawned = []
sys.addaudithook(lambda event, args: event in ("subprocess.Popen", "os.system", "os.exec")
                 and spawned.append(f"{event} {args[0]!r}"))
bag = DagBag(dag_folder=sys.argv[1])
print(json.dumps({
    "errors": {str(k): v for k, v in bag.import_errors.items()},
    "dags": {dag_id: str(dag.timetable) for dag_id, dag in bag.dags.items()},
    "modules": sorted({name.split(".")[0] for name in sys.modules}),
    "spawned": spawned,
}))
"""


def parse_in_isolation(dag_file: Path, env: dict[str, str]) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", PARSE_IN_ISOLATION, str(dag_file)],
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def dag_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.py") if not p.name.startswith("_"))


@pytest.fixture(scope="module")
def parsed(dags_folder, isolated_airflow_env, tmp_path_factory) -> dict[str, dict]:
    env = isolated_airflow_env(tmp_path_factory.mktemp("airflow-home"))
    return {p.name: parse_in_isolation(p, env) for p in dag_files(dags_folder)}


def test_dag_files_import_with_the_network_cut_off(parsed):
    for name, result in parsed.items():
        assert result["errors"] == {}, name
        assert result["dags"], f"{name} defines no DAG"


def test_parsing_starts_no_process(parsed):
    for name, result in parsed.items():
        assert result["spawned"] == [], name


def test_parsing_imports_no_heavy_library(parsed):
    for name, result in parsed.items():
        assert not set(HEAVY_MODULES) & set(result["modules"]), name


def test_operational_schedule_is_set_from_the_environment(
    dags_folder, isolated_airflow_env, tmp_path
):
    env = isolated_airflow_env(tmp_path)
    env["HUB_OPERATIONAL_SCHEDULE"] = "*/10 * * * *"
    result = parse_in_isolation(dags_folder / "operational_sync.py", env)
    assert "*/10 * * * *" in result["dags"]["operational_sync"]


def test_the_guards_catch_a_dag_file_that_does_work_at_parse_time(isolated_airflow_env, tmp_path):
    bad = tmp_path / "dags" / "bad_dag.py"
    bad.parent.mkdir()
    bad.write_text(
        "import socket, subprocess\n"
        "import pandas\n"
        "from airflow.sdk import dag\n"
        "subprocess.run(['true'])\n"
        "socket.create_connection(('127.0.0.1', 9))\n"
    )
    result = parse_in_isolation(bad, isolated_airflow_env(tmp_path, bad.parent))
    assert "network access while parsing" in "".join(result["errors"].values())
    assert result["spawned"] and "pandas" in result["modules"]
