"""Rebuild the GX Data Docs site: once per sync cycle, after every gate of the cycle ran.

Rendering the site takes longer than validating a batch, so checkpoints do not do it;
the CLI's sync and the DAGs call this once after their gates.
"""

from __future__ import annotations

import logging
from pathlib import Path

from reporting_hub.quality.context import get_context, gx_root

log = logging.getLogger(__name__)
INDEX = Path("gx/uncommitted/data_docs/local_site/index.html")


def refresh_data_docs(warehouse_url: str) -> Path:
    """Render the static site from the stored results; returns its index.html."""
    get_context(warehouse_url).build_data_docs()
    index = gx_root() / INDEX
    log.info("Data Docs: %s", index)
    return index
