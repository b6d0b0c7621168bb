"""The domain compiler and search, checked against plain SQL on the same store."""

from __future__ import annotations

from typing import Any

import pytest

from demo_world.domain import parse
from demo_world.errors import AccessError, OdooTypeError, OdooValueError
from demo_world.orm import Database

ADMIN = 2


def search(db: Database, model: str, domain: Any, **context: Any) -> set[int]:
    kwargs = {"context": context} if context else {}
    return set(db.call(db.users.by_uid[ADMIN], model, "search", [domain], kwargs))


def truth(db: Database, sql: str, *params: Any) -> set[int]:
    return {r["id"] for r in db.store.query(sql, params)}


def test_equality_and_inequality(db: Database) -> None:
    assert search(db, "stock.location", [("usage", "=", "internal")]) == truth(
        db, "SELECT id FROM stock_location WHERE usage = 'internal' AND active = 1"
    )
    # != keeps NULLs, like Odoo
    assert search(db, "res.partner", [("ref", "!=", "C00001")]) == truth(
        db, "SELECT id FROM res_partner WHERE (ref IS NULL OR ref != 'C00001') AND active = 1"
    )


@pytest.mark.parametrize("op", ["<", ">", "<=", ">="])
def test_comparisons(db: Database, op: str) -> None:
    got = search(db, "stock.quant", [("quantity", op, 200)])
    assert got == truth(db, f"SELECT id FROM stock_quant WHERE quantity {op} 200")


def test_false_means_null(db: Database) -> None:
    assert search(db, "product.product", [("barcode", "=", False)]) == truth(
        db, "SELECT id FROM product_product WHERE (barcode IS NULL OR barcode = '') AND active = 1"
    )
    assert search(db, "stock.quant", [("warehouse_id", "!=", False)]) == truth(
        db, "SELECT id FROM stock_quant WHERE warehouse_id IS NOT NULL"
    )


def test_in_and_not_in(db: Database) -> None:
    ctx = {"active_test": False}
    assert search(db, "res.partner", [("company_id", "in", [2, False])], **ctx) == truth(
        db, "SELECT id FROM res_partner WHERE company_id = 2 OR company_id IS NULL"
    )
    assert search(db, "stock.location", [("usage", "not in", ["view", "internal"])], **ctx) == (
        truth(db, "SELECT id FROM stock_location WHERE usage NOT IN ('view', 'internal')")
    )
    assert search(db, "stock.location", [("id", "in", [])]) == set()


def test_like_family(db: Database) -> None:
    code = db.store.query("SELECT default_code FROM product_product WHERE id = 3")[0][
        "default_code"
    ]
    assert search(db, "product.product", [("default_code", "=", code)]) == {3}
    word = db.store.query("SELECT name FROM product_product WHERE id = 3")[0]["name"].split()[0]
    like = search(db, "product.product", [("name", "like", word)])
    assert 3 in like
    assert search(db, "product.product", [("name", "like", word.upper())]) == set()  # case
    assert search(db, "product.product", [("name", "ilike", word.upper())]) == like
    assert search(db, "product.product", [("default_code", "=like", "SKU-0000_")]) == truth(
        db, "SELECT id FROM product_product WHERE default_code LIKE 'SKU-0000_' AND active = 1"
    )
    assert search(db, "product.product", [("default_code", "=ilike", "sku-00003")]) == {3}
    assert 3 not in search(db, "product.product", [("name", "not ilike", word)])


def test_prefix_operators_nest(db: Database) -> None:
    domain = [
        "|",
        "&",
        ("usage", "=", "internal"),
        ("name", "=", "Stock"),
        "!",
        ("usage", "!=", "view"),
    ]
    assert search(db, "stock.location", domain) == truth(
        db,
        "SELECT id FROM stock_location WHERE active = 1 AND "
        "((usage = 'internal' AND name = 'Stock') OR usage = 'view')",
    )


def test_dotted_path_and_any(db: Database) -> None:
    expected = truth(
        db,
        "SELECT q.id FROM stock_quant q JOIN stock_location l ON l.id = q.location_id "
        "WHERE l.usage = 'internal'",
    )
    assert search(db, "stock.quant", [("location_id.usage", "=", "internal")]) == expected
    assert search(db, "stock.quant", [("location_id", "any", [("usage", "=", "internal")])]) == (
        expected
    )
    assert search(db, "stock.quant", [("warehouse_id.code", "=", "WH2")]) == truth(
        db, "SELECT id FROM stock_quant WHERE warehouse_id = 2"
    )


def test_many2one_by_name(db: Database) -> None:
    assert search(db, "stock.quant", [("warehouse_id", "=", "Chicago DC")]) == truth(
        db, "SELECT id FROM stock_quant WHERE warehouse_id = 1"
    )


def test_child_of_and_parent_of(db: Database) -> None:
    wh1_view = db.store.query("SELECT view_location_id v FROM stock_warehouse WHERE code='WH1'")[0]
    under = truth(
        db,
        "SELECT id FROM stock_location WHERE parent_path LIKE "
        "(SELECT parent_path FROM stock_location WHERE id = ?) || '%' AND active = 1",
        wh1_view["v"],
    )
    assert search(db, "stock.location", [("id", "child_of", wh1_view["v"])]) == under
    assert search(db, "stock.location", [("location_id", "child_of", "WH1")]) == under
    quants = search(db, "stock.quant", [("location_id", "child_of", wh1_view["v"])])
    assert quants == truth(db, "SELECT id FROM stock_quant WHERE warehouse_id = 1")
    shelf = db.store.query(
        "SELECT id FROM stock_location WHERE complete_name = 'WH1/Stock/Shelf 1'"
    )
    ancestors = search(db, "stock.location", [("id", "parent_of", shelf[0]["id"])])
    assert len(ancestors) == 3 and wh1_view["v"] in ancestors


def test_date_only_string_against_datetime(db: Database) -> None:
    assert search(db, "stock.quant", [("write_date", ">", "2026-01-26")]) == truth(
        db, "SELECT id FROM stock_quant WHERE write_date >= '2026-01-27 00:00:00'"
    )
    assert search(db, "stock.quant", [("write_date", "=", "2026-01-26")]) == truth(
        db, "SELECT id FROM stock_quant WHERE write_date LIKE '2026-01-26 %'"
    )


def test_active_test(db: Database) -> None:
    everything = truth(db, "SELECT id FROM stock_location")
    active = truth(db, "SELECT id FROM stock_location WHERE active = 1")
    assert active < everything
    assert search(db, "stock.location", []) == active
    assert search(db, "stock.location", [], active_test=False) == everything
    # naming `active` in the domain switches the implicit filter off
    assert search(db, "stock.location", [("active", "=", False)]) == everything - active


def test_company_rule(db: Database) -> None:
    assert search(db, "stock.warehouse", [], allowed_company_ids=[2]) == {2}
    assert search(db, "stock.warehouse", []) == {1, 2, 3}
    with pytest.raises(AccessError, match="unauthorized or invalid companies"):
        search(db, "stock.warehouse", [], allowed_company_ids=[99])


def test_order_and_paging(db: Database) -> None:
    user = db.users.by_uid[ADMIN]
    kw = {"fields": ["write_date"], "order": "write_date desc, id desc", "limit": 5, "offset": 2}
    page = db.call(user, "stock.quant", "search_read", [[]], kw)
    keys = [(r["write_date"], r["id"]) for r in page]
    everything = db.store.query("SELECT write_date, id FROM stock_quant")
    assert keys == sorted(((r["write_date"], r["id"]) for r in everything), reverse=True)[2:7]
    with pytest.raises(OdooValueError, match="Invalid field 'nope' on model 'stock.quant'"):
        db.call(user, "stock.quant", "search", [[]], {"order": "nope asc"})


@pytest.mark.parametrize(
    ("domain", "error", "message"),
    [
        (
            [("nope", "=", 1)],
            OdooValueError,
            "Invalid field stock.location.nope in condition ('nope', '=', 1)",
        ),
        (
            [("name", "~~", "x")],
            OdooValueError,
            "Invalid operator in condition ('name', '~~', 'x')",
        ),
        (
            ["|", ("name", "=", "x")],
            OdooValueError,
            "Domain() malformed domain ['|', ('name', '=', 'x')]",
        ),
        (
            "not-a-domain",
            OdooTypeError,
            "Domain() invalid argument type for domain: 'not-a-domain'",
        ),
        ([("location_id.nope", "=", 1)], OdooValueError, "Invalid field stock.location.nope"),
    ],
)
def test_errors_carry_odoo_messages(db: Database, domain: Any, error: type, message: str) -> None:
    with pytest.raises(error) as info:
        search(db, "stock.location", domain)
    assert info.value.message.startswith(message)


def test_parse_implicit_and() -> None:
    assert parse([("a", "=", 1), ("b", "=", 2)]) == ("&", ("a", "=", 1), ("b", "=", 2))
    assert parse([]) is None
