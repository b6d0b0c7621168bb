"""Run the dbt project (staging -> marts) in-process against one warehouse.

The Airflow dbt task and the `hub` CLI both call :func:`dbt_build`. It runs dbt through
``dbtRunner`` rather than a subprocess so a build does not pay interpreter start-up and
imports each time, and it keeps dbt's artefacts (``target/``, ``logs/``) under the
caller's ``home`` so the repository stays clean and parallel runs in different homes
never share a partial-parse cache.

dbt is not re-entrant: one process must not run two dbt commands at once (dbt keeps
global flags, adapters and logging). :func:`dbt_build` therefore holds a module lock for
the whole call; concurrent builds need separate processes (Airflow tasks already are).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reporting_hub.settings import REPO_ROOT, redact_url

DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
ENV_VARS = ("HUB_PG_HOST", "HUB_PG_PORT", "HUB_PG_USER", "HUB_PG_PASSWORD", "HUB_PG_DBNAME")
FAILED_STATUSES = frozenset({"error", "fail", "runtime error"})

_DBT_LOCK = threading.Lock()


class DbtFailed(RuntimeError):
    """dbt did not finish cleanly; `failures` holds (node name, message) per failing node."""

    def __init__(self, failures: list[tuple[str, str]], summary: str | None = None) -> None:
        self.failures = failures
        lines = [summary or f"dbt build failed: {len(failures)} node(s) failed"]
        lines += [f"  {name}: {message}" for name, message in failures]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class DbtResult:
    """What a successful build did: node counts by status and type, and how long it took."""

    elapsed_seconds: float
    by_status: dict[str, int]
    by_type: dict[str, int]
    warnings: list[str] = field(default_factory=list)
    target_path: Path | None = None

    @property
    def nodes(self) -> int:
        return sum(self.by_status.values())


def dbt_args_env(warehouse_url: str) -> dict[str, str]:
    """The HUB_PG_* variables dbt_project/profiles.yml reads, from a PostgreSQL URL.

    Accepts ``postgresql://user:pw@host:port/db`` and libpq's query form for a Unix
    socket, ``postgresql://user@/db?host=/socket/dir``. Use it to run dbt by other means
    (a subprocess, astronomer-cosmos) with the same profile as :func:`dbt_build`.
    """
    from psycopg.conninfo import conninfo_to_dict

    try:
        params = conninfo_to_dict(warehouse_url)
    except Exception as exc:  # psycopg raises ProgrammingError with libpq's reason
        raise ValueError(f"not a PostgreSQL URL: {redact_url(warehouse_url)} ({exc})") from exc
    missing = [key for key in ("host", "user", "dbname") if not params.get(key)]
    if missing:
        raise ValueError(f"warehouse URL {redact_url(warehouse_url)} lacks {', '.join(missing)}")
    return {
        "HUB_PG_HOST": str(params["host"]),
        "HUB_PG_PORT": str(params.get("port") or 5432),
        "HUB_PG_USER": str(params["user"]),
        "HUB_PG_PASSWORD": str(params.get("password") or ""),
        "HUB_PG_DBNAME": str(params["dbname"]),
    }


def dbt_build(
    select: list[str] | None,
    warehouse_url: str,
    home: Path,
    *,
    exclude: list[str] | None = None,
    project_dir: Path = DBT_PROJECT_DIR,
) -> DbtResult:
    """Run `dbt build` (models, tests, unit tests) in-process; raise DbtFailed on any failure.

    `select` takes dbt selectors (``["+fct_inventory_positions"]``); None builds all;
    `exclude` removes nodes from the selection (``["source:odoo.stock_quant+"]``).
    Artefacts go to ``home/dbt/target`` and ``home/dbt/logs``; reusing a home reuses
    dbt's partial-parse cache. Thread-safe by serialising: see the module docstring.
    """
    home = Path(home)
    target_path = home / "dbt" / "target"
    log_path = home / "dbt" / "logs"
    args = [
        "build",
        "--project-dir", str(project_dir),
        "--profiles-dir", str(project_dir),
        "--target-path", str(target_path),
        "--log-path", str(log_path),
        "--log-level", "warn",
        "--no-use-colors",
    ]  # fmt: skip
    if select:
        args += ["--select", *select]
    if exclude:
        args += ["--exclude", *exclude]
    env = dbt_args_env(warehouse_url)
    with _DBT_LOCK, _environ(env):
        from dbt.cli.main import dbtRunner

        started = time.perf_counter()
        try:
            outcome = dbtRunner().invoke(args)
        finally:
            _close_log_files(log_path)
        elapsed = time.perf_counter() - started
    return _result(outcome, elapsed, target_path)


def _result(outcome: Any, elapsed: float, target_path: Path) -> DbtResult:
    """Turn a dbtRunnerResult into a DbtResult, or DbtFailed naming what failed."""
    if outcome.exception is not None:
        raise DbtFailed([], f"dbt build could not run: {outcome.exception}")
    results = list(getattr(outcome.result, "results", None) or [])
    failures = [
        (r.node.name, (r.message or str(r.status)).strip())
        for r in results
        if _status(r) in FAILED_STATUSES
    ]
    if failures or not outcome.success:
        raise DbtFailed(failures)
    return DbtResult(
        elapsed_seconds=round(elapsed, 3),
        by_status=dict(Counter(_status(r) for r in results)),
        by_type=dict(Counter(str(r.node.resource_type) for r in results)),
        warnings=[r.node.name for r in results if _status(r) == "warn"],
        target_path=target_path,
    )


def _status(run_result: Any) -> str:
    status = run_result.status
    return str(getattr(status, "value", status))


@contextmanager
def _environ(values: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of a dbt call, then restore them."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _close_log_files(log_path: Path) -> None:
    """Close dbt's dbt.log handle: dbt drops it unclosed on the next call (one fd per build)."""
    prefix = str(log_path.resolve())
    for logger in list(logging.Logger.manager.loggerDict.values()):
        if not isinstance(logger, logging.Logger):
            continue
        for handler in list(logger.handlers):
            if isinstance(handler, logging.FileHandler) and handler.baseFilename.startswith(prefix):
                logger.removeHandler(handler)
                handler.close()
