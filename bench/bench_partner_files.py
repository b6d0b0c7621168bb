"""What reading partners' files as they are costs: the file reader and the copies step.

Reader: `CsvFile.rows()` over a bank statement of 200,000 rows as the bank writes it
(`;`, `1.234,56`, `30.03.2026`, umlauts, every 20th memo on two lines), in cp1252 (no BOM:
each line tried as UTF-8, then the declared fallback) and in UTF-16, against a bare
baseline in the same run: `csv.reader` over the file opened in its known encoding, with
the same values converted by hand (what a script that trusts the file would do).
Copies: `settle_duplicates` on a landed batch of 100,000 carrier events, 1% of them sent
twice, against the COPY that landed the batch (its share of landing).
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

import psycopg

from reporting_hub.catalog import load_catalog
from reporting_hub.load.duplicates import settle_duplicates
from reporting_hub.load.landing import copy_rows
from reporting_hub.load.tables import ensure_tables
from reporting_hub.ops.runs import start_run
from reporting_hub.settings import REPO_ROOT
from reporting_hub.sources.csv_rows import CsvFile
from reporting_hub.sources.values import columns_of, source_columns
from reporting_hub.warehouse.locate import drop_database, ensure_database, server_url, with_database
from reporting_hub.warehouse.migrate import migrate

ROWS, EVENTS, COPIED = 200_000, 100_000, 0.01
HEADER = (
    "bank_line_ref;account_iban;booking_date;value_date;amount;currency;counterparty_name;"
    "remittance_info"
)


def statement(path: Path, encoding: str) -> Path:
    lines = [HEADER]
    for i in range(ROWS):
        memo = f'"INV/2026/{i:05d}\nDanke schön"' if i % 20 == 0 else f"INV/2026/{i:05d}"
        lines.append(
            f"BNK-{i:07d};NL91ABNA0417164300;30.03.2026;31.03.2026;-{i % 9}.{i % 1000:03d},50;"
            f"EUR;Müller GmbH {i % 97};{memo}"
        )
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def hub_reader(path: Path) -> int:
    stream = load_catalog().get("bank.statement_lines")
    with CsvFile(path, source_columns(stream), ";", stream.file_format) as csv_file:
        return sum(1 for row in csv_file.rows() if isinstance(row, list))


def bare_reader(path: Path, encoding: str) -> int:
    rows = 0
    with open(path, newline="", encoding=encoding) as handle:
        records = csv.reader(handle, delimiter=";")
        next(records)
        for ref, iban, booked, valued, amount, currency, name, memo in records:
            typed = [
                ref,
                iban,
                dt.datetime.strptime(booked, "%d.%m.%Y").date(),
                dt.datetime.strptime(valued, "%d.%m.%Y").date(),
                Decimal(amount.replace(".", "").replace(",", ".")),
                currency,
                name,
                memo,
            ]
            rows += len(typed) // 8
    return rows


def timed(fn, *args) -> tuple[int, float]:
    started = time.perf_counter()
    rows = fn(*args)
    return rows, time.perf_counter() - started


def readers(folder: Path) -> None:
    print(f"reader, {ROWS:,} statement rows: rows/s (hub reader, bare csv.reader) and ratio")
    for encoding in ("cp1252", "utf-16"):
        path = statement(folder / f"statement_{encoding}.csv", encoding)
        hub_rows, hub_s = timed(hub_reader, path)
        bare_rows, bare_s = timed(bare_reader, path, encoding)
        assert hub_rows == bare_rows == ROWS, (hub_rows, bare_rows)
        print(
            f"  {encoding:7} hub {hub_rows / hub_s:>9,.0f}/s  bare {bare_rows / bare_s:>9,.0f}/s"
            f"  hub/bare {bare_s / hub_s:.2f}"
        )


def copies(url: str) -> None:
    stream = load_catalog().get("carrier.events")
    columns = columns_of(stream)
    twice = int(EVENTS * COPIED)
    at = dt.datetime(2026, 3, 30, tzinfo=dt.UTC)
    events = [
        [f"EVT-{i}", "DHL", f"TRK{i}", f"S{i}", "DL", at, "Köln", "/events?since=", i]
        for i in range(EVENTS)
    ]
    events += [[*e[:-1], EVENTS + n] for n, e in enumerate(events[:twice])]
    migrate(url)
    with psycopg.connect(url) as conn:
        ensure_tables(conn, stream, columns)
        start_run(conn, stream.id, "bench-copies", None)
        started = time.perf_counter()
        copy_rows(conn, stream, columns, events, "bench-copies")
        copy_s = time.perf_counter() - started
        settled = settle_duplicates(conn, stream, "bench-copies")
        settle_s = time.perf_counter() - started - copy_s
    assert settled.duplicate == twice, settled
    print(
        f"copies, {len(events):,} events landed ({twice:,} sent twice): COPY {copy_s:.2f}s, "
        f"settle_duplicates {settle_s:.2f}s, settle/COPY {settle_s / copy_s:.2f}"
    )


def main() -> None:
    admin = server_url(REPO_ROOT / ".hub")
    name = f"hub_bench_{uuid.uuid4().hex[:8]}"
    ensure_database(admin, name)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-partner-files-") as folder:
            readers(Path(folder))
        copies(with_database(admin, name))
    finally:
        drop_database(admin, name)


if __name__ == "__main__":
    main()
