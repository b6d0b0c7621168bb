"""Partners' delivery habits in the demo world: on by preset or knob, the same for a seed.

GIVEN the tiny world's store, WHEN the bank, the 3PL and the carrier deliver with habits,
THEN the files and feed pages carry exactly the habits asked for, and nothing else changes.
"""

from __future__ import annotations

import codecs
import datetime as dt
from collections import Counter

import pytest

from demo_world.habits import DeliveryHabits, Habits
from demo_world.store import Store
from demo_world.systems.bank import BankExporter
from demo_world.systems.carrier import REPEATED, read_events
from demo_world.systems.wms import WmsDropper

AS_OF = dt.datetime(2026, 3, 31, 23, 59, 59)


@pytest.fixture(scope="module")
def store(systems_tables: Store) -> Store:
    return systems_tables


def habits(system: str, text: str) -> Habits:
    return DeliveryHabits.parse(text, seed=7301).of(system)


def test_presets_and_knobs_parse_and_mistakes_are_named():
    realistic = DeliveryHabits.parse("realistic", seed=1)
    assert realistic.of("bank").every_day and realistic.of("wms").in_place_rate > 0
    assert DeliveryHabits.parse(None).of("bank") == Habits()
    tuned = DeliveryHabits.parse('{"preset": "realistic", "bank": {"correction_rate": 1}}')
    assert tuned.of("bank").correction_rate == 1 and tuned.of("bank").every_day
    for text, message in (
        ("fancy", "unknown habits preset 'fancy'"),
        ('{"shop": {}}', "unknown system"),
        ('{"bank": {"typo_rate": 1}}', "bank: unknown habit"),
        ('{"bank": {"repeat_rate": 2}}', "bank.repeat_rate must be between 0 and 1"),
        ('{"wms": {"encodings": {"latin9": 1}}}', "wms.encodings: latin9"),
    ):
        with pytest.raises(ValueError, match=message):
            DeliveryHabits.parse(text)


def test_the_seed_decides_each_files_encoding_the_same_way_every_time():
    mix = '{"bank": {"encodings": {"cp1252": 1, "utf-16": 1, "utf-8-sig": 1}}}'
    one, again = habits("bank", mix), habits("bank", mix)
    names = [f"statement_2026-03-{d:02}.csv" for d in range(1, 31)]
    drawn = [one.encoding("cp1252", n) for n in names]
    assert drawn == [again.encoding("cp1252", n) for n in names]
    assert set(Counter(drawn)) == {"cp1252", "utf-16", "utf-8-sig"}
    other = DeliveryHabits.parse(mix, seed=7302).of("bank")
    assert drawn != [other.encoding("cp1252", n) for n in names]


def head(path) -> bytes:
    return path.read_bytes()[:3]


def test_bank_files_carry_their_bom_and_every_day_gets_a_statement(store, tmp_path):
    exporter = BankExporter(
        store,
        tmp_path,
        habits=habits("bank", '{"bank": {"every_day": true, "encodings": {"utf-16": 1}}}'),
    )
    exporter.drop_until(AS_OF)
    files = sorted(tmp_path.glob("statement_*.csv"))
    booked = {
        r["day"]
        for r in store.query("select distinct substr(booking_date, 1, 10) day from bank_lines")
    }
    days = (max(booked) > min(booked)) and [f.name[10:20] for f in files]
    assert set(days) >= booked and len(days) == len(set(days)) > len(booked)  # empty days too
    assert all(head(f).startswith(codecs.BOM_UTF16_LE) for f in files)
    empty = [f for f in files if f.name[10:20] not in booked]
    assert empty[0].read_text(encoding="utf-16").splitlines()[1] == "TRAILER;0;0,00"


def test_a_botched_day_is_resent_corrected_the_next_morning(store, tmp_path):
    exporter = BankExporter(
        store, tmp_path, habits=habits("bank", '{"bank": {"correction_rate": 1}}')
    )
    exporter.drop_until(AS_OF)
    last = sorted(tmp_path.glob("statement_????-??-??.csv"))[-1]
    corrected = last.with_name(last.name.replace(".csv", "_v2.csv"))
    assert not corrected.exists()
    wrong = last.read_text(encoding="cp1252").splitlines()
    assert wrong[-2].split(";")[0].endswith("-DUP")

    assert exporter.drop_until(AS_OF + dt.timedelta(hours=9, seconds=1)) == 1
    right = corrected.read_text(encoding="cp1252").splitlines()
    assert len(right) == len(wrong) - 1 and not any("-DUP;" in line for line in right)


def test_the_feed_resends_and_garbles_events_but_still_delivers_each(store):
    repeat = habits("carrier", '{"carrier": {"repeat_rate": 1}}')
    first, after, _ = read_events(store, 0, 10, repeat)
    second, _, _ = read_events(store, after, 10, repeat)
    assert [e["event_id"] for e in second[:REPEATED]] == [e["event_id"] for e in first[-REPEATED:]]
    assert len(second) == 10 + REPEATED

    garble = habits("carrier", '{"carrier": {"conflict_rate": 1}}')
    events, _, _ = read_events(store, 0, 5, garble)
    assert len(events) == 10
    for right, wrong in zip(events[::2], events[1::2], strict=True):
        assert right["event_id"] == wrong["event_id"] and right != wrong
        assert {k for k in right if right[k] != wrong[k]} == {"occurred_at", "location"}


def test_live_3pl_files_may_be_written_in_place_history_never(store, tmp_path, monkeypatch):
    from demo_world.systems import files

    written: list[bool] = []
    real = files._write_growing
    monkeypatch.setattr(
        files, "_write_growing", lambda path, data: (written.append(True), real(path, data))
    )
    monkeypatch.setattr(files, "IN_PLACE_PAUSE_S", 0)
    dropper = WmsDropper(store, tmp_path, habits=habits("wms", '{"wms": {"in_place_rate": 1}}'))
    dropper.drop_history(AS_OF)
    assert written == []  # history was delivered long ago: complete, and dated so
    assert all(p.stat().st_mtime < dt.datetime.now().timestamp() - 59 for p in tmp_path.iterdir())
