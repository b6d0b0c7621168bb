"""Files as partners send them: encodings, empty files, control totals, corrections, in place.

GIVEN a tiny demo world whose bank and 3PL deliver with real partners' habits (cp1252,
UTF-8 with a BOM, UTF-16, 0-byte and empty statements, files cut short, corrections sent
the next morning as `_v2`, files written in place), WHEN the hub syncs the file streams,
THEN raw holds exactly what the partners hold, and every file it did not load is in the
file ledger with the reason.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import threading
import time
from contextlib import closing
from dataclasses import replace
from decimal import Decimal

from support.connectors import (
    CATALOG,
    bank_published,
    bank_source,
    fetch,
    german_bookings,
    settings_for,
)

from demo_world.store import Store
from demo_world.systems import files as delivery
from demo_world.systems.reading import store_as_of
from reporting_hub import pipeline
from reporting_hub.catalog import Catalog
from reporting_hub.ops.replay import replay

BANK = "bank.statement_lines"
NEXT_MORNING = dt.timedelta(hours=9, seconds=1)  # the bank re-sends corrected days by 09:00


def as_of(world) -> dt.datetime:
    return store_as_of(Store(world.store_path))


def the_last_day_comes_the_next_morning(world, hub) -> None:
    """Raw lacks only the last day, whose good version the bank sends the next morning."""
    last_day = str(as_of(world).date())
    before = [r for r in bank_source(world.store_path) if r[2] != last_day]
    assert bank_published(hub.warehouse_url) == before

    world.bank.drop_until(as_of(world) + NEXT_MORNING)
    pipeline.sync(BANK, hub)

    assert bank_published(hub.warehouse_url) == bank_source(world.store_path)


def ledger(url: str, status: str) -> list[tuple]:
    return fetch(
        url,
        "select file_name, reason, superseded_by from ops.file_ledger "
        "where stream = %s and status = %s order by 1",
        (BANK, status),
    )


def test_statements_in_cp1252_utf16_and_utf8_with_bom_publish_what_the_bank_booked(
    make_world, warehouse_url, tmp_path
):
    encodings = '{"bank": {"encodings": {"cp1252": 1, "utf-16": 1, "utf-8-sig": 1}}}'
    world = make_world(habits=encodings, prepare=german_bookings)
    hub = settings_for(world, warehouse_url, tmp_path / "hub")

    outcome = pipeline.sync(BANK, hub)

    assert bank_published(warehouse_url) == bank_source(world.store_path)
    assert outcome["rows_published"] == len(bank_source(world.store_path))
    used = fetch(
        warehouse_url,
        "select distinct encoding from ops.file_ledger where stream = %s and status = "
        "'published' order by 1",
        (BANK,),
    )
    assert used == [("cp1252",), ("utf-16",), ("utf-8-sig",)]
    assert fetch(warehouse_url, "select count(*) from ops.dead_letter") == [(0,)]


def confirmation_with_umlaut(store_path) -> None:
    with closing(sqlite3.connect(store_path)) as conn, conn:
        conn.execute(
            "update wms_confirmations set reference = 'Rücksendung ' || reference "
            "where confirmation_id = (select min(confirmation_id) from wms_confirmations)"
        )


def test_a_line_that_is_no_text_is_dead_lettered_with_its_bytes_never_published_as_u_fffd(
    make_world, warehouse_url, tmp_path
):
    # GIVEN a 3PL that (unannounced) writes cp1252, a stream without a declared fallback
    world = make_world(
        habits='{"wms": {"encodings": {"cp1252": 1}}}', prepare=confirmation_with_umlaut
    )
    hub = settings_for(world, warehouse_url, tmp_path / "hub")
    stream = "wms.confirmations"
    truth = Store(world.store_path).query(
        "select confirmation_id, reference from wms_confirmations order by 1"
    )
    odd = truth[0]

    outcome = pipeline.sync(stream, hub)

    # THEN the line with the umlaut is a dead letter with its file, line and exact bytes
    (letter,) = fetch(
        warehouse_url, "select origin, payload, error, payload_bytes from ops.dead_letter"
    )
    origin, payload, error, raw = letter
    name, _, number = origin.rpartition(":")
    line = (world.wms_inbox / name).read_bytes().split(b"\n")[int(number) - 1]
    assert bytes(raw) == line.rstrip(b"\r") and b"R\xfccksendung" in line
    assert "\\xfc" in payload and error.startswith("undecodable bytes: not UTF-8")
    assert outcome["rows_published"] == len(truth) - 1
    published = fetch(
        warehouse_url,
        "select count(*) from raw.wms__confirmations where reference like %s",
        ("%\ufffd%",),
    )
    assert published == [(0,)]

    # WHEN the stream declares the 3PL's code page and the letter is replayed
    declared = replace(
        CATALOG.get(stream),
        file_format=replace(CATALOG.get(stream).file_format, encoding="cp1252"),
    )
    catalog = Catalog({**CATALOG.streams, stream: declared})
    assert replay(stream, hub, catalog)["replayed"] == 1

    # THEN raw holds the reference as the 3PL wrote it
    assert fetch(
        warehouse_url,
        "select confirmation_id, reference from raw.wms__confirmations order by 1",
    ) == [(r["confirmation_id"], r["reference"]) for r in truth]
    assert odd["reference"].startswith("Rücksendung")


def test_empty_and_zero_byte_statements_are_recorded_and_skipped_and_the_stream_goes_on(
    make_world, warehouse_url, tmp_path
):
    # GIVEN a bank that exports every day (empty ones too) and whose job first writes 0 bytes
    world = make_world(habits='{"bank": {"every_day": true, "zero_byte_rate": 1}}')
    hub = settings_for(world, warehouse_url, tmp_path / "hub")

    first = pipeline.sync(BANK, hub)

    empty = ledger(warehouse_url, "empty")
    zero = {n for n, reason, _ in empty if reason == "0 bytes: nothing to read"}
    header_only = {
        n for n, reason, _ in empty if reason == "a header without rows (and its trailer)"
    }
    booked = {r[2] for r in bank_source(world.store_path)}
    assert zero == {f"statement_{day}.csv" for day in booked}
    assert header_only and header_only.isdisjoint(zero)
    assert len(empty) == len(zero) + len(header_only)
    assert all((world.bank_dir / n).stat().st_size == 0 for n in zero)
    alerts = fetch(
        warehouse_url, "select severity, message from ops.alerts where stream = %s", (BANK,)
    )
    assert len(alerts) == len(empty) and {s for s, _ in alerts} == {"warning"}
    assert first["rows_published"] > 0
    the_last_day_comes_the_next_morning(world, hub)


def test_a_statement_whose_control_totals_disagree_is_blocked_and_its_correction_loads(
    make_world, warehouse_url, tmp_path
):
    # GIVEN a bank whose first delivery of each day is cut short or loses a row
    world = make_world(habits='{"bank": {"truncated_rate": 0.5, "miscounted_rate": 0.5}}')
    hub = settings_for(world, warehouse_url, tmp_path / "hub")

    pipeline.sync(BANK, hub)

    # THEN each first delivery is blocked (or, cut right after its header like another one
    # was, a copy of a blocked file), the reason read from the file itself
    blocked = ledger(warehouse_url, "blocked")
    copies = fetch(
        warehouse_url,
        "select d.file_name, b.status from ops.file_ledger d join ops.file_ledger b "
        "on b.file_name = d.duplicate_of where d.status = 'duplicate'",
    )
    assert {s for _, s in copies} <= {"blocked"}
    first = {p.name for p in world.bank_dir.glob("statement_????-??-??.csv")}
    assert {n for n, _, _ in blocked} | {n for n, _ in copies} == first
    for name, reason, _ in blocked:
        lines = (world.bank_dir / name).read_text(encoding="cp1252").splitlines()
        if lines[-1].startswith("TRAILER;"):
            declared = int(lines[-1].split(";")[1])
            rows = len(lines) - 2  # the header and the trailer are no rows
            assert reason.startswith(
                f"TRAILER row (line {len(lines)}) says {declared} rows, the file has {rows}"
            )
        else:
            assert reason.startswith("no TRAILER row: a trailer closes every file")
    errors = fetch(
        warehouse_url,
        "select count(*) from ops.alerts where severity = 'error' and stream = %s",
        (BANK,),
    )
    assert errors == [(len(blocked),)]
    the_last_day_comes_the_next_morning(world, hub)


def test_a_corrected_statement_replaces_the_day_and_tombstones_the_booking_it_dropped(
    make_world, warehouse_url, tmp_path
):
    # GIVEN a bank that books each day wrongly first (a line twice, an amount off by 10)
    world = make_world(habits='{"bank": {"correction_rate": 1}}')
    hub = settings_for(world, warehouse_url, tmp_path / "hub")
    last = as_of(world).date()

    pipeline.sync(BANK, hub)

    # THEN the days corrected already load from their _v2 only; the last is published wrong
    superseded = ledger(warehouse_url, "superseded")
    assert {(n, by) for n, _, by in superseded} == {
        (p.name, p.name.replace(".csv", "_v2.csv"))
        for p in world.bank_dir.glob("statement_*_v2.csv")
        for p in [p.with_name(p.name.replace("_v2", ""))]
    }
    wrong = {r[0]: r for r in bank_published(warehouse_url)}
    duplicated = [ref for ref in wrong if ref.endswith("-DUP")]
    assert len(duplicated) == 1 and wrong[duplicated[0]][2] == str(last)

    # WHEN the correction arrives the next morning
    world.bank.drop_until(as_of(world) + NEXT_MORNING)
    again = pipeline.sync(BANK, hub)

    # THEN the booking it dropped is tombstoned, the amount corrected, raw equals the bank
    assert bank_published(warehouse_url) == bank_source(world.store_path)
    assert fetch(
        warehouse_url,
        "select _deleted_at is not null from raw.bank__statement_lines where bank_line_ref = %s",
        (duplicated[0],),
    ) == [(True,)]
    assert fetch(
        warehouse_url,
        "select rows_deleted from ops.sync_runs where batch_id = %s",
        (again["batch_id"],),
    ) == [(1,)]
    assert (f"statement_{last}.csv", None, f"statement_{last}_v2.csv") in ledger(
        warehouse_url, "superseded"
    )
    right = {r[0]: r for r in bank_source(world.store_path)}
    (changed,) = [ref for ref, row in wrong.items() if ref in right and row != right[ref]]
    assert wrong[changed][4] - right[changed][4] == Decimal(10)  # corrected; history keeps both
    amounts = fetch(
        warehouse_url,
        "select amount from raw.bank__statement_lines__history where bank_line_ref = %s "
        "order by _published_at",
        (changed,),
    )
    assert [a for (a,) in amounts] == [wrong[changed][4], right[changed][4]]


def test_a_file_written_in_place_is_read_only_once_it_has_stopped_growing(
    make_world, warehouse_url, tmp_path, monkeypatch, caplog
):
    # GIVEN a 3PL that writes its files in place, a piece every 0.6 s (under settle_seconds)
    monkeypatch.setattr(delivery, "IN_PLACE_PIECES", 8)
    monkeypatch.setattr(delivery, "IN_PLACE_PAUSE_S", 0.6)
    world = make_world(habits='{"wms": {"in_place_rate": 1}}')
    hub = settings_for(world, warehouse_url, tmp_path / "hub")
    stream = "wms.stock_snapshots"
    pipeline.sync(stream, hub)
    with closing(sqlite3.connect(world.store_path)) as conn, conn:
        conn.execute(
            "insert into wms_stock_snapshots select '2026-04-01 09:00:00', warehouse_code, "
            "wms_sku, location_code, qty_on_hand + 1, qty_allocated from wms_stock_snapshots "
            "where snapshot_at = (select max(snapshot_at) from wms_stock_snapshots)"
        )
        hour = conn.execute(
            "select count(*) from wms_stock_snapshots where snapshot_at = '2026-04-01 09:00:00'"
        ).fetchone()[0]
    growing = world.wms_inbox / "stock_2026040109.csv"
    writer = threading.Thread(target=world.wms.drop_until, args=(dt.datetime(2026, 4, 1, 10, 5),))
    writer.start()
    while not growing.exists():
        time.sleep(0.01)

    # WHEN the hub syncs while the file grows
    with caplog.at_level(logging.INFO, logger="reporting_hub.sources.files"):
        during = pipeline.sync(stream, hub)
    writer.join()

    # THEN it leaves the file for the next run, which reads it whole
    assert "still being written (stock_2026040109.csv)" in caplog.text
    assert during["rows_landed"] == 0
    assert fetch(
        warehouse_url, "select count(*) from ops.file_ledger where file_name = %s", (growing.name,)
    ) == [(0,)]
    after = pipeline.sync(stream, hub)
    assert after["rows_published"] == hour
    assert fetch(warehouse_url, "select count(*) from ops.dead_letter") == [(0,)]
    assert fetch(
        warehouse_url,
        "select count(*) from raw.wms__stock_snapshots where _source_file = %s",
        (growing.name,),
    ) == [(hour,)]
