"""Airflow Assets of the warehouse tables, defined once and imported by every DAG.

An Asset URI is an identity, not a locator: it must be the same wherever the stack
runs, so it names the warehouse by its Airflow connection id (`warehouse`) rather
than a host, in the AIP-60 PostgreSQL form `postgres://<host>:<port>/<db>/<schema>/<table>`
(the postgres provider normalises and validates it). Inside docker-compose the
warehouse server is reachable under that very name, so the URI is also literally
true there. Raw assets are generated from the stream catalog: adding a stream adds
its Asset, and the DAG that publishes it, with no edit here.
"""

from __future__ import annotations

from airflow.sdk import Asset

from reporting_hub.catalog import Catalog, load_catalog

WAREHOUSE_URI = "postgres://warehouse:5432/warehouse"


def table_asset(schema: str, table: str) -> Asset:
    """The Asset of one warehouse table, named `<schema>.<table>` for the UI."""
    return Asset(name=f"{schema}.{table}", uri=f"{WAREHOUSE_URI}/{schema}/{table}", group=schema)


def raw_assets(catalog: Catalog) -> dict[str, Asset]:
    """One Asset per stream, keyed by stream id: the `raw.<table>` its publish step writes."""
    return {stream.id: table_asset("raw", stream.table) for stream in catalog.streams.values()}


CATALOG = load_catalog()
RAW: dict[str, Asset] = raw_assets(CATALOG)
INVENTORY_POSITIONS = table_asset("marts_ops", "fct_inventory_positions")
