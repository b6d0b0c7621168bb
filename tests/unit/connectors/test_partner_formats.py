"""Partners' file formats: declared encodings, number and date formats, trailers, versions.

GIVEN small files written the way partners write them, WHEN the hub reads them, THEN each
value is what the partner meant, and each file it cannot trust is refused with the reason.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from support.catalogs import file_stream, load

from reporting_hub.catalog import CatalogError, load_catalog
from reporting_hub.load.columns import Column
from reporting_hub.ops.file_ledger import Ledger
from reporting_hub.sources.base import DeadLetter
from reporting_hub.sources.csv_rows import MAX_RECORD_LINES, CsvFile, read_rows
from reporting_hub.sources.decoding import lines
from reporting_hub.sources.file_format import FileFormat, Formats, Trailer, ValueFormat
from reporting_hub.sources.inbox import select
from reporting_hub.sources.trailer import trailer_problem
from reporting_hub.sources.values import formatted_parsers

GERMAN = ValueFormat(decimal=",", thousands=".", date="%d.%m.%Y")
COLUMNS = [Column("ref", "text"), Column("day", "date"), Column("amount", "numeric")]
BANK = FileFormat(
    encoding="cp1252",
    formats=Formats(GERMAN),
    trailer=Trailer("TRAILER", 2, {"amount": 3}),
)
FILES = file_stream(
    "bank", "lines", "statement_*.csv", "ref", "{ref: text, day: date, amount: numeric}"
)


def stream(tmp_path: Path, extra: str):
    body = FILES + "".join(f"    {line}\n" for line in extra.splitlines())
    return load(tmp_path, body).get("bank.lines")


def write(tmp_path: Path, text: str, encoding: str = "cp1252", name: str = "s_1.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_the_bank_declares_its_european_format_and_each_key_is_checked(tmp_path):
    declared = stream(
        tmp_path,
        "encoding: windows-1252\n"
        'formats: {decimal: ",", thousands: ".", date: "%d.%m.%Y",\n'
        '          columns: {day: {date: "%Y%m%d"}}}\n'
        "trailer: {marker: TRAILER, count: 2, sums: {amount: 3}}\n"
        "document: 's_(?P<document>\\d+)(?:_v(?P<version>\\d+))?\\.csv'\n"
        "settle_seconds: 0.5",
    )
    assert declared.file_format.encoding == "cp1252"  # the codec's own name
    assert declared.file_format.formats.of("day").date == "%Y%m%d"
    assert declared.file_format.formats.of("day").decimal == ","  # overrides inherit the rest
    assert (declared.file_format.settle_seconds, declared.duplicates) == (0.5, "conflict")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("encoding: utf-16", r"encoding=.utf-16.: UTF-16/32 files carry a BOM and are detected"),
        ("encoding: klingon", r"encoding='klingon' is not a known encoding"),
        ('formats: {decimal: ",", thousands: ","}', r"formats\.thousands=','"),
        ('formats: {date: "%d.%m"}', r"formats\.date='%d\.%m' does not read back"),
        ('formats: {timestamp: "%Y-%m-%d %H:%M"}', r"formats\.timestamp=.* does not read back"),
        ("formats: {columns: {nope: {decimal: ','}}}", r"formats\.columns names nope"),
        ("formats: {currency: EUR}", r"formats: unknown key\(s\) currency"),
        (
            "trailer: {marker: T, count: 1}",
            r"trailer needs a marker and cell positions of 2 or more",
        ),
        ("trailer: {marker: T, count: 2, sums: {ref: 3}}", r"trailer\.sums names ref: not numeric"),
        ("document: 's_(?P<day>.*)'", r"document: unknown group\(s\) day"),
        ("duplicates: ignore", r"duplicates='ignore', expected one of conflict, latest"),
        ("settle_seconds: -1", r"settle_seconds=-1\.0: expected 0 or more"),
    ],
)
def test_a_wrong_declaration_is_refused_naming_stream_and_key(tmp_path, extra, message):
    with pytest.raises(CatalogError, match=rf"bank\.lines: {message}"):
        stream(tmp_path, extra)


def test_file_keys_belong_to_file_streams(tmp_path):
    body = FILES.replace("    pattern: statement_*.csv\n", "    endpoint: /events\n")
    body = body.replace("cursor: files", "cursor: cursor")
    with pytest.raises(CatalogError, match=r"encoding applies to cursor files only"):
        load(tmp_path, body + "    encoding: cp1252\n")


@pytest.mark.parametrize(
    ("text", "value"),
    [("-1.234,56", Decimal("-1234.56")), ("1234,5", Decimal("1234.5")), ("7", Decimal(7))],
)
def test_numbers_in_the_declared_format_read_as_meant(text, value):
    assert formatted_parsers(GERMAN)["numeric"](text) == value


@pytest.mark.parametrize("text", ["1,234.56", "1.23,4", "12.34", "1e5", "1.234.5,6", "--1"])
def test_numbers_in_another_format_are_refused_not_misread(text):
    with pytest.raises(ValueError, match=r"not a number written like 1\.234,56"):
        formatted_parsers(GERMAN)["numeric"](text)


def test_each_encoding_is_found_by_its_bom_or_the_declared_fallback(tmp_path):
    text = "ref;day;amount\nMüller;30.03.2026;1,00\n"
    for encoding, described in (
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16-le", "utf-16"),
        ("utf-16-be", "utf-16"),
        ("cp1252", "cp1252"),
        ("utf-8", "utf-8"),
    ):
        bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(
            encoding, b""
        )
        path = tmp_path / f"{encoding}.csv"
        path.write_bytes(bom + text.encode(encoding))
        with CsvFile(path, COLUMNS, ";", BANK) as csv_file:
            rows = list(csv_file.rows())
            assert rows == [["Müller", dt.date(2026, 3, 30), Decimal("1.00"), path.name, 2]]
            assert csv_file.decoding.described == described, encoding


def test_a_literal_replacement_character_is_a_dead_letter_not_published(tmp_path):
    path = write(tmp_path, "ref;day;amount\nM\ufffdller;30.03.2026;1,00\n", "utf-8")
    (letter,) = read_rows(path, COLUMNS, ";", BANK)
    assert isinstance(letter, DeadLetter)
    assert letter.error == "contains U+FFFD: the sender had already lost characters here"


def test_a_quoted_cell_may_span_lines_but_a_stray_quote_swallows_no_file(tmp_path):
    good = [f"R{i};30.03.2026;{i},00" for i in range(MAX_RECORD_LINES + 5)]
    memo = ['"Zeile eins', 'Zeile zwei";30.03.2026;2,00']
    text = "\n".join(
        ["ref;day;amount", 'R-memo;30.03.2026;"1,00"', *memo, 'R-stray";30.03.2026;3,00', *good]
    )
    out = list(read_rows(write(tmp_path, text + "\n"), COLUMNS, ";", replace(BANK, trailer=None)))

    rows = [r for r in out if not isinstance(r, DeadLetter)]
    letters = [r for r in out if isinstance(r, DeadLetter)]
    assert rows[1][:1] == ["Zeile eins\nZeile zwei"] and rows[1][-1] == 3
    assert [(d.origin, d.error) for d in letters] == [("s_1.csv:5", "unbalanced quote")]
    assert [r[0] for r in rows[2:]] == [f"R{i}" for i in range(len(good))]


@pytest.mark.parametrize(
    ("tail", "problem"),
    [
        ("", "no TRAILER row: a trailer closes every file, so this one may be cut short"),
        ("TRAILER;3;3,00", "TRAILER row (line 4) says 3 rows, the file has 2"),
        ("TRAILER;2;3,50", "TRAILER row (line 4) says amount totals 3,50, the rows total 3.00"),
        ("TRAILER;2;3,00\nR9;30.03.2026;1,00", "1 record(s) after the TRAILER row (line 4)"),
        (
            "TRAILER;2",
            "TRAILER row (line 4) is unreadable: it has 2 cells, the declaration reads cell 3",
        ),
        ("TRAILER;2;3,00", None),
    ],
)
def test_control_totals_must_agree_with_the_rows(tmp_path, tail, problem):
    path = write(tmp_path, f"ref;day;amount\nR1;30.03.2026;1,00\nR2;30.03.2026;2,00\n{tail}\n")
    with CsvFile(path, COLUMNS, ";", BANK) as csv_file:
        assert trailer_problem(csv_file, COLUMNS, BANK.trailer) == problem


def test_totals_are_not_judged_when_a_row_could_not_be_read(tmp_path):
    path = write(
        tmp_path, "ref;day;amount\nR1;30.03.2026;1,00\nR2;30.03.2026;zwei\nTRAILER;2;3,00\n"
    )
    with CsvFile(path, COLUMNS, ";", BANK) as csv_file:
        assert trailer_problem(csv_file, COLUMNS, BANK.trailer) is None  # the row is a letter


STREAM = replace(
    load_catalog().get("bank.statement_lines"),
    file_format=replace(load_catalog().get("bank.statement_lines").file_format, settle_seconds=1),
)


def aged(path: Path, seconds: float = 60) -> Path:
    stat = path.stat()
    os.utime(path, (stat.st_atime - seconds, stat.st_mtime - seconds))
    return path


def test_a_young_file_is_looked_at_again_and_left_while_it_still_grows(tmp_path):
    old = aged(write(tmp_path, "a\n", name="statement_2026-03-29.csv"))
    still = write(tmp_path, "b\n", name="statement_2026-03-30.csv")
    growing = write(tmp_path, "c\n", name="statement_2026-03-31.csv")
    waits: list[float] = []

    def sleep(seconds: float) -> None:  # meanwhile the partner appends to one file
        waits.append(seconds)
        with open(growing, "a") as handle:
            handle.write("more\n")

    chosen = select(STREAM, [old, still, growing], Ledger(), sleep=sleep)

    assert [f.name for f, _ in chosen.new] == [old.name, still.name]
    assert chosen.unsettled == [growing.name]
    assert len(waits) == 1 and 0 < waits[0] <= 1


def test_only_the_newest_version_of_a_document_is_read_and_a_refused_one_replaces_nothing(tmp_path):
    first = aged(write(tmp_path, "v1\n", name="statement_2026-03-30.csv"))
    second = aged(write(tmp_path, "v2\n", name="statement_2026-03-30_v2.csv"))
    broken = aged(write(tmp_path, "v3\n", name="statement_2026-03-30_v3.csv"))
    published = Ledger(documents={"2026-03-30": [(1, "statement_2026-03-29.csv")]})

    def judge(path: Path):
        return ("blocked", "totals disagree") if path == broken else None

    chosen = select(STREAM, [first, second, broken], published, judge)

    assert [(f.name, replaces) for f, replaces in chosen.new] == [
        (second.name, ["statement_2026-03-29.csv"])
    ]
    assert [(s.file.name, s.status, s.superseded_by) for s in chosen.skipped] == [
        (broken.name, "blocked", None),
        (first.name, "superseded", second.name),
    ]
    late = select(STREAM, [first], Ledger(documents={"2026-03-30": [(2, second.name)]}))
    assert [(s.status, s.reason) for s in late.skipped] == [
        ("superseded", f"older than {second.name}, published already")
    ]


def test_lines_of_a_utf16_file_split_by_character_not_by_byte(tmp_path):
    path = tmp_path / "u.csv"
    path.write_bytes("a;b\n\u0a0a;c\n".encode("utf-16"))  # U+0A0A holds two 0x0A bytes
    decoding, numbered = lines(path, None)
    assert list(numbered) == [(1, "a;b"), (2, "\u0a0a;c")]
    assert decoding.bom == "utf-16"
