"""The bank's nightly statement export: one CSV per booking date in an export folder.

`statement_<YYYY-MM-DD>.csv`, UTF-8, semicolon-separated (the European banks' habit), one header
line: `bank_line_ref;account_iban;booking_date;value_date;amount;currency;counterparty_name;
remittance_info`. Dates are ISO (`YYYY-MM-DD`); amounts have a point and exactly two decimals,
negative for money leaving the account. A day's file appears once the day has closed, and only
for days with bookings; files are delivered atomically (see `files.deliver`).
"""

from __future__ import annotations

import datetime as dt
import logging
from itertools import groupby
from pathlib import Path

from demo_world.faults import Injector
from demo_world.store import Store

from .files import csv_lines, deliver
from .reading import has_table, iter_rows

log = logging.getLogger(__name__)
DELIMITER = ";"
HEADER = (
    "bank_line_ref",
    "account_iban",
    "booking_date",
    "value_date",
    "amount",
    "currency",
    "counterparty_name",
    "remittance_info",
)


class BankExporter:
    """Writes one statement file per closed booking date into `export_dir`."""

    def __init__(self, store: Store, export_dir: Path, injector: Injector | None = None) -> None:
        self.store = store
        self.export_dir = Path(export_dir)
        self.injector = injector
        self.mark = ""  # the last booking date exported

    def drop_until(self, now: dt.datetime) -> int:
        """Export every booking date after the last one that has closed by `now`."""
        self.export_dir.mkdir(parents=True, exist_ok=True)
        if not has_table(self.store, "bank_lines"):
            log.warning("the store has no bank_lines table yet: no statements to export")
            return 0
        closed = (now + dt.timedelta(seconds=1)).date().isoformat()  # 23:59:59 closes a day
        rows = iter_rows(
            self.store,
            "SELECT bank_line_ref, account_iban, booking_date, value_date, amount, currency, "
            "counterparty_name, remittance_info FROM bank_lines "
            "WHERE booking_date > ? AND booking_date < ? ORDER BY booking_date, bank_line_ref",
            [self.mark, closed],
        )
        written = 0
        for day, group in groupby(rows, key=lambda r: r["booking_date"][:10]):
            lines = csv_lines(HEADER, [_row(r) for r in group], DELIMITER)
            path = self.export_dir / f"statement_{day}.csv"
            written += deliver(path, lines, DELIMITER, self.injector)
            self.mark = day
        return written


def _row(r: dict) -> tuple:
    return (
        r["bank_line_ref"],
        r["account_iban"],
        _day(r["booking_date"]),
        _day(r["value_date"]),
        f"{float(r['amount']):.2f}",
        r["currency"],
        r["counterparty_name"],
        r["remittance_info"],
    )


def _day(value: str | None) -> str | None:
    return value[:10] if value else value
