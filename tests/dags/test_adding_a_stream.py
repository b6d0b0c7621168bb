"""Adding a stream is a catalog entry plus `make catalog` (docs/adding-a-stream.md).

GIVEN a copy of the shipped catalog with one throwaway Odoo model added (`crm.lead`),
WHEN the DAGs are parsed with it and the generated files are rendered from it,
THEN the operational sync has the stream's extract -> validate -> publish group, its GX
suite is written with the checks it declares, and dbt gets a source entry for its raw table.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
import yaml

from reporting_hub.catalog import CATALOG_PATH, load_catalog
from reporting_hub.quality.context import TEMPLATE_GX_ROOT
from reporting_hub.quality.suites import write_template_suites
from reporting_hub.transform.sources import render_sources, source_path

CRM_LEAD = {
    "source": "odoo",
    "object": "crm.lead",
    "description": "Leads and opportunities (`crm.lead`).",
    "primary_key": ["id"],
    "cursor": "write_date,id",
    "fields": ["id", "name", "partner_id", "expected_revenue", "write_date"],
    "quality_suite": "odoo_crm_lead",
    "checks": {"not_null": ["name"], "references": {"partner_id": "odoo.res_partner"}},
}

TASKS_OF = r"""
import json, sys
from airflow.dag_processing.dagbag import DagBag
bag = DagBag(dag_folder=sys.argv[1])
print(json.dumps({"errors": {str(k): v for k, v in bag.import_errors.items()},
                  "tasks": {d: sorted(t.task_id for t in bag.dags[d].tasks) for d in bag.dags}}))
"""


@pytest.fixture(scope="module")
def catalog_path(tmp_path_factory):
    doc = yaml.safe_load(CATALOG_PATH.read_text())
    doc["streams"]["odoo.crm_lead"] = CRM_LEAD
    path = tmp_path_factory.mktemp("catalog") / "streams.yml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


def test_the_new_stream_gets_its_task_group_in_the_operational_sync(
    catalog_path, dags_folder, isolated_airflow_env, tmp_path
):
    env = {**isolated_airflow_env(tmp_path / "airflow"), "HUB_CATALOG": str(catalog_path)}
    out = subprocess.run(
        [sys.executable, "-c", TASKS_OF, str(dags_folder)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    parsed = json.loads(out.stdout.strip().splitlines()[-1])
    assert parsed["errors"] == {}
    tasks = parsed["tasks"]["operational_sync"]
    for step in ("extract", "validate", "publish"):
        assert f"odoo__crm_lead.{step}" in tasks
    assert "delete_scans.odoo__crm_lead" in parsed["tasks"]["nightly_finance"]


def test_the_new_stream_gets_its_suite_and_its_dbt_source(catalog_path, tmp_path):
    catalog = load_catalog(catalog_path)
    gx_root = tmp_path / "expectations"
    shutil.copytree(TEMPLATE_GX_ROOT, gx_root)

    changed = write_template_suites(catalog, gx_root)

    assert changed == ["odoo_crm_lead"]
    suite = json.loads((gx_root / "gx" / "expectations" / "odoo_crm_lead.json").read_text())
    checked = {(e["type"], e["kwargs"].get("column")) for e in suite["expectations"]}
    assert ("expect_column_values_to_not_be_null", "name") in checked
    rendered = render_sources(catalog, tmp_path / "staging")[
        source_path("odoo", tmp_path / "staging")
    ]
    assert "identifier: odoo__crm_lead\n" in rendered
    assert "Leads and opportunities (`crm.lead`). Sync class `realtime`" in rendered
