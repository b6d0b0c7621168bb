"""The committed suites are exactly what the catalog builds: reviewers read real diffs.

Run `make catalog` (`hub catalog write`) after changing a stream's checks, and commit the result.
"""

from reporting_hub.catalog import load_catalog
from reporting_hub.quality.context import TEMPLATE_GX_ROOT
from reporting_hub.quality.suites import stale_template_suites


def test_committed_suites_match_the_catalog():
    assert stale_template_suites(load_catalog()) == []


def test_no_orphan_suites_are_committed():
    wanted = {s.quality_suite for s in load_catalog().streams.values()}
    committed = {p.stem for p in (TEMPLATE_GX_ROOT / "gx" / "expectations").glob("*.json")}
    assert committed == wanted


def test_committed_config_has_no_runtime_state():
    config = (TEMPLATE_GX_ROOT / "gx" / "great_expectations.yml").read_text()
    assert "fluent_datasources" not in config  # datasources live in the working copy only
