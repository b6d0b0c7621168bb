"""read_group and formatted_read_group equal a direct SQL aggregate on the store."""

from __future__ import annotations

import pytest

from demo_world.errors import OdooValueError
from demo_world.orm import Database

ADMIN = 2


def call(db: Database, model: str, method: str, args: list, **kwargs) -> list[dict]:
    return db.call(db.users.by_uid[ADMIN], model, method, args, kwargs)


def test_read_group_by_state_equals_sql(db: Database) -> None:
    got = call(db, "sale.order", "read_group", [[], ["amount_total:sum"], ["state"]], lazy=False)
    truth = db.store.query(
        "SELECT state, count(*) n, sum(amount_total) total FROM sale_order GROUP BY state "
        "ORDER BY state"
    )
    assert [(g["state"], g["__count"]) for g in got] == [(r["state"], r["n"]) for r in truth]
    for g, r in zip(got, truth, strict=True):
        assert g["amount_total"] == pytest.approx(r["total"])
        assert g["__domain"] == [["state", "=", r["state"]]]


def test_lazy_read_group_counts_per_first_groupby(db: Database) -> None:
    got = call(db, "sale.order", "read_group", [[], ["amount_total"], ["company_id", "state"]])
    truth = db.store.query("SELECT company_id, count(*) n FROM sale_order GROUP BY 1 ORDER BY 1")
    assert [(g["company_id"][0], g["company_id_count"]) for g in got] == [
        (r["company_id"], r["n"]) for r in truth
    ]


def test_month_groups_carry_labels_and_ranges(db: Database) -> None:
    got = call(
        db,
        "sale.order",
        "read_group",
        [],
        domain=[["state", "=", "sale"]],
        fields=["amount_total:sum"],
        groupby=["date_order:month"],
        lazy=False,
    )
    truth = db.store.query(
        "SELECT substr(date_order, 1, 7) m, count(*) n FROM sale_order WHERE state = 'sale' "
        "GROUP BY 1 ORDER BY 1"
    )
    assert [g["__count"] for g in got] == [r["n"] for r in truth]
    first = got[0]
    assert first["date_order:month"] == "January 2026"
    assert first["__range"]["date_order:month"] == {
        "from": "2026-01-01 00:00:00",
        "to": "2026-02-01 00:00:00",
    }


def test_formatted_read_group_equals_sql(db: Database) -> None:
    got = call(
        db,
        "stock.move",
        "formatted_read_group",
        [],
        domain=[["state", "=", "done"]],
        groupby=["location_dest_id", "date:month"],
        aggregates=["quantity:sum", "__count"],
    )
    truth = db.store.query(
        "SELECT location_dest_id loc, substr(date, 1, 7) m, sum(quantity) q, count(*) n "
        "FROM stock_move WHERE state = 'done' GROUP BY 1, 2 ORDER BY 1, 2"
    )
    assert [
        (g["location_dest_id"][0], g["date:month"][0][:7], g["quantity:sum"], g["__count"])
        for g in got
    ] == [(r["loc"], r["m"], r["q"], r["n"]) for r in truth]
    assert list(got[0]) == [
        "location_dest_id",
        "date:month",
        "__extra_domain",
        "quantity:sum",
        "__count",
    ]


def test_bad_aggregate_is_a_value_error(db: Database) -> None:
    with pytest.raises(OdooValueError):
        call(db, "sale.order", "formatted_read_group", [[], ["state"], ["amount_total:median"]])
