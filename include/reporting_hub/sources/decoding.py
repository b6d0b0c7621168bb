"""A partner's bytes as text: by BOM, else UTF-8, else the declared fallback; never U+FFFD.

Partners write UTF-8 with or without a BOM, UTF-16 with one (Excel's "Unicode text"),
or a legacy code page such as cp1252 that no byte sequence announces. A BOM names the
encoding; without one each line is read as UTF-8 and, when it is not valid UTF-8, in
the stream's declared fallback. A line that neither reads is not published with
replacement characters: it is an Undecodable line, dead-lettered with its bytes, so a
later fix (declaring the right fallback) can replay it exactly.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

UTF8 = "utf-8"
# The longest first: a UTF-8 BOM is three bytes, a UTF-16 one two.
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
REPLACEMENT = "\ufffd"
# Undecodable bytes of a BOM-announced file are marked as lone surrogates, which no valid
# decoding produces, so a marked line is recognised and never published.
MARK_ERRORS = "reporting_hub.mark"
_MARKED = re.compile("[\ud800-\udfff]")


def _mark(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(chr(0xDC00 + byte) for byte in bad), error.end


codecs.register_error(MARK_ERRORS, _mark)


@dataclass(frozen=True)
class Undecodable:
    """A line whose bytes are no text in the file's encoding (nor the fallback)."""

    shown: str  # the line with its bad bytes written as \\xNN, for a human
    raw: bytes | None  # the exact bytes, when the file's encoding splits lines by byte
    error: str


@dataclass
class Decoding:
    """How one file's lines are turned into text, and which encodings it actually used."""

    bom: str | None  # the encoding the file's BOM names, if it has one
    fallback: str | None  # the stream's declared encoding for lines that are not UTF-8
    used: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, head: bytes, fallback: str | None) -> Decoding:
        bom = next((name for mark, name in BOMS if head.startswith(mark)), None)
        return cls(bom, fallback)

    @property
    def described(self) -> str:
        """What the ledger records: the BOM's encoding, else the encodings the lines used."""
        if self.bom:
            return self.bom
        return "+".join(sorted(self.used)) or "ascii"

    @property
    def by_byte(self) -> bool:
        """UTF-8 and the code pages end lines with byte 0x0A; UTF-16 does not."""
        return self.bom in (None, "utf-8-sig")

    def text(self, raw: bytes) -> str | Undecodable:
        """One line of an ASCII-compatible file as text, or why it is none.

        A BOM declares UTF-8 for every line; only a file without one may use the fallback.
        """
        if raw.isascii():  # the same text in UTF-8 and every code page: says nothing
            return _checked(raw.decode("ascii"), raw)
        for encoding in (UTF8, None if self.bom else self.fallback):
            if encoding is None:
                continue
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                continue
            self.used.add(encoding)
            return _checked(text, raw)
        fallback = None if self.bom else self.fallback
        tried = f"UTF-8 or the declared {fallback}" if fallback else "UTF-8"
        hint = (
            ""
            if fallback or self.bom
            else " (declare the stream's `encoding` if it is a code page)"
        )
        shown = raw.decode(UTF8, errors="backslashreplace")
        return Undecodable(shown, raw, f"undecodable bytes: not {tried}{hint}")


def _checked(text: str, raw: bytes | None) -> str | Undecodable:
    """Text that carries a replacement character lost characters before it reached us."""
    if REPLACEMENT in text:
        return Undecodable(
            text, raw, "contains U+FFFD: the sender had already lost characters here"
        )
    return text


def read_head(path: Path, size: int = 4) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(size)


def lines(
    path: Path, fallback: str | None
) -> tuple[Decoding, Iterator[tuple[int, str | Undecodable]]]:
    """The file's decoding and its physical lines (numbered from 1, without line ends)."""
    decoding = Decoding.of(read_head(path), fallback)
    return decoding, _numbered(path, decoding)


def _numbered(path: Path, decoding: Decoding) -> Generator[tuple[int, str | Undecodable]]:
    with open(path, "rb") as handle:
        source = (
            _byte_lines(handle, decoding) if decoding.by_byte else _text_lines(handle, decoding)
        )
        yield from enumerate(source, start=1)


def _byte_lines(handle: BinaryIO, decoding: Decoding) -> Iterator[str | Undecodable]:
    if decoding.bom:
        handle.read(len(codecs.BOM_UTF8))
    for raw in handle:
        yield decoding.text(raw.rstrip(b"\r\n"))


def _text_lines(handle: BinaryIO, decoding: Decoding) -> Iterator[str | Undecodable]:
    """A BOM-announced file decoded as a stream (UTF-16 lines cannot be split by byte)."""
    text = io.TextIOWrapper(handle, encoding=decoding.bom, errors=MARK_ERRORS, newline="\n")
    with text:  # closes the wrapper too, when reading stops early
        yield from _marked_lines(text, decoding)


def _marked_lines(text: io.TextIOWrapper, decoding: Decoding) -> Iterator[str | Undecodable]:
    for ended in text:
        line = ended.rstrip("\r\n")
        if _MARKED.search(line):
            shown = _MARKED.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", line)
            yield Undecodable(shown, None, f"undecodable bytes: not valid {decoding.bom}")
            continue
        decoding.used.add(decoding.bom)
        yield _checked(line, None)
