"""The 3PL's inbox and the bank's export: complete files only, in the documented formats."""

from __future__ import annotations

import csv
import datetime as dt
import re
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from support.systems_world import systems_store

from demo_world.faults import Faults
from demo_world.store import Store
from demo_world.systems import files
from demo_world.systems.bank import BankExporter
from demo_world.systems.wms import SNAPSHOT_DAYS, WmsDropper

AS_OF = dt.datetime(2026, 3, 31, 23, 59, 59)


@pytest.fixture(scope="module")
def store(systems_tables: Store) -> Store:
    return systems_tables


def read_csv(path: Path, delimiter: str = ",", encoding: str = "utf-8") -> list[dict[str, str]]:
    with open(path, newline="", encoding=encoding) as f:
        return list(csv.DictReader(f, delimiter=delimiter))


def test_wms_history_uses_3pl_item_codes_and_is_bounded(store, tmp_path) -> None:
    dropper = WmsDropper(store, tmp_path)
    assert dropper.drop_history(AS_OF) > 0
    aliases = {r["wms_sku"]: r["sku"] for r in store.query("SELECT * FROM wms_sku_aliases")}
    stock = [row for p in sorted(tmp_path.glob("stock_*.csv")) for row in read_csv(p)]
    assert stock and {r["item_code"] for r in stock} <= set(aliases)
    oldest = min(r["snapshot_at"] for r in stock)
    assert oldest > (AS_OF - dt.timedelta(days=SNAPSHOT_DAYS)).strftime("%Y-%m-%dT%H:%M:%SZ")
    for path in tmp_path.glob("stock_*.csv"):  # a file holds its hour's snapshot only
        hour = path.stem.removeprefix("stock_")
        assert {
            r["snapshot_at"][:13].replace("-", "").replace("T", "") for r in read_csv(path)
        } == {hour}
    items = read_csv(next(tmp_path.glob("items_*.csv")))
    assert {r["item_code"]: r["client_sku"] for r in items} == aliases


def test_wms_confirmations_all_delivered_once_then_live(store, tmp_path) -> None:
    dropper = WmsDropper(store, tmp_path)
    dropper.drop_history(AS_OF)
    confirmed = [row for p in tmp_path.glob("confirmations_*.csv") for row in read_csv(p)]
    truth = store.query("SELECT confirmation_id, status_code FROM wms_confirmations")
    assert sorted(r["confirmation_id"] for r in confirmed) == sorted(
        r["confirmation_id"] for r in truth
    )
    assert {r["status_code"] for r in confirmed} == {r["status_code"] for r in truth}
    # a restart leaves delivered files alone, and nothing new means no new file
    again = WmsDropper(store, tmp_path)
    assert again.drop_history(AS_OF) == 0
    assert dropper.drop_until(AS_OF + dt.timedelta(minutes=5)) == 0


def test_a_reader_never_sees_a_partial_file(tmp_path, monkeypatch) -> None:
    # GIVEN a writer that stalls halfway through each file
    lines = ["a,b"] + [f"{i},{i * 2}" for i in range(2000)]
    real_open = open

    def slow_open(path, *args, **kwargs):
        handle = real_open(path, *args, **kwargs)
        real_write = handle.write

        def write(text: str) -> int:
            n = real_write(text[: len(text) // 2])
            handle.flush()
            time.sleep(0.2)  # a reader polls meanwhile
            return n + real_write(text[len(text) // 2 :])

        handle.write = write
        return handle

    monkeypatch.setattr(files, "open", slow_open, raising=False)
    seen: list[tuple[str, int]] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            for path in tmp_path.glob("*.csv"):
                seen.append((path.name, len(read_csv(path))))

    thread = threading.Thread(target=reader)
    thread.start()
    # WHEN three files are delivered
    for k in range(3):
        assert files.deliver(tmp_path / f"confirmations_20260331000{k}.csv", lines)
    stop.set()
    thread.join()
    # THEN every read of a final name was complete, and no temp name is left behind
    assert seen and all(n == 2000 for _, n in seen)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"confirmations_20260331000{k}.csv" for k in range(3)
    ]


def test_bank_statements_parse_with_the_documented_format(store, tmp_path) -> None:
    exporter = BankExporter(store, tmp_path)
    assert exporter.drop_until(AS_OF) > 0
    truth = store.query("SELECT * FROM bank_lines ORDER BY bank_line_ref")
    days = {r["booking_date"][:10] for r in truth}
    assert {p.name for p in tmp_path.iterdir()} == {f"statement_{d}.csv" for d in days}
    parsed = {}
    for path in tmp_path.glob("statement_*.csv"):
        rows = read_csv(path, delimiter=";", encoding="cp1252")
        trailer = rows.pop()
        assert (trailer["bank_line_ref"], trailer["account_iban"]) == ("TRAILER", str(len(rows)))
        total = sum(Decimal(r["amount"].replace(".", "").replace(",", ".")) for r in rows)
        assert Decimal(trailer["booking_date"].replace(".", "").replace(",", ".")) == total
        for row in rows:
            day = dt.datetime.strptime(row["booking_date"], "%d.%m.%Y").date()
            assert path.name == f"statement_{day}.csv"
            assert re.fullmatch(r"-?\d{1,3}(\.\d{3})*,\d{2}", row["amount"]), row["amount"]
            parsed[row["bank_line_ref"]] = row
    assert sorted(parsed) == [r["bank_line_ref"] for r in truth]
    for r in truth:
        row = parsed[r["bank_line_ref"]]
        amount = Decimal(row["amount"].replace(".", "").replace(",", "."))
        assert float(amount) == pytest.approx(r["amount"], abs=0.005)
        assert (row["counterparty_name"], row["remittance_info"]) == (
            r["counterparty_name"],
            r["remittance_info"],
        )
    assert exporter.drop_until(AS_OF + dt.timedelta(days=1)) == 0  # nothing new booked


def test_malformed_rows_at_the_configured_rate(store, tmp_path) -> None:
    injector = Faults.parse('{"malformed_row_rate": 0.3, "seed": 5}').injector("bank")
    lines = ["ref;amount;currency"] + [f"B{i};{i}.00;USD" for i in range(1000)]
    out = injector.malform(lines, ";")
    assert out[0] == lines[0]
    broken = sum(1 for a, b in zip(lines, out, strict=True) if a != b)
    assert 240 <= broken <= 360
    again = Faults.parse('{"malformed_row_rate": 0.3, "seed": 5}').injector("bank")
    assert again.malform(lines, ";") == out  # deterministic per seed


def test_live_drops_deliver_what_came_due(tmp_path) -> None:
    # GIVEN the history delivered from a store of our own
    store = Store(systems_store(tmp_path / "world"), readonly=False)
    inbox, export = tmp_path / "inbox", tmp_path / "bank"
    wms, bank = WmsDropper(store, inbox), BankExporter(store, export)
    wms.drop_history(AS_OF)
    bank.drop_until(AS_OF)
    before = {p.name for p in [*inbox.iterdir(), *export.iterdir()]}
    # WHEN the business goes on: a snapshot, a confirmation, a bank booking on April 1st
    with store.connection() as conn, conn:
        snapshot = conn.execute("SELECT * FROM wms_stock_snapshots LIMIT 1").fetchone()
        conn.execute(
            "INSERT INTO wms_stock_snapshots VALUES (?, ?, ?, ?, ?, ?)",
            ("2026-04-01 09:00:00", *snapshot[1:]),
        )
        confirmation = conn.execute("SELECT * FROM wms_confirmations LIMIT 1").fetchone()
        conn.execute(
            f"INSERT INTO wms_confirmations VALUES ({', '.join('?' * len(confirmation))})",
            ("CNF-LIVE", *confirmation[1:-1], "2026-04-01 09:30:00"),
        )
        line = conn.execute("SELECT * FROM bank_lines LIMIT 1").fetchone()
        conn.execute(
            f"INSERT INTO bank_lines VALUES ({', '.join('?' * len(line))})",
            ("BNK-LIVE", line[1], "2026-04-01", "2026-04-01", *line[4:]),
        )
    # THEN only closed periods are delivered: the 09:00 hour at 10:05, April 1st after midnight
    now = dt.datetime(2026, 4, 1, 10, 5)
    assert wms.drop_until(now) == 2 and bank.drop_until(now) == 0
    assert bank.drop_until(dt.datetime(2026, 4, 2, 0, 0, 30)) == 1
    new = {p.name for p in [*inbox.iterdir(), *export.iterdir()]} - before
    assert new == {
        "stock_2026040109.csv",
        "confirmations_202604011005.csv",
        "statement_2026-04-01.csv",
    }
    assert [r["confirmation_id"] for r in read_csv(inbox / "confirmations_202604011005.csv")] == [
        "CNF-LIVE"
    ]
    store.close()
