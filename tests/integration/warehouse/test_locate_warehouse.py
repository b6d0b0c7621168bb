"""Finding a warehouse on a machine with no server configured.

GIVEN no server answers on the usual address, WHEN the warehouse is located, THEN an
embedded PostgreSQL is started in the project folder, reused on the next call, and
the demo database exists on it.
"""

from __future__ import annotations

import glob
import shutil

import psycopg
import pytest

from reporting_hub.warehouse import locate

DEAD_SERVER = "postgresql://postgres@127.0.0.1:9/postgres"  # discard port: nothing listens

needs_binaries = pytest.mark.skipif(
    not (shutil.which("initdb") or glob.glob("/usr/lib/postgresql/*/bin/initdb")),
    reason="no PostgreSQL server binaries on this machine",
)


@needs_binaries
def test_falls_back_to_an_embedded_server_and_reuses_it(tmp_path, monkeypatch):
    home = tmp_path / "hub"
    monkeypatch.setattr(locate, "EMBEDDED_PORT", 55433)  # not the developer's own embedded one
    try:
        url = locate.server_url(home, local_server=DEAD_SERVER)
        assert "host=/" in url  # a Unix socket of its own, no TCP port opened
        assert locate.server_url(home, local_server=DEAD_SERVER) == url  # reused, not re-inited

        demo = locate.with_database(url, "reporting_hub")
        locate.ensure_database(url, "reporting_hub")
        with psycopg.connect(demo) as conn:
            assert conn.execute("select current_database()").fetchone() == ("reporting_hub",)
    finally:
        assert locate.stop_embedded(home / "pg")


def test_without_any_postgres_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(locate, "_postgres_bindir", lambda: None)
    monkeypatch.setattr(locate, "_start_pgserver", lambda datadir: None)
    with pytest.raises(locate.NoWarehouse, match="set WAREHOUSE_URL.*apt-get install postgresql"):
        locate.server_url(tmp_path, local_server=DEAD_SERVER)


def test_with_database_keeps_socket_parameters():
    url = "postgresql://postgres@/postgres?host=/srv/pg&port=55432"
    assert locate.with_database(url, "wh") == "postgresql://postgres@/wh?host=/srv/pg&port=55432"
    assert locate.with_database("postgresql://u:p@h:5/a", "b") == "postgresql://u:p@h:5/b"
