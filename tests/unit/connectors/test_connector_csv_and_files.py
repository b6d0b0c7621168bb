"""CSV lines and inbox listings: bad lines dead-lettered by file and line, files taken once."""

import os
from dataclasses import replace

import pytest

from reporting_hub.catalog import load_catalog
from reporting_hub.load.columns import Column
from reporting_hub.ops.file_ledger import Ledger
from reporting_hub.sources.base import DeadLetter
from reporting_hub.sources.csv_rows import HeaderMismatch, read_rows, split_line
from reporting_hub.sources.inbox import candidates, select, sha256_of

COLUMNS = [Column("item", "text"), Column("qty", "numeric")]


def test_lines_split_fast_without_quotes_and_through_csv_with_them():
    assert split_line("a,b,c", ",") == ["a", "b", "c"]
    assert split_line('a,"b;c",d', ",") == ["a", "b;c", "d"]
    with pytest.raises(ValueError, match="unbalanced quote"):
        split_line('a,b,c"', ",")


def test_rows_carry_file_and_line_and_bad_lines_become_dead_letters(tmp_path):
    path = tmp_path / "stock_1.csv"
    path.write_bytes(b'\xef\xbb\xbfqty,item\n5,A\n\n7 pcs,B\n9\n3,"C\n4,D\n\xff\xfe,E\n')

    out = list(read_rows(path, COLUMNS, ","))

    rows = [r for r in out if not isinstance(r, DeadLetter)]
    letters = [r for r in out if isinstance(r, DeadLetter)]
    assert [r[0] for r in rows] == ["A", "D"]
    assert rows[0][2:] == ["stock_1.csv", 2]
    assert [(d.origin, d.payload) for d in letters] == [
        ("stock_1.csv:4", "7 pcs,B"),
        ("stock_1.csv:5", "9"),
        ("stock_1.csv:6", '3,"C'),
        ("stock_1.csv:8", "\\xff\\xfe,E"),
    ]
    assert letters[-1].raw == b"\xff\xfe,E"  # kept exactly, for a replay once declared
    assert "column qty (numeric)" in letters[0].error
    assert letters[1].error == "expected 2 columns, found 1"


def test_a_header_without_a_declared_column_is_refused(tmp_path):
    path = tmp_path / "stock_1.csv"
    path.write_text("item,quantity\nA,1\n")
    with pytest.raises(HeaderMismatch, match="stock_1.csv: header lacks declared column.*qty"):
        list(read_rows(path, COLUMNS, ","))


def test_temp_and_dot_files_are_never_candidates(tmp_path):
    for name in (
        "stock_2.csv",
        "stock_1.csv",
        "stock_3.csv.part",
        "stock_4.csv.tmp",
        ".stock_5.csv",
    ):
        (tmp_path / name).write_text("x\n")
    assert [p.name for p in candidates(tmp_path, "stock_*")] == ["stock_1.csv", "stock_2.csv"]


STREAM = load_catalog().get("wms.confirmations")
ONE_FILE = replace(STREAM, max_files=1)


def test_known_files_are_skipped_and_copies_under_new_names_are_duplicates(tmp_path):
    old, copy, new = (tmp_path / n for n in ("a_1.csv", "a_2.csv", "a_3.csv"))
    old.write_text("x\n1\n")
    copy.write_text("x\n1\n")
    new.write_text("x\n2\n")
    for path in (old, copy, new):  # delivered a while ago: settled
        os.utime(path, (path.stat().st_atime - 60, path.stat().st_mtime - 60))
    stat = old.stat()
    ledger = Ledger(
        by_name={old.name: (stat.st_size, stat.st_mtime_ns, sha256_of(old))},
        taken={sha256_of(old): old.name},
    )

    chosen = select(STREAM, [old, copy, new], ledger)

    assert [f.name for f, _ in chosen.new] == ["a_3.csv"]
    assert [(s.file.name, s.status, s.duplicate_of) for s in chosen.skipped] == [
        ("a_2.csv", "duplicate", "a_1.csv")
    ]
    os.utime(old, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))  # touched: hash again, same file
    again = select(STREAM, [old], ledger)
    assert (again.new, again.skipped) == ([], [])
    assert [f.name for f, _ in select(ONE_FILE, [new, copy], Ledger()).new] == ["a_3.csv"]
