"""Prefetching keeps order, surfaces producer errors, and stops when the consumer stops."""

import threading

import pytest

from reporting_hub.sources.prefetch import prefetch


def test_yields_every_page_in_order():
    assert list(prefetch(iter(range(100)), depth=2)) == list(range(100))


def test_a_source_error_reaches_the_consumer_after_the_good_pages():
    def pages():
        yield 1
        yield 2
        raise ConnectionResetError("odoo dropped the connection")

    got = []
    with pytest.raises(ConnectionResetError, match="dropped"):
        for page in prefetch(pages()):
            got.append(page)
    assert got == [1, 2]


def test_consumer_failure_stops_the_reader_without_reading_everything():
    produced = []

    def pages():
        for i in range(1000):
            produced.append(i)
            yield i

    with pytest.raises(RuntimeError):
        for page in prefetch(pages(), depth=1):
            if page == 3:
                raise RuntimeError("COPY failed")
    assert len(produced) < 10
    assert not any(t.name == "page-prefetch" and t.is_alive() for t in threading.enumerate())
