"""The bank's nightly statement export: one CSV per booking date, the way a European bank writes it.

`statement_<YYYY-MM-DD>.csv`, cp1252, semicolon-separated (the decimal comma needs the semicolon),
one header line: `bank_line_ref;account_iban;booking_date;value_date;amount;currency;
counterparty_name;remittance_info`. Dates are written `30.03.2026`, amounts `-1.234,50` (thousands
point, decimal comma, negative for money leaving the account); a cell holding the delimiter, a
quote or a line break is quoted. The last line is the trailer `TRAILER;<rows>;<sum of amounts>`.
A day's file appears once the day has closed, and only for days with bookings; files are
delivered atomically (see `files.deliver`).

With delivery habits (see `demo_world.habits`) the bank also writes some files in UTF-8 with a BOM
or UTF-16, exports empty statements for days without bookings, and now and then botches a day's
first delivery (0 bytes, cut short, a row lost under an intact trailer, a wrong booking and a
wrong amount) and re-sends the day corrected as `statement_<day>_v2.csv` the next morning; a
booking near midnight may appear again at the top of the next day's file, identical or with its
value date changed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from demo_world.faults import Injector
from demo_world.habits import Habits
from demo_world.store import Store

from .files import Delivery, csv_lines, deliver, history_time
from .reading import has_table, iter_rows

log = logging.getLogger(__name__)
DELIMITER = ";"
ENCODING = "cp1252"
TRAILER = "TRAILER"
CORRECTED_AT = dt.timedelta(days=1, hours=9)  # the next morning, after the booking day
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


@dataclass
class BankExporter:
    """Writes one statement file per closed booking date into `export_dir`."""

    store: Store
    export_dir: Path
    injector: Injector | None = None
    habits: Habits = field(default_factory=Habits)
    as_of: dt.datetime | None = None  # files due by then are history: delivered long ago
    mark: str = ""  # the last booking date exported
    pending: list[tuple[dt.datetime, str, list[tuple]]] = field(default_factory=list)
    last_row: tuple | None = None  # the previous day's last booking, for repeats

    def __post_init__(self) -> None:
        self.export_dir = Path(self.export_dir)

    def drop_until(self, now: dt.datetime) -> int:
        """Export every booking date after the last one that has closed by `now`."""
        self.export_dir.mkdir(parents=True, exist_ok=True)
        if not has_table(self.store, "bank_lines"):
            log.warning("the store has no bank_lines table yet: no statements to export")
            return 0
        closed = (now + dt.timedelta(seconds=1)).date()  # 23:59:59 closes a day
        written = 0
        for day, rows in self._days(closed):
            written += self._export(day, rows, now)
            self.mark = day.isoformat()
        return written + self._corrections(now)

    def _days(self, closed: dt.date) -> Iterator[tuple[dt.date, list[tuple]]]:
        """Each closed day after the mark with its bookings (every day, with the habit)."""
        rows = iter_rows(
            self.store,
            "SELECT bank_line_ref, account_iban, booking_date, value_date, amount, currency, "
            "counterparty_name, remittance_info FROM bank_lines "
            "WHERE booking_date > ? AND booking_date < ? ORDER BY booking_date, bank_line_ref",
            [self.mark, closed.isoformat()],
        )
        by_day: dict[dt.date, list[tuple]] = {}
        for r in rows:
            by_day.setdefault(dt.date.fromisoformat(r["booking_date"][:10]), []).append(_row(r))
        if self.habits.every_day:
            start = dt.date.fromisoformat(self.mark) + dt.timedelta(1) if self.mark else None
            start = start or min(by_day, default=closed)
            days = [start + dt.timedelta(n) for n in range((closed - start).days)]
        else:
            days = sorted(by_day)
        for day in days:
            yield day, by_day.get(day, [])

    def _export(self, day: dt.date, rows: list[tuple], now: dt.datetime) -> int:
        """The day's first delivery (botched, with the habit) and, if so, its correction."""
        fate = self.habits.fate("bank", day) if rows else "clean"
        first = self._first_delivery(fate, day, rows)
        if fate != "clean":
            self.pending.append((_midnight(day) + CORRECTED_AT, f"statement_{day}_v2.csv", rows))
        if rows:
            self.last_row = rows[-1]
        closed = min(_midnight(day) + dt.timedelta(days=1), now)
        return self._write(f"statement_{day}.csv", first, closed)

    def _first_delivery(self, fate: str, day: dt.date, rows: list[tuple]) -> list[str] | None:
        """The lines of the day's first file; None for a 0-byte file."""
        if fate == "zero_byte":
            return None
        if fate == "truncated":
            return statement_lines(rows[: len(rows) // 2], trailer=False)
        if fate == "miscounted":
            return statement_lines(rows[:-1], count=len(rows), total=_total(rows))
        if fate == "correction":
            wrong = [*rows, (f"{rows[0][0]}-DUP", *rows[0][1:])]  # booked twice by mistake
            wrong[-2] = (
                *wrong[-2][:4],
                _amount(Decimal(_parse(wrong[-2][4])) + 10),
                *wrong[-2][5:],
            )
            return statement_lines(wrong)
        return statement_lines([*self._repeats(day), *rows])

    def _repeats(self, day: dt.date) -> list[tuple]:
        """The previous day's last booking again: identical, or with another value date."""
        if self.last_row is None:
            return []
        if self.habits.draw("repeat", day) < self.habits.repeat_rate:
            return [self.last_row]
        if self.habits.draw("conflict", day) < self.habits.conflict_rate:
            return [(*self.last_row[:3], _format_day(day), *self.last_row[4:])]
        return []

    def _corrections(self, now: dt.datetime) -> int:
        due = [p for p in self.pending if p[0] <= now]
        self.pending = [p for p in self.pending if p[0] > now]
        return sum(self._write(name, statement_lines(rows), at) for at, name, rows in due)

    def _write(self, name: str, lines: list[str] | None, due: dt.datetime) -> int:
        lines = lines or []
        if self.injector is not None and lines and lines[-1].startswith(TRAILER):
            lines = [*self.injector.malform(lines[:-1], DELIMITER), lines[-1]]  # data rows only
        how = Delivery(
            encoding=self.habits.encoding(ENCODING, "bank", name),
            delivered_at=history_time(due, self.as_of),
        )
        return int(deliver(self.export_dir / name, lines, DELIMITER, None, how))


def statement_lines(
    rows: list[tuple], trailer: bool = True, count: int | None = None, total: str | None = None
) -> list[str]:
    """Header, rows and the trailer (the rows' count and total unless told otherwise)."""
    lines = csv_lines(HEADER, rows, DELIMITER)
    if trailer:
        count = len(rows) if count is None else count
        lines.append(DELIMITER.join((TRAILER, str(count), total or _total(rows))))
    return lines


def _row(r: dict) -> tuple:
    return (
        r["bank_line_ref"],
        r["account_iban"],
        _format_day(dt.date.fromisoformat(r["booking_date"][:10])),
        _format_day(dt.date.fromisoformat(r["value_date"][:10])) if r["value_date"] else None,
        _amount(Decimal(f"{float(r['amount']):.2f}")),
        r["currency"],
        r["counterparty_name"],
        r["remittance_info"],
    )


def _format_day(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def _amount(value: Decimal) -> str:
    """`-1.234,50`: a thousands point and a decimal comma, two decimals."""
    return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def _parse(amount: str) -> str:
    return amount.replace(".", "").replace(",", ".")


def _total(rows: list[tuple]) -> str:
    return _amount(sum((Decimal(_parse(r[4])) for r in rows), Decimal(0)))


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())
