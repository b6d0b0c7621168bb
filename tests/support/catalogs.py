"""A one-stream catalog file for tests of catalog keys: the smallest valid file stream."""

from __future__ import annotations

from pathlib import Path

from reporting_hub.catalog import Catalog, load_catalog

FILE_STREAM = """
defaults: {{page_size: 100, sync_class: realtime, row_failure_policy: quarantine}}
streams:
  {source}.{object}:
    source: {source}
    object: {object}
    pattern: {pattern}
    primary_key: [{key}]
    cursor: files
    columns: {columns}
    quality_suite: {source}_{object}
"""


def file_stream(source: str, object: str, pattern: str, key: str, columns: str) -> str:
    """The catalog text of one file stream."""
    return FILE_STREAM.format(
        source=source, object=object, pattern=pattern, key=key, columns=columns
    )


def load(tmp_path: Path, body: str) -> Catalog:
    path = tmp_path / "streams.yml"
    path.write_text(body)
    return load_catalog(path)
