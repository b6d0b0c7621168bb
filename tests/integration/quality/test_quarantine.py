"""Gate outcomes on real PostgreSQL: quarantine bad rows, block bad batches, steward decisions.

GIVEN a landed batch, WHEN the pipeline validates and publishes it, THEN exactly the rows
that pass reach raw, the others wait in quarantine.<table> with their reasons, the counts
add up, and a steward's release or reject settles them once, on the record.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import psycopg
import pytest

from reporting_hub.catalog import VolumeCheck
from reporting_hub.load.publish import NotValidated, publish_batch
from reporting_hub.ops import steward
from reporting_hub.quality.audit import audit_batch
from reporting_hub.quality.gate import GateFailed
from reporting_hub.quality.schema import EXPECTATION as SCHEMA_CHECK

NOT_NULL = "expect_column_values_to_not_be_null"
REFERENCE = "unexpected_rows_expectation"
IN_SET = "expect_column_values_to_be_in_set"


def fetch(url: str, query: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(query, params).fetchall()


def publish(url: str, stream, batch_id: str) -> dict:
    with psycopg.connect(url) as conn:
        return publish_batch(conn, stream, batch_id)


def held(url: str, batch_id: str, table: str = "odoo__stock_quant") -> dict[int, list]:
    rows = fetch(
        url,
        f"select id, _reasons, _status from quarantine.{table} where _batch_id = %s",
        (batch_id,),
    )
    return {
        i: (sorted((r["expectation"], r.get("column")) for r in reasons), s)
        for i, reasons, s in rows
    }


def counts(url: str, batch_id: str) -> tuple:
    return fetch(
        url,
        "select status, rows_read, rows_published, rows_quarantined from ops.sync_runs "
        "where batch_id = %s",
        (batch_id,),
    )[0]


@pytest.fixture
def quarantining(catalog):
    """stock.quant with the quarantine policy: bad rows held, the rest published."""
    return replace(catalog.get("odoo.stock_quant"), row_failure_policy="quarantine")


@pytest.fixture
def ids():
    """A fresh id range per test: quants of one test never collide with another's in raw."""
    counter = iter(range(10_000, 10**9, 10_000))
    return lambda: range(next(counter), next(counter))


def test_row_failures_quarantine_the_bad_rows_and_publish_the_rest(
    quarantining, land, quant, warehouse
):
    # GIVEN 40 good quants, one pointing at an unknown product, one without a location
    base = 100_000
    good = [quant(base + i) for i in range(40)]
    batch_id = land([*good, quant(base + 90, product_id=999), quant(base + 91, location_id=None)])
    # WHEN the gate judges the batch and publish runs
    audit = audit_batch(quarantining, batch_id, warehouse)
    outcome = publish(warehouse, quarantining, batch_id)
    # THEN the two rows wait in quarantine with the check each broke, the 40 are published
    assert (audit.outcome, audit.rows_quarantined) == ("rows_quarantined", 2)
    assert held(warehouse, batch_id) == {
        base + 90: ([(REFERENCE, "product_id")], "open"),
        base + 91: ([(NOT_NULL, "location_id")], "open"),
    }
    assert outcome["rows_published"] == 40
    published = fetch(
        warehouse, "select id from raw.odoo__stock_quant where _batch_id = %s", (batch_id,)
    )
    assert sorted(i for (i,) in published) == [q["id"] for q in good]
    # AND rows read = rows published + rows quarantined, recorded on the run
    assert counts(warehouse, batch_id) == ("published", 42, 40, 2)
    (alert,) = fetch(
        warehouse, "select severity, message from ops.alerts where batch_id = %s", (batch_id,)
    )
    assert alert[0] == "warning" and "2 of 42 rows" in alert[1]


def test_block_policy_quarantines_the_whole_batch_and_publishes_nothing(
    catalog, land, quant, warehouse
):
    # GIVEN a block-policy stream and a batch with one row of an unknown product
    stream = catalog.get("odoo.stock_quant")
    base = 200_000
    raw_before = fetch(warehouse, "select count(*), max(_published_at) from raw.odoo__stock_quant")
    batch_id = land([*(quant(base + i) for i in range(10)), quant(base + 10, product_id=999)])
    # WHEN the gate judges it
    with pytest.raises(GateFailed, match="row_failure_policy is block"):
        audit_batch(stream, batch_id, warehouse)
    # THEN every row is held, the bad one with its own reason too; raw is untouched
    rows = held(warehouse, batch_id)
    assert len(rows) == 11
    assert rows[base + 10][0] == [("row_failure_policy", None), (REFERENCE, "product_id")]
    assert rows[base][0] == [("row_failure_policy", None)]
    assert (
        fetch(warehouse, "select count(*), max(_published_at) from raw.odoo__stock_quant")
        == raw_before
    )
    # AND the run failed with nothing published, the counts add up, an error alert is raised
    status, read, published, quarantined = counts(warehouse, batch_id)
    assert (status, read, published, quarantined) == ("failed", 11, 0, 11)
    assert fetch(warehouse, "select severity from ops.alerts where batch_id = %s", (batch_id,)) == [
        ("error",)
    ]
    with pytest.raises(NotValidated):
        publish(warehouse, stream, batch_id)


def test_too_many_bad_rows_block_even_under_quarantine(quarantining, land, quant, warehouse):
    # GIVEN a batch where 3 of 10 rows are bad, above the stream's 10% allowance
    base = 300_000
    rows = [quant(base + i, quantity=Decimal("NaN") if i < 3 else Decimal(1)) for i in range(10)]
    batch_id = land(rows)
    # WHEN the gate judges it
    with pytest.raises(GateFailed, match="3 of 10 rows failed row checks"):
        audit_batch(quarantining, batch_id, warehouse)
    # THEN the whole batch is held
    assert counts(warehouse, batch_id) == ("failed", 10, 0, 10)


def test_volume_outside_the_band_of_recent_runs_blocks(catalog, land, warehouse):
    # GIVEN three published location batches of ~50 rows and a volume check on the stream
    stream = catalog.get("odoo.stock_location")
    stream = replace(stream, checks=replace(stream.checks, volume=VolumeCheck(runs=5)))
    with psycopg.connect(warehouse) as conn:
        for n in (48, 50, 52):
            conn.execute(
                "insert into ops.sync_runs (stream, batch_id, status, rows_landed) "
                "values ('odoo.stock_location', %s, 'published', %s)",
                (f"history-{n}", n),
            )
    location = {"name": "Stock", "usage": "internal"}
    # WHEN a batch of 10 (below 50% of the median) and one of 60 are gated
    small = land([{"id": 1_000 + i, **location} for i in range(10)], table="odoo__stock_location")
    normal = land([{"id": 2_000 + i, **location} for i in range(60)], table="odoo__stock_location")
    # THEN the small one is blocked naming the band, the normal one passes
    with pytest.raises(GateFailed, match="expect_table_row_count_to_be_between"):
        audit_batch(stream, small, warehouse)
    assert audit_batch(stream, normal, warehouse).outcome == "passed"
    (observed,) = fetch(
        warehouse,
        "select observed_value from ops.validation_results where batch_id = %s "
        "and expectation = 'expect_table_row_count_to_be_between'",
        (small,),
    )[0]
    assert observed == 10


def test_schema_drift_blocks_and_cannot_be_released(catalog, land, warehouse):
    # GIVEN a location batch that landed with a column nobody declared
    stream = catalog.get("odoo.stock_location")
    with psycopg.connect(warehouse) as conn:
        conn.execute("alter table landing.odoo__stock_location add column surprise text")
    try:
        batch_id = land(
            [{"id": 3_000, "name": "Stock", "usage": "internal", "surprise": "x"}],
            table="odoo__stock_location",
        )
        # WHEN the gate judges it
        with pytest.raises(GateFailed, match="undeclared"):
            audit_batch(stream, batch_id, warehouse)
        # THEN it is held whole with the drift as reason, and a steward cannot waive drift
        assert held(warehouse, batch_id, "odoo__stock_location")[3_000][0] == [(SCHEMA_CHECK, None)]
        with pytest.raises(steward.StewardError, match="drifted"):
            steward.release(warehouse, batch_id, "looks fine", "ann")
    finally:
        with psycopg.connect(warehouse) as conn:
            conn.execute("alter table landing.odoo__stock_location drop column surprise")


def test_unknown_status_is_quarantined(catalog, land, warehouse):
    # GIVEN locations whose usage must be one Odoo knows, and one with a made-up usage
    stream = catalog.get("odoo.stock_location")
    known = ("internal", "view", "supplier", "customer", "inventory", "production", "transit")
    stream = replace(
        stream,
        row_failure_policy="quarantine",
        checks=replace(stream.checks, accepted_values={"usage": known}, max_bad_row_share=0.5),
    )
    rows = [{"id": 4_000 + i, "name": f"L{i}", "usage": "internal"} for i in range(5)]
    batch_id = land(
        [*rows, {"id": 4_100, "name": "Odd", "usage": "teleport"}], "odoo__stock_location"
    )
    # WHEN the gate judges the batch
    audit = audit_batch(stream, batch_id, warehouse)
    # THEN only that row is held, for its status
    assert audit.outcome == "rows_quarantined"
    assert held(warehouse, batch_id, "odoo__stock_location") == {
        4_100: ([(IN_SET, "usage")], "open")
    }


def test_release_publishes_the_held_rows_exactly_once(quarantining, land, quant, warehouse):
    # GIVEN a published batch whose row of a not-yet-synced product was quarantined
    base = 500_000
    batch_id = land([*(quant(base + i) for i in range(20)), quant(base + 20, product_id=777)])
    audit_batch(quarantining, batch_id, warehouse)
    publish(warehouse, quarantining, batch_id)
    # WHEN a steward releases it with a reason
    decision = steward.release(warehouse, batch_id, "product 777 arrives tomorrow", "ann")
    # THEN exactly that row is published, once, and the decision is on record
    assert decision.rows == 1
    assert fetch(
        warehouse, "select count(*) from raw.odoo__stock_quant where id = %s", (base + 20,)
    ) == [(1,)]
    assert held(warehouse, batch_id)[base + 20][1] == "released"
    assert counts(warehouse, batch_id) == ("published", 21, 21, 0)
    actions = fetch(
        warehouse,
        "select action, actor, reason, rows from ops.steward_actions where batch_id = %s",
        (batch_id,),
    )
    assert actions == [("release", "ann", "product 777 arrives tomorrow", 1)]
    # AND a second release is refused, publishing nothing more
    with pytest.raises(steward.StewardError, match="no open quarantined rows"):
        steward.release(warehouse, batch_id, "again", "bob")
    assert counts(warehouse, batch_id) == ("published", 21, 21, 0)


def test_release_of_a_blocked_batch_publishes_it_whole(catalog, land, quant, warehouse):
    # GIVEN a block-policy batch held whole for one bad reference
    stream = catalog.get("odoo.stock_quant")
    base = 600_000
    batch_id = land([*(quant(base + i) for i in range(5)), quant(base + 5, product_id=778)])
    with pytest.raises(GateFailed):
        audit_batch(stream, batch_id, warehouse)
    # WHEN a steward waives it
    steward.release(warehouse, batch_id, "known gap, accepted", "ann")
    # THEN every row is published as the batch, under a waived verdict
    assert counts(warehouse, batch_id) == ("published", 6, 6, 0)
    assert fetch(
        warehouse, "select count(*) from raw.odoo__stock_quant where _batch_id = %s", (batch_id,)
    ) == [(6,)]
    outcome = "select outcome from ops.validation_runs where batch_id = %s order by 1"
    assert fetch(
        warehouse, outcome.replace("order by 1", "order by validation_run_id"), (batch_id,)
    ) == [
        ("blocked",),
        ("waived",),
    ]
    assert fetch(
        warehouse, "select acknowledged from ops.alerts where batch_id = %s", (batch_id,)
    ) == [(True,)]


def test_reject_closes_without_publishing(quarantining, land, quant, warehouse):
    # GIVEN a quarantined row
    base = 700_000
    batch_id = land([*(quant(base + i) for i in range(20)), quant(base + 20, location_id=None)])
    audit_batch(quarantining, batch_id, warehouse)
    publish(warehouse, quarantining, batch_id)
    # WHEN a steward rejects it
    decision = steward.reject(warehouse, batch_id, "test data from the WMS", "ann")
    # THEN it stays out of raw, closed, counted as quarantined, and the decision is recorded
    assert decision.rows == 1
    assert held(warehouse, batch_id)[base + 20][1] == "rejected"
    assert fetch(
        warehouse, "select count(*) from raw.odoo__stock_quant where id = %s", (base + 20,)
    ) == [(0,)]
    assert counts(warehouse, batch_id) == ("published", 21, 20, 1)
    with pytest.raises(steward.StewardError):
        steward.release(warehouse, batch_id, "changed my mind", "ann")


def test_results_are_recorded_per_expectation(quarantining, land, quant, warehouse):
    # GIVEN a batch with two rows of unknown products
    base = 800_000
    batch_id = land(
        [
            *(quant(base + i) for i in range(30)),
            quant(base + 30, product_id=901),
            quant(base + 31, product_id=902),
        ]
    )
    # WHEN it is gated
    audit = audit_batch(quarantining, batch_id, warehouse)
    # THEN ops.validation_results holds one row per expectation, the failed one with evidence
    rows = fetch(
        warehouse,
        "select expectation, column_name, level, success, unexpected_count, sample_keys "
        "from ops.validation_results where batch_id = %s",
        (batch_id,),
    )
    assert len(rows) == audit.result.evaluated
    (failed,) = [r for r in rows if not r[3]]
    assert failed[:5] == (REFERENCE, "product_id", "row", False, 2)
    assert sorted(k["id"] for k in failed[5]) == [base + 30, base + 31]
