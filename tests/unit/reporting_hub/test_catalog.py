"""The stream catalog parses, validates, and names its tables predictably."""

from pathlib import Path

import pytest

from reporting_hub.catalog import CatalogError, load_catalog


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "streams.yml"
    path.write_text(body)
    return path


VALID = """
defaults: {page_size: 100, sync_class: realtime, row_failure_policy: block}
streams:
  odoo.res_partner:
    source: odoo
    object: res.partner
    primary_key: [id]
    cursor: write_date,id
    fields: [id, name, write_date]
    quality_suite: odoo_res_partner
"""


def test_shipped_catalog_lists_reference_targets_before_their_referrers():
    catalog = load_catalog()
    ids = list(catalog.streams)
    quant = catalog.get("odoo.stock_quant")
    assert quant.is_snapshot and quant.table == "odoo__stock_quant"
    for stream in catalog.streams.values():
        for target in stream.checks.references.values():
            assert ids.index(target) <= ids.index(stream.id), (stream.id, target)


def test_defaults_apply_and_stream_overrides_win(tmp_path):
    catalog = load_catalog(
        write(tmp_path, VALID.replace("quality_suite", "page_size: 7\n    quality_suite"))
    )
    stream = catalog.get("odoo.res_partner")
    assert stream.page_size == 7
    assert stream.sync_class == "realtime"
    assert stream.cursor == "write_date,id" and not stream.is_snapshot


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("cursor: write_date,id", "cursor: updated"), "cursor='updated'"),
        (
            ("fields: [id, name, write_date]", "fields: [id, name]"),
            "'write_date' is used as key or cursor",
        ),
        (("primary_key: [id]", "primary_key: [code]"), "'code' is used as key"),
        (("    source: odoo\n", ""), "missing required key 'source'"),
        (
            (
                "quality_suite: odoo_res_partner",
                "quality_suite: x\n    checks: {references: {parent_id: odoo.nope}}",
            ),
            "unknown stream 'odoo.nope'",
        ),
    ],
)
def test_malformed_catalog_names_stream_and_key(tmp_path, change, message):
    with pytest.raises(CatalogError, match="odoo.res_partner") as err:
        load_catalog(write(tmp_path, VALID.replace(*change)))
    assert message in str(err.value)


def test_unknown_stream_lists_known_ones():
    with pytest.raises(CatalogError, match="odoo.stock_quant"):
        load_catalog().get("odoo.nope")
