"""`hub sync` of every partner stream against a demo world with every partner habit on.

GIVEN the tiny world in its `realistic` delivery habits (statements in cp1252, UTF-16 and
UTF-8 with a BOM, empty days, botched first deliveries re-sent the next morning, repeated
and garbled copies, UTF-16 3PL files, an at-least-once carrier feed) and bookings with
umlauts and memos on two lines, WHEN `hub sync` runs every non-Odoo stream, a steward keeps
the right copy of each conflicting record and the corrections arrive, THEN raw equals what
every system holds.
"""

from __future__ import annotations

import datetime as dt

from support.connectors import SYSTEMS, fetch, german_bookings
from support.systems_truth import assert_raw_equals_the_systems, bank_truth, carrier_truth

from demo_world.store import Store
from demo_world.systems.reading import store_as_of
from reporting_hub import cli
from reporting_hub.ops import steward
from reporting_hub.ops.duplicate_choice import keep_copy

# How to find, among a key's held copies, the one the system itself recorded.
RIGHT_COPY = {
    "carrier.events": (
        "event_id",
        "location",
        lambda world: {r[0]: r[5] for r in carrier_truth(world)},
    ),
    "bank.statement_lines": (
        "bank_line_ref",
        "value_date::text",
        lambda world: {r[0]: r[3] for r in bank_truth(world)},
    ),
}


def keep_the_systems_copies(world, url: str) -> int:
    """Act as the steward: keep each held key's copy the system recorded (the published
    one when no held copy is), then release the batches."""
    kept = 0
    for stream, (key, column, truth_of) in RIGHT_COPY.items():
        truth, table = truth_of(world), f"quarantine.{stream.replace('.', '__')}"
        held = fetch(
            url,
            f"select _batch_id, {key}, {column}, _reasons -> 0 ->> 'copy', "
            f"_reasons -> 0 -> 'copies' -> 0 from {table} where _status = 'open' order by 1, 2, 4",
        )
        keys = {(batch, ref): first for batch, ref, _, _, first in held}
        for (batch, ref), first in keys.items():
            right = [
                c for b, r, value, c, _ in held if (b, r) == (batch, ref) and value == truth[ref]
            ]
            keep_copy(url, batch, right[0] if right else first, "the system's record", "steward")
            kept += 1
        for (batch,) in fetch(
            url, f"select distinct _batch_id from {table} where _status = 'open'"
        ):
            steward.release(url, batch, "the right copies kept", "steward")
    return kept


def test_hub_sync_with_every_partner_habit_on_leaves_raw_equal_to_the_systems(
    make_world, warehouse_url, tmp_path, monkeypatch, capsys
):
    world = make_world(habits="realistic", prepare=german_bookings)
    monkeypatch.setenv("WAREHOUSE_URL", warehouse_url)
    monkeypatch.setenv("DEMO_WORLD_DIR", str(tmp_path / "no-demo-world"))
    monkeypatch.setenv("SHOP_URL", world.shop_url)
    monkeypatch.setenv("SHOP_TOKEN", world.shop_token)
    monkeypatch.setenv("CARRIER_URL", world.carrier_url)
    monkeypatch.setenv("WMS_INBOX", str(world.wms_inbox))
    monkeypatch.setenv("BANK_EXPORT_DIR", str(world.bank_dir))

    assert cli.main(["sync", *SYSTEMS]) == 0
    skipped = dict(
        fetch(
            warehouse_url,
            "select status, count(*) from ops.file_ledger where status not in "
            "('published', 'landed') group by 1",
        )
    )
    assert {"blocked", "empty", "superseded"} <= set(skipped)
    encodings = {
        e for (e,) in fetch(warehouse_url, "select distinct encoding from ops.file_ledger")
    }
    assert {"cp1252", "utf-16", "utf-8-sig"} <= encodings
    assert keep_the_systems_copies(world, warehouse_url) > 0

    world.drop_until(store_as_of(Store(world.store_path)) + dt.timedelta(hours=9, seconds=1))
    assert cli.main(["sync", *SYSTEMS]) == 0
    keep_the_systems_copies(world, warehouse_url)

    assert_raw_equals_the_systems(world, warehouse_url)
    assert fetch(warehouse_url, "select count(*) from ops.dead_letter") == [(0,)]
    duplicates = fetch(warehouse_url, "select sum(rows_duplicate) from ops.sync_runs")
    assert duplicates[0][0] > 0
    out = capsys.readouterr().out
    assert "bank.statement_lines:" in out and "carrier.events:" in out
