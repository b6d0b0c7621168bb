"""Keyset paging reads every record exactly once, ties on write_date included."""

from reporting_hub.catalog import load_catalog
from reporting_hub.load.watermark import Watermark, later
from reporting_hub.sources.odoo import extract as odoo


class KeysetOdoo:
    """Just enough of search_read to evaluate the domains paging builds."""

    def __init__(self, records):
        self.records = records
        self.calls = []

    def execute(self, model, method, domain, fields, order, limit, context):
        self.calls.append(domain)
        keys = [part.split()[0] for part in order.split(",")]
        rows = sorted(
            (r for r in self.records if self._match(list(domain), r)),
            key=lambda r: [r[k] for k in keys],
        )
        return [{f: r[f] for f in fields if f in r} for r in rows[:limit]]

    def _match(self, domain, record):
        return self._eval(domain, record) if domain else True

    def _eval(self, tokens, record):
        token = tokens.pop(0)
        if token == "&":
            return self._eval(tokens, record) & self._eval(tokens, record)
        if token == "|":
            return self._eval(tokens, record) | self._eval(tokens, record)
        field, op, value = token
        have = record[field]
        return {">": have > value, ">=": have >= value, "=": have == value}[op]


def stream(page_size, snapshot=False):
    base = load_catalog().get("odoo.stock_quant" if snapshot else "odoo.stock_location")
    return base.__class__(**{**base.__dict__, "page_size": page_size})


def records(n):
    # Many records share a write_date, as one Odoo transaction writes them all.
    return [{"id": i, "write_date": f"2026-11-27 02:{20 + i // 7:02d}:00"} for i in range(1, n + 1)]


def read_all(client, s, watermark=None):
    return [r["id"] for page in odoo.read_pages(client, s, watermark, {}) for r in page]


def test_every_record_once_across_pages_with_ties():
    client = KeysetOdoo(records(50))
    assert read_all(client, stream(page_size=6)) == list(range(1, 51))
    assert len(client.calls) == 9  # 8 full pages of 6, then 2 rows


def test_exact_multiple_of_page_size_ends_with_an_empty_page():
    client = KeysetOdoo(records(12))
    assert read_all(client, stream(page_size=6)) == list(range(1, 13))
    assert len(client.calls) == 3


def test_incremental_read_rereads_the_lookback_window():
    data = records(50)
    client = KeysetOdoo(data)
    mark = Watermark("2026-11-27 02:26:00", 49)
    got = read_all(client, stream(page_size=5), mark)
    window_start = "2026-11-27 02:16:00"  # 10 minutes of look-back
    assert got == [r["id"] for r in data if r["write_date"] >= window_start]
    assert client.calls[0] == [("write_date", ">=", window_start)]


def test_snapshot_pages_by_id_from_the_start():
    client = KeysetOdoo(records(20))
    assert read_all(
        client, stream(page_size=8, snapshot=True), Watermark("2030-01-01 00:00:00", 1)
    ) == list(range(1, 21))
    assert client.calls[1] == [("id", ">", 8)]


def test_watermark_never_moves_backwards():
    old = Watermark("2026-11-27 02:20:00", 9)
    assert later(old, Watermark("2026-11-27 02:10:00", 99)) == old
    assert later(None, old) == old
    assert later(old, Watermark("2026-11-27 02:20:00", 10)).id == 10
    assert Watermark.parse(str(old)) == old
    assert odoo.last_watermark(
        [
            {"id": 3, "write_date": "2026-01-01 00:00:00"},
            {"id": 2, "write_date": "2026-01-02 00:00:00"},
        ]
    ) == Watermark("2026-01-02 00:00:00", 2)
