"""The GX file context under expectations/ and the warehouse datasource inside it.

The context's config is committed, so it must never hold a secret: the datasource's
connection string is the placeholder `${WAREHOUSE_URL}`, and each context is handed
the real URL through its runtime environment (which GX resolves before the process
environment). Config is written only when it differs from what is wanted, so reruns
and concurrent gates for other streams leave the committed files untouched.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING

from reporting_hub.catalog import Stream

if TYPE_CHECKING:
    from great_expectations.core.batch_definition import BatchDefinition
    from great_expectations.data_context import FileDataContext

GX_ROOT_ENV = "HUB_GX_ROOT"
DEFAULT_GX_ROOT = Path(__file__).resolve().parents[3] / "expectations"
URL_VARIABLE = "WAREHOUSE_URL"
DATASOURCE = "landing"
# The schema goes in the connection, as GX 1.14+ asks, so table assets are bare names.
CONNECTION_KWARGS = {"connect_args": {"options": "-c search_path=landing"}}
BATCH_COLUMN = "_batch_id"
BATCH_DEFINITION = "by_batch_id"
# Data Docs rebuilds its index on every run by reading each stored result it lists (a few
# ms apiece): list the latest 50 only. ops.validation_runs keeps the whole history.
INDEX_RESULTS_LIMIT = 50


def gx_root() -> Path:
    """The folder holding gx/: HUB_GX_ROOT if set, else <repo>/expectations."""
    return Path(os.environ.get(GX_ROOT_ENV) or DEFAULT_GX_ROOT)


def get_context(warehouse_url: str, root: Path | None = None) -> FileDataContext:
    """The file context bound to one warehouse; built once per process and URL."""
    return _context(str(root or gx_root()), warehouse_url)


@functools.lru_cache(maxsize=8)
def _context(root: str, warehouse_url: str) -> FileDataContext:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx

    context = gx.get_context(
        mode="file", project_root_dir=root, runtime_environment={URL_VARIABLE: warehouse_url}
    )
    _settle_project_config(context)
    return context


def _settle_project_config(context: FileDataContext) -> None:
    """No progress bars, no analytics, a bounded Data Docs index; saved once."""
    from great_expectations.data_context.types.base import ProgressBarsConfig

    changed = False
    bars = context.variables.progress_bars
    # Stored as a dict once read back from the yml, as an object when just set.
    globally = bars.get("globally") if isinstance(bars, dict) else getattr(bars, "globally", None)
    if globally is not False:
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        changed = True
    if context.variables.analytics_enabled is not False:
        context.variables.analytics_enabled = False
        changed = True
    sites = context.variables.data_docs_sites or {}
    for site in sites.values():
        index = site.setdefault("site_index_builder", {"class_name": "DefaultSiteIndexBuilder"})
        if index.get("validation_results_limit") != INDEX_RESULTS_LIMIT:
            index["validation_results_limit"] = INDEX_RESULTS_LIMIT
            context.variables.data_docs_sites = sites
            changed = True
    if changed:
        context.variables.save()


def landing_batches(context: FileDataContext, stream: Stream) -> BatchDefinition:
    """Batch definition over landing.<table> that selects one `_batch_id` per run.

    Partitioning the table asset on `_batch_id` keeps the config static (the batch id
    is a run-time batch parameter) and puts the filter in the SQL GX sends to
    PostgreSQL, so only that batch is ever read, in the database. A table asset, not a
    query asset, because GX reads column types only from tables.
    """
    from great_expectations.core.partitioners import PartitionerColumnValue

    datasource = _datasource(context)
    asset = next((a for a in datasource.assets if a.name == stream.table), None)
    if asset is None:
        asset = datasource.add_table_asset(stream.table, table_name=stream.table)
    for definition in asset.batch_definitions:
        if definition.name == BATCH_DEFINITION:
            return definition
    return asset.add_batch_definition(
        BATCH_DEFINITION,
        partitioner=PartitionerColumnValue(column_name=BATCH_COLUMN),
        validate_partitioner=False,  # GX only validates date partitioners; ours is a value
    )


def _datasource(context: FileDataContext):
    placeholder = "${" + URL_VARIABLE + "}"
    existing = context.data_sources.all().get(DATASOURCE)
    if (
        existing is not None
        and str(existing.connection_string) == placeholder
        and existing.kwargs == CONNECTION_KWARGS
    ):
        return existing
    return context.data_sources.add_or_update_postgres(
        DATASOURCE, connection_string=placeholder, kwargs=CONNECTION_KWARGS
    )
