"""Control totals: a file whose trailer row disagrees with its rows is not loaded at all.

Formats with a trailer (bank statements, many 3PL flat files) close each file with the
number of data rows and totals of money columns, so a file cut short or garbled on the
way is caught before any of it is published. The check reads the file once before it is
landed; what it finds is the reason the file ledger and the alert give.
"""

from __future__ import annotations

from decimal import Decimal

from reporting_hub.load.columns import Column
from reporting_hub.sources.base import DeadLetter
from reporting_hub.sources.csv_rows import CsvFile, TrailerRow
from reporting_hub.sources.file_format import Trailer
from reporting_hub.sources.values import formatted_parsers


def trailer_problem(csv_file: CsvFile, columns: list[Column], trailer: Trailer) -> str | None:
    """Why the file must not be loaded (missing or disagreeing trailer), or None."""
    if csv_file.is_empty:
        return None
    position = {c.name: i for i, c in enumerate(columns)}
    totals = dict.fromkeys(trailer.sums, Decimal(0))
    rows = dead = 0
    for item in csv_file.rows():
        if isinstance(item, DeadLetter):
            dead += 1
            continue
        rows += 1
        for column in totals:
            totals[column] += item[position[column]] or 0
    found = csv_file.trailer
    if found is None:
        return f"no {trailer.marker} row: a trailer closes every file, so this one may be cut short"
    if found.records_after:
        return f"{found.records_after} record(s) after the {trailer.marker} row (line {found.line})"
    try:
        return _disagreement(csv_file, trailer, found, rows + dead, totals if not dead else {})
    except (IndexError, ValueError) as exc:
        return f"{trailer.marker} row (line {found.line}) is unreadable: {exc}"


def _disagreement(
    csv_file: CsvFile,
    trailer: Trailer,
    found: TrailerRow,
    records: int,
    totals: dict[str, Decimal],
) -> str | None:
    """Count and totals against the rows; totals only when every row could be read."""
    formats = csv_file.file_format.formats
    where = f"{trailer.marker} row (line {found.line})"
    declared = formatted_parsers(formats.default)["bigint"](_cell(found, trailer.count))
    if declared != records:
        return f"{where} says {declared} rows, the file has {records}"
    for column, total in totals.items():
        text = _cell(found, trailer.sums[column])
        if formatted_parsers(formats.of(column))["numeric"](text) != total:
            return f"{where} says {column} totals {text}, the rows total {total}"
    return None


def _cell(found: TrailerRow, position: int) -> str:
    if position > len(found.cells):
        raise ValueError(f"it has {len(found.cells)} cells, the declaration reads cell {position}")
    return found.cells[position - 1].strip()
