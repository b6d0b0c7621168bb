"""dbt's source declarations, generated from the stream catalog so the two cannot drift.

Every stream publishes `raw.<table>`; dbt reads it as `source('<system>', '<object>')`.
`render_sources` writes one `_<system>__sources.yml` per system: the system's and each
stream's description from streams.yml, and freshness from the stream's sync class,
measured as the age of its last successful publish (`ops.stream_state`), not of its newest
row, so a quiet table that syncs on time is fresh. `hub catalog write` (make catalog)
rewrites the files; `stale_sources` names the ones that differ (a test keeps them in step).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from reporting_hub.catalog import FRESHNESS, Catalog, Stream
from reporting_hub.settings import REPO_ROOT

STAGING_DIR = REPO_ROOT / "dbt_project" / "models" / "staging"
HEADER = (
    "# Generated from include/reporting_hub/streams.yml by `hub catalog write` (make catalog).\n"
    "# Do not edit: change the catalog and regenerate; a test fails when the two disagree.\n"
)
PERIODS = {"minute": "minutes", "hour": "hours"}
FRESHNESS_NOTE = (
    "Freshness is the age of each stream's last successful publish "
    "(`ops.stream_state.last_published_at`), not of its newest row: a quiet table that "
    "syncs on time is fresh."
)
SYNC_CLASS_WORDS = {
    "realtime": "every few minutes",
    "near_realtime": "near real time",
    "nightly": "once a day",
}


def source_path(system: str, staging_dir: Path = STAGING_DIR) -> Path:
    return staging_dir / system / f"_{system}__sources.yml"


def render_sources(catalog: Catalog, staging_dir: Path = STAGING_DIR) -> dict[Path, str]:
    """The text of every system's sources file, keyed by where it belongs."""
    systems = dict.fromkeys(s.source for s in catalog.streams.values())
    return {
        source_path(system, staging_dir): _render_system(
            system,
            catalog.systems.get(system, ""),
            [s for s in catalog.streams.values() if s.source == system],
        )
        for system in systems
    }


def stale_sources(catalog: Catalog, staging_dir: Path = STAGING_DIR) -> list[Path]:
    """The sources files whose committed text is not what the catalog renders."""
    return [
        path
        for path, text in render_sources(catalog, staging_dir).items()
        if not path.exists() or path.read_text() != text
    ]


def write_sources(catalog: Catalog, staging_dir: Path = STAGING_DIR) -> list[Path]:
    """Rewrite the stale sources files; returns the paths written."""
    written = []
    for path, text in render_sources(catalog, staging_dir).items():
        if not path.exists() or path.read_text() != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            written.append(path)
    return written


def _render_system(system: str, description: str, streams: list[Stream]) -> str:
    lines = [HEADER + "version: 2", "", "sources:", f"  - name: {system}"]
    lines += _folded("description", f"{description} {FRESHNESS_NOTE}".strip(), 4)
    lines += ["    schema: raw", "    tables:"]
    for stream in streams:
        lines += _render_table(stream)
    return "\n".join(lines) + "\n"


def _render_table(stream: Stream) -> list[str]:
    (warn_n, warn_p), (error_n, error_p) = FRESHNESS[stream.sync_class]
    promise = (
        f"Sync class `{stream.sync_class}` ({SYNC_CLASS_WORDS[stream.sync_class]}): late after "
        f"{warn_n} {PERIODS[warn_p]}, an outage after {error_n} {PERIODS[error_p]}."
    )
    freshness = (
        f"{{warn_after: {{count: {warn_n}, period: {warn_p}}}, "
        f"error_after: {{count: {error_n}, period: {error_p}}}}}"
    )
    return [
        f"      - name: {stream.id.split('.', 1)[1]}",
        f"        identifier: {stream.table}",
        *_folded("description", f"{stream.description} {promise}".strip(), 8),
        "        config:",
        f"          freshness: {freshness}",
        "          loaded_at_query: >",
        f"            select last_published_at from ops.stream_state where stream = '{stream.id}'",
    ]


def _folded(key: str, text: str, indent: int) -> list[str]:
    """`key: >` and the text wrapped under it (YAML folded style keeps backticks and colons)."""
    pad = " " * (indent + 2)
    body = textwrap.wrap(text or "-", width=92 - len(pad))
    return [f"{' ' * indent}{key}: >", *(pad + line for line in body)]
