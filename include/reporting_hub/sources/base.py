"""What every connector hands the pipeline: columns, pages of rows, and where it got to.

A connector (Odoo, WMS files, shop API, carrier events, bank exports) is a function
`open_extraction(stream, settings, watermark) -> Extraction`. The pipeline lands the
pages by COPY and stores the final watermark when the batch publishes; watermarks are
opaque text that only their connector parses.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from reporting_hub.load.columns import Column

if TYPE_CHECKING:
    from reporting_hub.catalog import Stream
    from reporting_hub.settings import Settings

# source name -> "module:function"; imported only when a stream of that source runs.
CONNECTORS = {
    "odoo": "reporting_hub.sources.odoo.extract:open_extraction",
    "wms": "reporting_hub.sources.wms_files:open_extraction",
    "shop": "reporting_hub.sources.shop_api:open_extraction",
    "carrier": "reporting_hub.sources.carrier:open_extraction",
    "bank": "reporting_hub.sources.bank:open_extraction",
}


@dataclass(frozen=True)
class DeadLetter:
    """One input record that could not be landed, kept with why and where it came from."""

    payload: str
    error: str
    origin: str  # e.g. "stock_2026033114.csv:17"
    raw: bytes | None = None  # the exact bytes, when they are not text (see sources/decoding.py)


@dataclass
class Extraction:
    """One run's read of a source, ready to land."""

    columns: list[Column]
    pages: Iterable[list[list[Any]]]  # rows already converted to column values
    watermark: Callable[[], str | None]  # the new watermark, known once pages are consumed
    unloaded_fields: dict[str, str] = field(default_factory=dict)
    dead_letters: list[DeadLetter] = field(default_factory=list)  # filled while paging
    retries: Callable[[], int] = lambda: 0


class Connector(Protocol):
    def __call__(self, stream: Stream, settings: Settings, watermark: str | None) -> Extraction:
        """Prepare the read of `stream` after `watermark` (None: from the beginning)."""


def connector_for(source: str) -> Connector:
    """The connector of a source system; unknown sources fail with the known ones named."""
    try:
        target = CONNECTORS[source]
    except KeyError:
        raise ValueError(
            f"no connector for source {source!r}; known: {', '.join(CONNECTORS)}"
        ) from None
    module, _, function = target.partition(":")
    return getattr(importlib.import_module(module), function)
