"""Timestamps as the store keeps them (naive UTC text), and as the systems write them."""

from __future__ import annotations

import datetime as dt

STORE_FORMAT = "%Y-%m-%d %H:%M:%S"


def parse_ts(text: str) -> dt.datetime:
    """A store timestamp (`YYYY-MM-DD HH:MM:SS`, naive UTC)."""
    return dt.datetime.strptime(text[:19], STORE_FORMAT)


def fmt_ts(moment: dt.datetime) -> str:
    return moment.strftime(STORE_FORMAT)


def iso_utc(text: str | None) -> str | None:
    """A store timestamp as ISO-8601 with a Z, the way most APIs and file feeds write UTC."""
    return None if text is None else f"{text[:10]}T{text[11:19]}Z"
