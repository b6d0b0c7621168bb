"""Find or start the warehouse PostgreSQL when WAREHOUSE_URL is not set.

Order: a server on 127.0.0.1:5432 that answers; else an embedded server in a
project-local folder, from the machine's PostgreSQL binaries or the `pgserver`
package. If none can be had, say in one sentence what to install.
"""

from __future__ import annotations

import glob
import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

log = logging.getLogger(__name__)
DATABASE = "reporting_hub"
LOCAL_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
EMBEDDED_PORT = 55432
OS_USER = "hub_pg"


class NoWarehouse(RuntimeError):
    """No PostgreSQL could be found or started."""


def locate_warehouse(home: Path, database: str = DATABASE) -> str:
    """A URL for `database` on the first PostgreSQL that can be had; creates the database."""
    server = server_url(home)
    ensure_database(server, database)
    return with_database(server, database)


def server_url(home: Path, local_server: str = LOCAL_SERVER) -> str:
    """An admin URL (database `postgres`) of a running server, starting one if needed."""
    if _answers(local_server):
        return local_server
    for start in (_start_machine_binaries, _start_pgserver):
        url = start(home / "pg")
        if url:
            return url
    raise NoWarehouse(
        "No PostgreSQL found: set WAREHOUSE_URL, run a server on 127.0.0.1:5432, "
        "or install one (`apt-get install postgresql` or `pip install pgserver`)."
    )


def with_database(url: str, database: str) -> str:
    """The same server URL pointing at another database (keeps ?host= socket params)."""
    base, sep, query = url.partition("?")
    head, _, _ = base.rpartition("/")
    return f"{head}/{database}{sep}{query}"


def ensure_database(server: str, database: str) -> None:
    with psycopg.connect(server, autocommit=True) as conn:
        exists = conn.execute(
            "select 1 from pg_database where datname = %s", (database,)
        ).fetchone()
        if not exists:
            conn.execute(f'create database "{database}"')


def drop_database(server: str, database: str) -> None:
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{database}" with (force)')


def _answers(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=2):
            return True
    except psycopg.OperationalError:
        return False


def _start_machine_binaries(datadir: Path) -> str | None:
    """initdb + pg_ctl from the machine's PostgreSQL, listening on a project-local socket."""
    bindir = _postgres_bindir()
    if bindir is None:
        return None
    datadir = _reachable_datadir(datadir)
    url = f"postgresql://postgres@/postgres?host={datadir}&port={EMBEDDED_PORT}"
    if _answers(url):
        return url
    run_as = _unprivileged_prefix(datadir)
    if not (datadir / "PG_VERSION").exists():
        datadir.mkdir(parents=True, exist_ok=True)
        _chown(datadir)
        _run([*run_as, f"{bindir}/initdb", "-D", str(datadir), "-U", "postgres", "--auth=trust"])
    options = f"-p {EMBEDDED_PORT} -c listen_addresses='' -k {datadir}"
    log_file = datadir / "server.log"
    _run(
        [
            *run_as,
            f"{bindir}/pg_ctl",
            "-D",
            str(datadir),
            "-o",
            options,
            "-l",
            str(log_file),
            "-w",
            "start",
        ]
    )
    log.info("started embedded PostgreSQL in %s", datadir)
    return url


def stop_embedded(datadir: Path) -> bool:
    """Stop an embedded server started from the machine's binaries; False if none ran."""
    bindir = _postgres_bindir()
    datadir = _reachable_datadir(datadir)
    if bindir is None or not (datadir / "postmaster.pid").exists():
        return False
    run_as = _unprivileged_prefix(datadir)
    _run([*run_as, f"{bindir}/pg_ctl", "-D", str(datadir), "-m", "fast", "-w", "stop"])
    return True


def _start_pgserver(datadir: Path) -> str | None:
    try:
        import pgserver
    except ImportError:
        return None
    server = pgserver.get_server(str(datadir), cleanup_mode=None)
    return server.get_uri()


def _postgres_bindir() -> str | None:
    if shutil.which("initdb") and shutil.which("pg_ctl"):
        return str(Path(shutil.which("initdb")).parent)
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return str(Path(candidates[0]).parent) if candidates else None


def _unprivileged_prefix(datadir: Path) -> list[str]:
    """PostgreSQL refuses to run as root: run it as a dedicated OS user then."""
    if os.geteuid() != 0:
        return []
    if subprocess.run(["id", OS_USER], capture_output=True, check=False).returncode != 0:
        _run(["useradd", "--system", "--no-create-home", OS_USER])
    return ["runuser", "-u", OS_USER, "--"]


def _reachable_datadir(datadir: Path) -> Path:
    """The data folder, or a stand-in under /tmp when the server's OS user cannot reach it.

    As root the server runs as OS_USER, which cannot enter a private folder such as
    /root/<checkout>; the stand-in is named after the wanted path, so it is stable.
    """
    if os.geteuid() != 0:
        return datadir
    _unprivileged_prefix(datadir)
    parent = datadir.parent
    parent.mkdir(parents=True, exist_ok=True)
    probe = ["runuser", "-u", OS_USER, "--", "test", "-x", str(parent)]
    if subprocess.run(probe, capture_output=True, check=False).returncode == 0:
        return datadir
    digest = hashlib.sha1(str(datadir.resolve()).encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / f"reporting-hub-pg-{digest}"


def _chown(path: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, user=OS_USER)


def _run(cmd: list[str]) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise NoWarehouse(f"{' '.join(cmd[:4])} failed: {done.stderr.strip()[-500:]}")
