"""The cursor position of a keyset-paged stream, as stored in ops.stream_state."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Watermark:
    """The last (write_date, id) published: keyset paging resumes after it."""

    write_date: str
    id: int

    def __str__(self) -> str:
        return f"{self.write_date}|{self.id}"

    @classmethod
    def parse(cls, text: str | None) -> Watermark | None:
        if not text:
            return None
        write_date, _, record_id = text.partition("|")
        return cls(write_date, int(record_id))


def later(*marks: Watermark | None) -> Watermark | None:
    """The furthest of several watermarks; a watermark never moves backwards."""
    return max((m for m in marks if m is not None), default=None)
