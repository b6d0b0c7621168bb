"""File streams: each file once, temp files never, bad lines dead-lettered, crashes converge.

GIVEN the 3PL inbox and the bank export of a tiny demo world, WHEN files are re-delivered,
half-written, garbled or a run dies before publishing, THEN raw still equals the files.
"""

from __future__ import annotations

import shutil

import pytest
from support.connectors import CATALOG, csv_rows, fetch, settings_for

from reporting_hub import cli, pipeline
from reporting_hub.sources.values import TEXT_PARSERS

STOCK = "wms.stock_snapshots"
GARBLED = '{"wms": {"malformed_row_rate": 0.08, "seed": 5}, "bank": {"malformed_row_rate": 0.08}}'


def test_a_file_delivered_twice_loads_once_and_temp_files_are_ignored(world, hub):
    url = hub.warehouse_url
    pipeline.sync(STOCK, hub)
    first = sorted(world.wms_inbox.glob("stock_*.csv"))[0]
    shutil.copy(first, world.wms_inbox / "stock_2099010100.csv")  # same content, new name
    (world.wms_inbox / "stock_2099010101.csv.part").write_text("snapshot_at\ngarbage\n")
    (world.wms_inbox / "stock_2099010102.csv.tmp").write_text("snapshot_at\ngarbage\n")

    again = pipeline.sync(STOCK, hub)

    assert again["rows_landed"] == 0
    assert fetch(url, "select count(*) from raw.wms__stock_snapshots") == [
        (len(csv_rows(world.wms_inbox, "stock_2026*.csv")),)
    ]
    assert fetch(
        url,
        "select status, duplicate_of from ops.file_ledger where file_name = %s",
        ("stock_2099010100.csv",),
    ) == [("duplicate", first.name)]
    assert fetch(
        url,
        "select count(*) from ops.file_ledger where file_name like '%%.part' "
        "or file_name like '%%.tmp'",
    ) == [(0,)]


def test_a_crash_between_landing_and_publish_frees_the_files_and_a_rerun_converges(world, hub):
    url = hub.warehouse_url
    crashed = pipeline.extract(STOCK, hub)  # ... and the worker dies before the gate
    assert crashed["rows_landed"] > 0

    rerun = pipeline.sync(STOCK, hub)

    truth = len(csv_rows(world.wms_inbox, "stock_*.csv"))
    assert rerun["rows_published"] == truth
    assert fetch(url, "select count(*) from raw.wms__stock_snapshots") == [(truth,)]
    assert fetch(url, "select distinct batch_id, status from ops.file_ledger") == [
        (rerun["batch_id"], "published")
    ]
    assert fetch(
        url, "select status from ops.sync_runs where batch_id = %s", (crashed["batch_id"],)
    ) == [("failed",)]


def test_malformed_lines_are_dead_lettered_with_file_and_line_and_the_rest_publishes(
    make_world, warehouse_url, tmp_path
):
    world = make_world(GARBLED)
    hub = settings_for(world, warehouse_url, tmp_path / "hub")

    outcomes = pipeline.sync_many(["wms.confirmations", "bank.statement_lines"], hub, CATALOG)

    letters = fetch(warehouse_url, "select stream, origin, payload, error from ops.dead_letter")
    assert {stream for stream, *_ in letters} == {"wms.confirmations", "bank.statement_lines"}
    for _stream, origin, payload, _error in letters:
        name, _, number = origin.rpartition(":")
        folder = world.bank_dir if name.startswith("statement_") else world.wms_inbox
        assert (folder / name).read_text().splitlines()[int(number) - 1] == payload
    for outcome in outcomes:
        dead = sum(1 for s, *_ in letters if s == outcome["stream"])
        run = fetch(
            warehouse_url,
            "select rows_read, rows_dead_lettered, rows_published "
            "from ops.sync_runs where batch_id = %s",
            (outcome["batch_id"],),
        )
        assert run == [(outcome["rows_published"] + dead, dead, outcome["rows_published"])]
        assert outcome["rows_published"] > 0


@pytest.fixture
def garbled(make_world, warehouse_url, tmp_path, monkeypatch):
    """A world with garbled WMS files, synced once, and the CLI pointed at it."""
    world = make_world(GARBLED)
    hub = settings_for(world, warehouse_url, tmp_path / "hub")
    pipeline.sync("wms.confirmations", hub)
    monkeypatch.setenv("WAREHOUSE_URL", warehouse_url)
    monkeypatch.setenv("WMS_INBOX", str(world.wms_inbox))
    monkeypatch.setenv("DEMO_WORLD_DIR", str(tmp_path / "no-demo-world"))
    return hub


STRICT_NUMERIC = TEXT_PARSERS["numeric"]


def lenient_numeric(value):
    """The parser fix: a quantity with a unit ("12 pcs") is read as its number."""
    return STRICT_NUMERIC(str(value).removesuffix(" pcs"))


def test_dead_letter_replay_publishes_what_now_parses_and_counts_every_attempt(
    garbled, monkeypatch, capsys
):
    url = garbled.warehouse_url
    assert cli.main(["dead-letter", "list", "--stream", "wms.confirmations"]) == 0
    listed = capsys.readouterr().out
    open_letters = fetch(url, "select origin, payload from ops.dead_letter where status = 'open'")
    assert all(origin in listed for origin, _ in open_letters)
    units = [origin for origin, payload in open_letters if " pcs" in payload]
    assert units, "the fault seed garbles at least one quantity"
    monkeypatch.setitem(TEXT_PARSERS, "numeric", lenient_numeric)

    assert cli.main(["dead-letter", "replay", "--stream", "wms.confirmations"]) == 0

    out = capsys.readouterr().out
    assert f"wms.confirmations: {len(units)} replayed" in out
    replayed = fetch(
        url,
        "select origin, attempts, replayed_batch_id is not null from "
        "ops.dead_letter where status = 'replayed' order by origin",
    )
    assert replayed == [(origin, 2, True) for origin in sorted(units)]
    still = fetch(url, "select distinct attempts from ops.dead_letter where status = 'open'")
    assert still in ([(2,)], [])
    lineage = fetch(url, "select _source_file || ':' || _source_line from raw.wms__confirmations")
    assert set(units) <= {origin for (origin,) in lineage}
