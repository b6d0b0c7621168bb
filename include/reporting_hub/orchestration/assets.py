"""Airflow Assets of the warehouse tables, defined once and imported by every DAG.

An Asset URI is an identity, not a locator: it must be the same wherever the stack
runs, so it names the warehouse by its Airflow connection id (`warehouse`) rather
than a host, in the AIP-60 PostgreSQL form `postgres://<host>:<port>/<db>/<schema>/<table>`
(the postgres provider normalises and validates it). Inside docker-compose the
warehouse server is reachable under that very name, so the URI is also literally
true there. Raw assets are generated from the stream catalog: adding a stream adds
its Asset, and the DAG that publishes it, with no edit here. Mart assets are generated
from the model files under `dbt_project/models/marts/<area>/` (schema `marts_<area>`):
a file listing, cheap enough for parse time; adding a mart adds its Asset.
"""

from __future__ import annotations

from pathlib import Path

from airflow.sdk import Asset

from reporting_hub.catalog import Catalog, load_catalog
from reporting_hub.settings import REPO_ROOT

WAREHOUSE_URI = "postgres://warehouse:5432/warehouse"
MARTS_DIR = REPO_ROOT / "dbt_project" / "models" / "marts"
RECONCILIATION_AREA = "reconciliation"


def table_asset(schema: str, table: str) -> Asset:
    """The Asset of one warehouse table, named `<schema>.<table>` for the UI."""
    return Asset(name=f"{schema}.{table}", uri=f"{WAREHOUSE_URI}/{schema}/{table}", group=schema)


def raw_assets(catalog: Catalog) -> dict[str, Asset]:
    """One Asset per stream, keyed by stream id: the `raw.<table>` its publish step writes."""
    return {stream.id: table_asset("raw", stream.table) for stream in catalog.streams.values()}


def mart_assets(marts_dir: Path = MARTS_DIR) -> dict[str, list[Asset]]:
    """The Assets of the dbt marts by area: one per `models/marts/<area>/<model>.sql`."""
    return {
        area.name: [table_asset(f"marts_{area.name}", m.stem) for m in sorted(area.glob("*.sql"))]
        for area in sorted(p for p in marts_dir.glob("*") if p.is_dir())
    }


CATALOG = load_catalog()
RAW: dict[str, Asset] = raw_assets(CATALOG)
INVENTORY_POSITIONS = table_asset("marts_ops", "fct_inventory_positions")
# What reconcile publishes, whether or not its model file exists yet (docs/contracts.md).
EXCEPTIONS = table_asset("marts_reconciliation", "exceptions")
_MARTS = mart_assets()
# Built by build_marts (every area but reconciliation) and consumed by reconcile.
MARTS: list[Asset] = [
    a for area, assets in _MARTS.items() if area != RECONCILIATION_AREA for a in assets
] or [INVENTORY_POSITIONS]
RECONCILIATION: list[Asset] = list(
    {a.uri: a for a in [*_MARTS.get(RECONCILIATION_AREA, []), EXCEPTIONS]}.values()
)
