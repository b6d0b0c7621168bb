"""The files generated from the stream catalog are committed in step with it."""

from reporting_hub.catalog import load_catalog
from reporting_hub.transform.sources import render_sources, stale_sources


def test_the_committed_dbt_sources_are_what_the_catalog_renders():
    stale = stale_sources(load_catalog())
    assert not stale, f"out of date with streams.yml: {[p.name for p in stale]}; run make catalog"


def test_every_stream_is_a_dbt_source_with_its_sync_class_freshness():
    catalog = load_catalog()
    rendered = "\n".join(render_sources(catalog).values())
    for stream in catalog.streams.values():
        assert f"identifier: {stream.table}\n" in rendered
        assert f"where stream = '{stream.id}'" in rendered
    # the promise of each class, spelled out where dbt docs show it
    assert "late after 30 minutes, an outage after 2 hours" in rendered
    assert "late after 26 hours, an outage after 50 hours" in rendered
